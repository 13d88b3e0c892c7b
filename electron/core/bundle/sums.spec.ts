import { describe, expect, it } from 'vitest';
import { digestOfSums, formatSums, parseSums } from './sums';

const H = 'a'.repeat(64);
const G = 'b'.repeat(64);

describe('SHA256SUMS', () => {
  it('formats like sha256sum, sorted byte-wise, and parses back', () => {
    const text = formatSums(new Map([['b.txt', G], ['B.txt', H], ['a/x', H]]));
    expect(text).toBe(`${H}  B.txt\n${H}  a/x\n${G}  b.txt\n`);
    const { sums, problems } = parseSums(text);
    expect(problems).toEqual([]);
    expect([...sums.keys()]).toEqual(['B.txt', 'a/x', 'b.txt']);
  });

  it('accepts the binary marker and CRLF', () => {
    const { sums, problems } = parseSums(`${H} *a.bin\r\n`);
    expect(problems).toEqual([]);
    expect(sums.get('a.bin')).toBe(H);
  });

  it('reports malformed lines by number', () => {
    const { problems } = parseSums(`${H}  ok\nnot a line\n${H}  ../evil\n${H}  ok\n${H}  SHA256SUMS\n`);
    expect(problems.map((p) => p.params?.line)).toEqual([2, 3, 4, 5]);
    expect(problems[1].message).toMatch(/\.\.\/evil: '\.\.' segment/);
    expect(problems[2].message).toMatch(/listed twice/);
    expect(problems.every((p) => p.code === 'bundle.sums_invalid' && p.file === 'SHA256SUMS')).toBe(true);
  });

  it('refuses an empty list', () => {
    expect(parseSums('').problems[0].message).toMatch(/no files listed/);
  });

  it('names the bundle by the sha256 of SHA256SUMS', () => {
    expect(digestOfSums('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
