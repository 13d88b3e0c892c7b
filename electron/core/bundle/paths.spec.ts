import { describe, expect, it } from 'vitest';
import { collisionKey, linkStaysInside, normalizeEntryPath, resolveInside, unsafePathReason } from './paths';

describe('bundle paths', () => {
  it('accepts plain relative paths', () => {
    for (const p of ['bundle.yaml', 'charts/demo-db/Chart.yaml', 'k3s/k3s-airgap-images-amd64.tar', 'a b/c.txt', '中文/文件.yaml']) {
      expect(unsafePathReason(p), p).toBeUndefined();
    }
  });

  it.each([
    ['', 'empty path'],
    ['/etc/passwd', 'absolute path'],
    ['C:/Windows/x', 'absolute path'],
    ['\\\\server\\share', 'absolute path'],
    ['a\\b', 'backslash in path'],
    ['../x', "'..' segment"],
    ['a/../../x', "'..' segment"],
    ['a/./b', "'.' segment"],
    ['a//b', 'empty segment'],
    ['a/b/', 'empty segment'],
    ['ab:c', 'colon in path'],
    ['x\0y', 'NUL character'],
    ['x\ny', 'control character'],
    ['dir./f', 'segment ends with a dot or a space'],
    ['CON', "reserved name 'CON'"],
    ['a/nul.txt', "reserved name 'nul.txt'"],
  ])('refuses %j (%s)', (p, reason) => {
    expect(unsafePathReason(p)).toBe(reason);
  });

  it('normalises what tar writers vary', () => {
    expect(normalizeEntryPath('./a/b')).toEqual({ path: 'a/b' });
    expect(normalizeEntryPath('a/dir/')).toEqual({ path: 'a/dir' });
    expect(normalizeEntryPath('./')).toEqual({ path: '' });
    expect(normalizeEntryPath('/abs')).toEqual({ reason: 'absolute path' });
  });

  it('tells links that stay inside from links that escape', () => {
    expect(linkStaysInside('a/b/link', '../c')).toBe(true);
    expect(linkStaysInside('a/link', '../../x')).toBe(false);
    expect(linkStaysInside('link', '/etc/passwd')).toBe(false);
    expect(linkStaysInside('a/link', 'b/../../..')).toBe(false);
  });

  it('resolves only inside the root', () => {
    expect(resolveInside('/tmp/r', 'a/b')).toBe('/tmp/r/a/b');
    expect(() => resolveInside('/tmp/r', '../x')).toThrow(/unsafe/);
    expect(() => resolveInside('/tmp/r', '/etc/passwd')).toThrow(/unsafe/);
  });

  it('finds names that collide on case-insensitive file systems', () => {
    expect(collisionKey('Charts/A.yaml')).toBe(collisionKey('charts/a.yaml'));
    expect(collisionKey('e\u0301')).toBe(collisionKey('\u00e9'));
  });
});
