import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HashPool, hashFiles } from './hash-pool';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('hash pool', () => {
  const d = mkdtempSync(join(tmpdir(), 'hash-'));
  const data = Array.from({ length: 6 }, (_, i) => randomBytes(100_000 * (i + 1) + 7));
  data.forEach((b, i) => writeFileSync(join(d, `f${i}`), b));
  writeFileSync(join(d, 'empty'), '');

  it('hashes many files in parallel, in small chunks, like crypto does', async () => {
    const pool = new HashPool(2, 64 * 1024);
    const progress: number[] = [];
    const out = await hashFiles(
      [...data.map((b, i) => ({ path: join(d, `f${i}`), size: b.length })), { path: join(d, 'empty'), size: 0 }],
      { pool, ctx: { signal: new AbortController().signal, progress: (p) => progress.push(p.bytesDone ?? 0), log: () => {} } },
    );
    data.forEach((b, i) => expect(out.get(join(d, `f${i}`))).toEqual({ hex: sha(b), bytes: b.length }));
    expect(out.get(join(d, 'empty'))).toEqual({ hex: sha(Buffer.alloc(0)), bytes: 0 });
    expect(progress.at(-1)).toBe(data.reduce((a, b) => a + b.length, 0));
    await pool.close();
  });

  it('hashes a byte range (an entry inside an uncompressed tar)', async () => {
    const pool = new HashPool(1);
    const r = await pool.hash({ path: join(d, 'f2'), start: 1000, end: 5000 });
    expect(r).toEqual({ hex: sha(data[2].subarray(1000, 5000)), bytes: 4000 });
    await expect(pool.hash({ path: join(d, 'f0'), start: 0, end: data[0].length + 10 })).rejects.toThrow(/shorter than expected/);
    await pool.close();
  });

  it('reports unreadable files as outcomes, by name', async () => {
    const out = await hashFiles([{ path: join(d, 'missing') }], { pool: new HashPool(1) });
    expect(out.get(join(d, 'missing'))).toEqual({ error: { code: 'ENOENT', message: expect.stringMatching(/no such file/) } });
  });

  it('stops when the job is cancelled', async () => {
    const pool = new HashPool(1, 1024);
    const ac = new AbortController();
    const p = hashFiles(
      data.map((b, i) => ({ path: join(d, `f${i}`), size: b.length })),
      { pool, ctx: { signal: ac.signal, progress: () => {}, log: () => {} } },
    );
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await pool.close();
  });
});
