import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle } from '../../../bundles/demo/build';
import { extractBundle, generateKeyPair, verifyBundle } from '../../../electron/core/bundle';
import { paxRecord, rawEntry, rawTar, recordingContext, STANDIN, STANDIN_HELM, tempDir, withoutEndMarker, type RawEntry } from './helpers';

const vendor = generateKeyPair();
const trust = { trustedKeys: [vendor.publicKey] };

/** Everything under a folder, as relative paths (links not followed). */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      out.push(rel + n);
      if (lstatSync(p).isDirectory()) walk(p, `${rel}${n}/`);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('extraction never writes outside its target, and refuses unsafe archives', () => {
  const tmp = tempDir('extract');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  // Where escaping entries would land: <tmp>/work/<case>/dest → ../.. is <tmp>/work.
  const outside = join(tmp, 'outside');
  let demoTar: Buffer;

  beforeAll(async () => {
    mkdirSync(outside);
    const p = join(tmp, 'demo.tar');
    await buildDemoBundle({ k3sDir: STANDIN, helm: STANDIN_HELM, key: vendor.secretKey, out: p });
    demoTar = readFileSync(p);
  });

  it('extracts a good bundle, verified in the same pass, with plain modes', async () => {
    const archive = join(tmp, 'good.tar.gz');
    writeFileSync(archive, gzipSync(demoTar));
    const dest = join(tmp, 'good');
    const ctx = recordingContext();
    const r = await extractBundle(archive, dest, { ...trust, ctx });
    expect(r).toMatchObject({ ok: true, signature: 'valid', kind: 'tar.gz' });
    expect(tree(dest)).toContain('charts/demo-api/templates/deployment.yaml');
    expect(statSync(join(dest, 'k3s/k3s')).mode & 0o777).toBe(0o755);
    expect(statSync(join(dest, 'bundle.yaml')).mode & 0o777).toBe(0o644);
    expect(ctx.events.some((e) => e.step === 'extract' || e.step === 'hash')).toBe(true);
    expect((await verifyBundle(dest, trust)).ok).toBe(true);
  });

  it('refuses a target folder that is not empty', async () => {
    const archive = join(tmp, 'good2.tar');
    writeFileSync(archive, demoTar);
    const dest = join(tmp, 'busy');
    mkdirSync(dest);
    writeFileSync(join(dest, 'keep.txt'), 'mine');
    await expect(extractBundle(archive, dest)).rejects.toMatchObject({ code: 'bundle.target_not_empty' });
    expect(tree(dest)).toEqual(['keep.txt']);
  });

  const longEvil = (type: 'x' | 'L', name: string): Buffer =>
    Buffer.concat([
      rawEntry({ name: type === 'x' ? 'PaxHeader/evil' : '././@LongLink', type, data: type === 'x' ? paxRecord('path', name) : name + '\0' }),
      rawEntry({ name: 'innocent.txt', data: 'pwned' }),
    ]);

  const cases: { name: string; entries: (RawEntry | Buffer)[]; code: string; message?: RegExp }[] = [
    { name: 'dot-dot', entries: [{ name: '../../outside/evil.txt', data: 'pwned' }], code: 'bundle.unsafe_path', message: /'\.\.' segment/ },
    { name: 'dot-dot-inner', entries: [{ name: 'charts/../../../outside/evil.txt', data: 'pwned' }], code: 'bundle.unsafe_path' },
    { name: 'absolute', entries: [{ name: '/tmp/outpost-absolute-evil.txt', data: 'pwned' }], code: 'bundle.unsafe_path', message: /absolute path/ },
    { name: 'windows-absolute', entries: [{ name: 'C:\\outpost-evil.txt', data: 'pwned' }], code: 'bundle.unsafe_path' },
    { name: 'backslash-dot-dot', entries: [{ name: '..\\..\\outside\\evil.txt', data: 'pwned' }], code: 'bundle.unsafe_path' },
    {
      name: 'symlink-escape-then-write-through',
      entries: [{ name: 'link', type: '2', linkname: '../../../outside' }, { name: 'link/evil.txt', data: 'pwned' }],
      code: 'bundle.link_escapes',
      message: /link is a symbolic link pointing to \.\.\/\.\.\/\.\.\/outside, outside the bundle/,
    },
    { name: 'symlink-absolute', entries: [{ name: 'passwd', type: '2', linkname: '/etc/passwd' }], code: 'bundle.link_escapes' },
    { name: 'symlink-inside', entries: [{ name: 'alias', type: '2', linkname: 'charts/demo-db/Chart.yaml' }], code: 'bundle.link_refused' },
    { name: 'hardlink-escape', entries: [{ name: 'shadow', type: '1', linkname: '../../outside/target' }], code: 'bundle.link_escapes', message: /hard link/ },
    { name: 'hardlink-absolute', entries: [{ name: 'hosts', type: '1', linkname: '/etc/hosts' }], code: 'bundle.link_escapes' },
    { name: 'char-device', entries: [{ name: 'dev/null', type: '3' }], code: 'bundle.special_file', message: /character device/ },
    { name: 'block-device', entries: [{ name: 'sda', type: '4' }], code: 'bundle.special_file', message: /block device/ },
    { name: 'fifo', entries: [{ name: 'pipe', type: '6' }], code: 'bundle.special_file', message: /FIFO/ },
    { name: 'unknown-type', entries: [{ name: 'weird', type: 'Z', data: 'x' }], code: 'bundle.special_file', message: /unsupported type/ },
    { name: 'duplicate', entries: [{ name: 'bundle.yaml', data: 'kind: Evil\n' }], code: 'bundle.duplicate_entry', message: /bundle\.yaml appears more than once/ },
    { name: 'duplicate-case', entries: [{ name: 'Bundle.YAML', data: 'x' }], code: 'bundle.duplicate_entry' },
    { name: 'file-folder-clash', entries: [{ name: 'bundle.yaml/inner', data: 'x' }], code: 'bundle.duplicate_entry' },
    { name: 'pax-path-escape', entries: [longEvil('x', '../../outside/pax-evil.txt')], code: 'bundle.unsafe_path' },
    { name: 'gnu-longname-escape', entries: [longEvil('L', '../../outside/gnu-evil.txt')], code: 'bundle.unsafe_path' },
    { name: 'bad-checksum', entries: [{ name: 'x.txt', data: 'x', badChecksum: true }], code: 'bundle.archive_corrupt', message: /checksum/ },
  ];

  for (const gz of [false, true]) {
    it.each(cases)(`refuses $name ${gz ? '(.tar.gz)' : '(.tar)'}, writes nothing anywhere`, async ({ name, entries, code, message }) => {
      const work = join(tmp, 'work', `${name}${gz ? '-gz' : ''}`);
      mkdirSync(work, { recursive: true });
      // The bad entries come after a whole valid bundle, so files were already written when they arrive.
      const bytes = Buffer.concat([withoutEndMarker(demoTar), rawTar(entries)]);
      const archive = join(work, gz ? 'crafted.tar.gz' : 'crafted.tar');
      writeFileSync(archive, gz ? gzipSync(bytes) : bytes);
      const dest = join(work, 'dest');
      const before = tree(tmp).filter((p) => !p.startsWith(`work/${name}`));
      const err = await extractBundle(archive, dest, trust).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(err?.code).toBe(code);
      if (message) expect(err?.message).toMatch(message);
      expect(existsSync(dest)).toBe(false);
      expect(tree(outside)).toEqual([]);
      expect(existsSync('/tmp/outpost-absolute-evil.txt')).toBe(false);
      expect(tree(tmp).filter((p) => !p.startsWith(`work/${name}`))).toEqual(before);
      expect(tree(work)).toEqual([gz ? 'crafted.tar.gz' : 'crafted.tar']);
      // verify reports the same problem without writing anything.
      if (code === 'bundle.archive_corrupt') await expect(verifyBundle(archive, trust)).rejects.toMatchObject({ code });
      else expect((await verifyBundle(archive, trust)).problems.map((p) => p.code)).toContain(code);
    });
  }

  it('refuses an archive that node-tar made with preserved ../ paths and links', async () => {
    const work = join(tmp, 'work', 'node-tar');
    mkdirSync(join(work, 'src', 'sub'), { recursive: true });
    writeFileSync(join(work, 'src', 'bundle.yaml'), 'kind: Bundle\n');
    writeFileSync(join(work, 'secret.txt'), 'not for the bundle');
    const archive = join(work, 'n.tar.gz');
    await tar.c({ file: archive, gzip: true, cwd: join(work, 'src', 'sub'), preservePaths: true }, ['../bundle.yaml', '../../secret.txt']);
    const err = await extractBundle(archive, join(work, 'dest')).catch((e: { code: string }) => e);
    expect(err).toMatchObject({ code: 'bundle.unsafe_path' });
    expect(existsSync(join(work, 'dest'))).toBe(false);
  });

  it('refuses unlisted and tampered files after extracting, and removes what it wrote', async () => {
    const work = join(tmp, 'work', 'unlisted');
    mkdirSync(work, { recursive: true });
    const archive = join(work, 'u.tar');
    writeFileSync(archive, Buffer.concat([withoutEndMarker(demoTar), rawTar([{ name: 'extra/run-me.sh', data: 'echo hi\n', mode: 0o755 }])]));
    type Err = { code: string; message: string; details: { problems: { message: string }[] } };
    const err = (await extractBundle(archive, join(work, 'dest'), trust).then(
      () => undefined,
      (e: Err) => e,
    )) as Err;
    expect(err.code).toBe('bundle.verify_failed');
    expect(err.details.problems.map((p) => p.message)).toEqual(['extra/run-me.sh is in the bundle but not listed in SHA256SUMS']);
    expect(existsSync(join(work, 'dest'))).toBe(false);
  });

  it('empties a target it did not create when extraction fails', async () => {
    const work = join(tmp, 'work', 'precreated');
    const dest = join(work, 'dest');
    mkdirSync(dest, { recursive: true });
    const archive = join(work, 'p.tar');
    writeFileSync(archive, Buffer.concat([withoutEndMarker(demoTar), rawTar([{ name: '../escape', data: 'x' }])]));
    await expect(extractBundle(archive, dest)).rejects.toMatchObject({ code: 'bundle.unsafe_path' });
    expect(existsSync(dest)).toBe(true);
    expect(tree(dest)).toEqual([]);
  });
});
