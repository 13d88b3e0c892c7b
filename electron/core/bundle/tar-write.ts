import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants as zc, crc32, createDeflateRaw } from 'node:zlib';

/**
 * A deterministic tar writer: the same entries give the same bytes on every machine. Only what
 * Outpost needs: regular files, ustar headers (pax for long or non-ASCII names), uid/gid 0, no
 * user names, one fixed mtime, modes normalised to 0644/0755, no folder entries, and a gzip
 * frame written by hand so the header carries no time stamp or OS byte.
 */

export interface TarFile {
  /** Checked bundle path. */
  path: string;
  size: number;
  executable: boolean;
  /** Content: a file on disk (streamed) or bytes. */
  source: string | Buffer;
  /** Bundles hold files only; image layers (bundles/demo/build-images.ts) also need folders and links. */
  type?: 'file' | 'directory' | 'symlink';
  linkpath?: string;
  /** Explicit mode (layers: /tmp is 1777); files default to 0644/0755. */
  mode?: number;
}

export interface TarWriteOptions {
  /** Seconds since the epoch for every entry; SOURCE_DATE_EPOCH by convention, 0 otherwise. */
  mtime?: number;
  onBytes?(n: number): void;
  signal?: AbortSignal;
}

function octal(n: number, width: number): string {
  // width includes the terminating NUL
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function writeString(h: Buffer, s: string, off: number, len: number): void {
  Buffer.from(s, 'utf8').copy(h, off, 0, len);
}

function header(name: string, prefix: string, size: number, mode: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  writeString(h, name, 0, 100);
  writeString(h, octal(mode, 8), 100, 8);
  writeString(h, octal(0, 8), 108, 8);
  writeString(h, octal(0, 8), 116, 8);
  if (size < 0o77777777777) writeString(h, octal(size, 12), 124, 12);
  else {
    // GNU base-256 for files of 8 GiB and more.
    h[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  writeString(h, octal(mtime, 12), 136, 12);
  h.fill(0x20, 148, 156);
  writeString(h, type, 156, 1);
  writeString(h, 'ustar\0', 257, 6);
  writeString(h, '00', 263, 2);
  writeString(h, octal(0, 8), 329, 8);
  writeString(h, octal(0, 8), 337, 8);
  writeString(h, prefix, 345, 155);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  writeString(h, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

function splitUstar(p: string): { name: string; prefix: string } | undefined {
  if (!/^[\x20-\x7e]*$/.test(p)) return undefined;
  if (Buffer.byteLength(p) <= 100) return { name: p, prefix: '' };
  for (let i = p.length - 1; i > 0; i--) {
    if (p[i] !== '/') continue;
    const prefix = p.slice(0, i);
    const name = p.slice(i + 1);
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return { name, prefix };
  }
  return undefined;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`, 'utf8');
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

export function entryHeaders(f: TarFile, mtime: number): Buffer[] {
  const type = f.type ?? 'file';
  const mode = f.mode ?? (type === 'directory' || f.executable ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
  if (type !== 'file') {
    const name = type === 'directory' ? `${f.path}/` : f.path;
    if (name.length > 100 || (f.linkpath?.length ?? 0) > 100) throw new Error(`${f.path}: name too long for a folder or link entry`);
    const h = header(name, '', 0, mode, mtime, type === 'directory' ? '5' : '2');
    if (f.linkpath) {
      Buffer.from(f.linkpath).copy(h, 157);
      h.fill(0x20, 148, 156);
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += h[i];
      writeString(h, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
    }
    return [h];
  }
  const split = splitUstar(f.path);
  if (split) return [header(split.name, split.prefix, f.size, mode, mtime, '0')];
  const pax = paxRecord('path', f.path);
  const short = Buffer.from(f.path.replace(/[^\x20-\x7e]/g, '_')).subarray(-90).toString('latin1');
  return [header(`PaxHeader/${short}`.slice(0, 100), '', pax.length, 0o644, mtime, 'x'), pax, pad(pax.length), header(short.slice(0, 100), '', f.size, mode, mtime, '0')];
}

/** The tar stream as chunks: headers, file contents streamed from disk, padding, end marker. */
export async function* tarChunks(files: TarFile[], opts: TarWriteOptions = {}): AsyncGenerator<Buffer> {
  const mtime = opts.mtime ?? 0;
  for (const f of files) {
    opts.signal?.throwIfAborted();
    for (const h of entryHeaders(f, mtime)) yield h;
    if ((f.type ?? 'file') !== 'file') continue;
    if (typeof f.source === 'string') {
      let n = 0;
      for await (const chunk of createReadStream(f.source, { highWaterMark: 1024 * 1024 })) {
        n += (chunk as Buffer).length;
        if (n > f.size) break;
        opts.onBytes?.((chunk as Buffer).length);
        yield chunk as Buffer;
      }
      // A file that changed between hashing and packing would make a bundle that lies.
      if (n !== f.size) throw new Error(`${f.path} changed size while the bundle was being written`);
    } else {
      opts.onBytes?.(f.source.length);
      yield f.source;
    }
    yield pad(f.size);
  }
  yield Buffer.alloc(1024);
}

/**
 * gzip (RFC 1952) around raw deflate, with a fixed 10-byte header: no name, mtime 0, XFL 0,
 * OS 255 (unknown), so the bytes do not depend on the platform zlib was built for.
 */
export async function* gzipChunks(src: AsyncIterable<Buffer>, level = 6): AsyncGenerator<Buffer> {
  yield Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
  const deflate = createDeflateRaw({ level, memLevel: 8, windowBits: 15, strategy: zc.Z_DEFAULT_STRATEGY });
  let crc = 0;
  let len = 0;
  const feed = (async () => {
    for await (const b of src) {
      crc = crc32(b, crc);
      len += b.length;
      if (!deflate.write(b)) await once(deflate, 'drain');
    }
    deflate.end();
  })().catch((e) => deflate.destroy(e as Error));
  for await (const c of deflate) yield c as Buffer;
  await feed;
  const t = Buffer.alloc(8);
  t.writeUInt32LE(crc >>> 0, 0);
  t.writeUInt32LE(len % 2 ** 32, 4);
  yield t;
}

export async function writeTarFile(out: string, files: TarFile[], opts: TarWriteOptions & { gzip: boolean }): Promise<void> {
  const chunks = tarChunks(files, opts);
  await pipeline(Readable.from(opts.gzip ? gzipChunks(chunks) : chunks), createWriteStream(out, { flags: 'wx' }), { signal: opts.signal });
}
