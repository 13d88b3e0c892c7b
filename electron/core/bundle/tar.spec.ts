import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { StreamSource, TarReader, FileSource, sniffArchive } from './tar-read';
import { gzipChunks, tarChunks, writeTarFile, type TarFile } from './tar-write';
import { gunzipSync } from 'node:zlib';

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of it) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}

async function readAll(buf: Buffer): Promise<{ path: string; type: string; data: string; mode: number }[]> {
  const r = new TarReader(new StreamSource(Readable.from([buf])));
  const out = [];
  for (let e = await r.next(); e; e = await r.next()) {
    out.push({ path: e.path, type: e.type, mode: e.mode, data: (await r.readAll(1 << 20)).toString() });
  }
  return out;
}

const file = (path: string, content: string, executable = false): TarFile => ({ path, size: Buffer.byteLength(content), executable, source: Buffer.from(content) });

describe('tar writer and reader', () => {
  const long = 'd'.repeat(120) + '/' + 'f'.repeat(90) + '.txt';
  const veryLong = 'x/'.repeat(150) + 'file.txt';
  const files = [file('a.txt', 'hello'), file('bin/run', '#!/bin/sh\n', true), file(long, 'long'), file(veryLong, 'very long'), file('中文.yaml', 'zh')];

  it('round-trips names of every length and modes', async () => {
    const buf = await collect(tarChunks(files));
    expect(buf.length % 512).toBe(0);
    const got = await readAll(buf);
    expect(got.map((e) => [e.path, e.data, e.mode])).toEqual([
      ['a.txt', 'hello', 0o644],
      ['bin/run', '#!/bin/sh\n', 0o755],
      [long, 'long', 0o644],
      [veryLong, 'very long', 0o644],
      ['中文.yaml', 'zh', 0o644],
    ]);
  });

  it('writes what GNU tar and node-tar read the same way', async () => {
    const d = mkdtempSync(join(tmpdir(), 'tarw-'));
    await writeTarFile(join(d, 'x.tar.gz'), files, { gzip: true, mtime: 0 });
    const listed = execFileSync('tar', ['-tzf', join(d, 'x.tar.gz')], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual(files.map((f) => f.path));
    const seen: string[] = [];
    await tar.t({ file: join(d, 'x.tar.gz'), onReadEntry: (e) => void seen.push(e.path) });
    expect(seen).toEqual(files.map((f) => f.path));
  });

  it('is byte-for-byte reproducible, gzip header included', async () => {
    const a = await collect(gzipChunks(tarChunks(files)));
    const b = await collect(gzipChunks(tarChunks(files)));
    expect(a.equals(b)).toBe(true);
    expect([...a.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(gunzipSync(a).equals(await collect(tarChunks(files)))).toBe(true);
  });

  it('reads archives written by node-tar (pax headers, folders, ./ prefixes)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'tarr-'));
    mkdirSync(join(d, 'src', 'sub'), { recursive: true });
    writeFileSync(join(d, 'src', 'sub', 'ü.txt'), 'umlaut');
    writeFileSync(join(d, 'src', 'b.txt'), 'b');
    await tar.c({ file: join(d, 'n.tar'), cwd: join(d, 'src'), portable: true }, ['./']);
    const src = await FileSource.open(join(d, 'n.tar'));
    const r = new TarReader(src);
    const seen: string[] = [];
    for (let e = await r.next(); e; e = await r.next()) seen.push(`${e.type}:${e.path}`);
    await src.close();
    expect(seen).toEqual(['directory:./', 'file:b.txt', 'directory:sub/', 'file:sub/ü.txt']);
    expect(await sniffArchive(join(d, 'n.tar'))).toBe('tar');
  });

  it('reports damage instead of skipping it', async () => {
    const buf = await collect(tarChunks([file('a', 'x')]));
    const bad = Buffer.from(buf);
    bad[0] ^= 1; // name changes, checksum no longer matches
    await expect(readAll(bad)).rejects.toMatchObject({ code: 'bundle.archive_corrupt', message: /header checksum mismatch/ });
    const cut = buf.subarray(0, 512 + 100);
    await expect(readAll(cut)).rejects.toMatchObject({ code: 'bundle.archive_corrupt', message: /unexpected end/ });
    // An entry hidden after the end-of-archive marker (tar -i would extract it).
    const hidden = Buffer.concat([buf.subarray(0, 1024), Buffer.alloc(512), buf.subarray(0, 1024)]);
    await expect(readAll(hidden)).rejects.toMatchObject({ message: /after the end-of-archive marker/ });
  });

  it('tells formats apart by content', async () => {
    const d = mkdtempSync(join(tmpdir(), 'sniff-'));
    writeFileSync(join(d, 'z.zip'), Buffer.from('PK\x03\x04rest', 'latin1'));
    writeFileSync(join(d, 'x.tar.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]));
    writeFileSync(join(d, 't.txt'), 'hello');
    expect(await sniffArchive(join(d, 'z.zip'))).toEqual({ reason: expect.stringMatching(/zip/) });
    expect(await sniffArchive(join(d, 'x.tar.xz'))).toEqual({ reason: expect.stringMatching(/xz/) });
    expect(await sniffArchive(join(d, 't.txt'))).toEqual({ reason: 'neither a tar nor a gzip file' });
    expect(readFileSync(join(d, 't.txt'), 'utf8')).toBe('hello');
  });
});
