import { createReadStream, promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { bundleError } from './messages';

/**
 * A small strict tar reader (ustar, pax 'x'/'g', GNU 'L'/'K'), written here rather than taken
 * from node-tar so that nothing is silently skipped or rewritten: unknown entry types, bad
 * header checksums, data after the end marker and truncation are all reported, and the caller
 * sees every entry exactly as another tar implementation would see it.
 */

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'char-device' | 'block-device' | 'fifo' | 'other';

export interface TarEntry {
  /** Name as stored (after pax/GNU long names), not yet normalised or checked. */
  path: string;
  type: TarEntryType;
  typeflag: string;
  size: number;
  mode: number;
  linkpath?: string;
  /** Offset of the entry's data in the (uncompressed) tar stream. */
  dataOffset: number;
  /** Offset of the entry's first header block. */
  headerOffset: number;
}

/** Pull-based bytes: a file read at positions (so skipping is free) or a stream (gunzip). */
export interface ByteSource {
  /** Up to n bytes; null at the end. */
  read(n: number): Promise<Buffer | null>;
  /** Skips n bytes; returns how many were really there. */
  skip(n: number): Promise<number>;
  close(): Promise<void>;
}

export class StreamSource implements ByteSource {
  private it: AsyncIterator<Buffer>;
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  /** `upstream`: streams feeding this one (the file under a gunzip), closed with it so no descriptor leaks. */
  constructor(
    private readonly stream: Readable,
    private readonly upstream: Readable[] = [],
  ) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  private consumed = 0;

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    let r: IteratorResult<Buffer>;
    try {
      r = await this.it.next();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR…) mean the compressed bytes are damaged or cut.
      if (typeof err.code === 'string' && err.code.startsWith('Z_')) {
        throw bundleError('bundle.archive_corrupt', { offset: this.consumed, reason: `gzip data is damaged or truncated (${err.message})` });
      }
      throw e;
    }
    if (r.done) {
      this.ended = true;
      return false;
    }
    this.consumed += r.value.length;
    this.buf = this.buf.length ? Buffer.concat([this.buf, r.value]) : r.value;
    return true;
  }

  async read(n: number): Promise<Buffer | null> {
    if (this.buf.length === 0 && !(await this.fill())) return null;
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n) {
      const b = await this.read(n - done);
      if (!b) break;
      done += b.length;
    }
    return done;
  }

  async close(): Promise<void> {
    for (const s of [this.stream, ...this.upstream]) s.destroy();
    await Promise.all(
      this.upstream.filter((s) => !s.closed).map((s) => new Promise<void>((res) => s.once('close', () => res()))),
    );
  }
}

export class FileSource implements ByteSource {
  private pos = 0;

  private constructor(
    private readonly fh: fsp.FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<FileSource> {
    const fh = await fsp.open(path, 'r');
    const st = await fh.stat();
    return new FileSource(fh, st.size);
  }

  async read(n: number): Promise<Buffer | null> {
    const len = Math.min(n, this.size - this.pos);
    if (len <= 0) return null;
    const b = Buffer.allocUnsafe(len);
    const { bytesRead } = await this.fh.read(b, 0, len, this.pos);
    if (bytesRead === 0) return null;
    this.pos += bytesRead;
    return b.subarray(0, bytesRead);
  }

  async skip(n: number): Promise<number> {
    const k = Math.max(0, Math.min(n, this.size - this.pos));
    this.pos += k;
    return k;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export type ArchiveKind = 'tar' | 'tar.gz';

/** Tells a tar from a gzip by content, not by file name; other compressions are refused by name. */
export async function sniffArchive(path: string): Promise<ArchiveKind | { reason: string }> {
  const fh = await fsp.open(path, 'r');
  try {
    const b = Buffer.alloc(512);
    const { bytesRead } = await fh.read(b, 0, 512, 0);
    if (bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'tar.gz';
    if (bytesRead >= 4 && b.readUInt32LE(0) === 0xfd2fb528) return { reason: 'zstd compression is not supported; use .tar or .tar.gz' };
    if (bytesRead >= 6 && b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return { reason: 'xz compression is not supported; use .tar or .tar.gz' };
    if (bytesRead >= 3 && b.subarray(0, 3).toString() === 'BZh') return { reason: 'bzip2 compression is not supported; use .tar or .tar.gz' };
    if (bytesRead >= 4 && b.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return { reason: 'zip archives are not supported; use .tar or .tar.gz' };
    if (bytesRead === 512 && (b.subarray(257, 262).toString() === 'ustar' || checksumOk(b))) return 'tar';
    return { reason: 'neither a tar nor a gzip file' };
  } finally {
    await fh.close();
  }
}

/** Opens a bundle archive as a byte source of its uncompressed tar stream. */
export async function openArchive(path: string, kind: ArchiveKind): Promise<ByteSource> {
  if (kind === 'tar') return FileSource.open(path);
  const gunzip = createGunzip();
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  file.on('error', (e) => gunzip.destroy(e));
  file.pipe(gunzip);
  return new StreamSource(gunzip, [file]);
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function cstr(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const z = s.indexOf(0);
  return (z >= 0 ? s.subarray(0, z) : s).toString('utf8');
}

function num(b: Buffer, start: number, len: number): number {
  const f = b.subarray(start, start + len);
  if (f[0] & 0x80) {
    // GNU base-256 for values that do not fit in octal (files over 8 GiB).
    if (f[0] === 0xff) return NaN; // negative: never valid for size or mode here
    let v = f[0] & 0x7f;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i];
    return v;
  }
  const s = f.toString('latin1').replace(/[\0 ]+$/g, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return NaN;
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = num(h, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < b.length) {
    if (b[i] === 0) break;
    const sp = b.indexOf(0x20, i);
    if (sp < 0) throw new Error('pax record without length');
    const len = Number(b.subarray(i, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > b.length) throw new Error('bad pax record length');
    const rec = b.subarray(sp + 1, i + len - 1).toString('utf8');
    if (b[i + len - 1] !== 0x0a) throw new Error('pax record not ended by a newline');
    const eq = rec.indexOf('=');
    if (eq < 0) throw new Error('pax record without =');
    out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '5': 'directory',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char-device',
  '4': 'block-device',
  '6': 'fifo',
};

const MAX_META = 1024 * 1024;

export class TarReader {
  private remain = 0;
  private pad = 0;
  private pos = 0;
  private globalPax: Record<string, string> = {};

  constructor(private readonly src: ByteSource) {}

  /** Bytes of the tar stream consumed so far (for progress). */
  get offset(): number {
    return this.pos;
  }

  private corrupt(reason: string, at = this.pos): never {
    throw bundleError('bundle.archive_corrupt', { offset: at, reason });
  }

  private async exact(n: number): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < n) {
      const b = await this.src.read(n - got);
      if (!b) break;
      parts.push(b);
      got += b.length;
    }
    this.pos += got;
    if (got === 0) return null;
    if (got < n) this.corrupt('unexpected end of archive');
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  private async skipBytes(n: number): Promise<void> {
    if (n <= 0) return;
    const k = await this.src.skip(n);
    this.pos += k;
    if (k < n) this.corrupt('unexpected end of archive');
  }

  /**
   * Every entry in order; each one's data may be read in the loop body before the next is fetched.
   * With a signal, cancellation is checked before each header is read.
   */
  async *entries(signal?: AbortSignal): AsyncGenerator<TarEntry> {
    for (;;) {
      signal?.throwIfAborted();
      const e = await this.next();
      if (!e) return;
      yield e;
    }
  }

  /** The next entry, or null at the end; unread data of the previous entry is skipped. */
  async next(): Promise<TarEntry | null> {
    await this.skipBytes(this.remain + this.pad);
    this.remain = this.pad = 0;
    let pax: Record<string, string> = {};
    let longName: string | undefined;
    let longLink: string | undefined;
    for (;;) {
      const headerOffset = this.pos;
      const h = await this.exact(512);
      // Some writers omit the two zero blocks; a clean end at a header boundary is accepted
      // (a file cut off there is still caught: it is missing from SHA256SUMS' point of view).
      if (!h) return null;
      if (isZero(h)) {
        const h2 = await this.exact(512);
        if (h2 && !isZero(h2)) this.corrupt('entries after the end-of-archive marker', headerOffset);
        return null;
      }
      if (!checksumOk(h)) this.corrupt('header checksum mismatch', headerOffset);
      const typeflag = String.fromCharCode(h[156]);
      const rawSize = num(h, 124, 12);
      if (!Number.isSafeInteger(rawSize) || rawSize < 0) this.corrupt('bad size field', headerOffset);
      const padOf = (n: number) => (512 - (n % 512)) % 512;
      if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
        if (rawSize > MAX_META) this.corrupt('metadata header too large', headerOffset);
        const body = (await this.exact(rawSize)) ?? Buffer.alloc(0);
        await this.skipBytes(padOf(rawSize));
        try {
          if (typeflag === 'x') pax = { ...pax, ...parsePax(body) };
          else if (typeflag === 'g') this.globalPax = { ...this.globalPax, ...parsePax(body) };
          else if (typeflag === 'L') longName = cstr(body, 0, body.length);
          else longLink = cstr(body, 0, body.length);
        } catch (e) {
          this.corrupt((e as Error).message, headerOffset);
        }
        continue;
      }
      const magic = h.subarray(257, 263).toString('latin1');
      const ustar = magic === 'ustar\0';
      let path = cstr(h, 0, 100);
      if (ustar) {
        const prefix = cstr(h, 345, 155);
        if (prefix) path = `${prefix}/${path}`;
      }
      const ext = { ...this.globalPax, ...pax };
      if (longName !== undefined) path = longName;
      if (ext.path !== undefined) path = ext.path;
      let linkpath: string | undefined = cstr(h, 157, 100) || undefined;
      if (longLink !== undefined) linkpath = longLink;
      if (ext.linkpath !== undefined) linkpath = ext.linkpath;
      let size = rawSize;
      if (ext.size !== undefined) {
        size = Number(ext.size);
        if (!Number.isSafeInteger(size) || size < 0) this.corrupt('bad pax size', headerOffset);
      }
      const type = TYPES[typeflag] ?? 'other';
      const mode = num(h, 100, 8);
      const entry: TarEntry = {
        path,
        type,
        typeflag,
        size: type === 'file' || type === 'other' ? size : 0,
        mode: Number.isNaN(mode) ? 0 : mode & 0o7777,
        linkpath,
        dataOffset: this.pos,
        headerOffset,
      };
      // Writers disagree on whether link and device entries carry data; the bytes follow the
      // header whenever the size says so, and are skipped, never taken for the next header.
      this.remain = size;
      this.pad = padOf(size);
      return entry;
    }
  }

  /** The current entry's data, in chunks; each chunk is only valid until the next read. */
  async *body(maxChunk = 1024 * 1024): AsyncGenerator<Buffer> {
    while (this.remain > 0) {
      const b = await this.src.read(Math.min(this.remain, maxChunk));
      if (!b) this.corrupt('unexpected end of archive');
      this.remain -= b.length;
      this.pos += b.length;
      yield b;
    }
  }

  async readAll(limit: number): Promise<Buffer> {
    if (this.remain > limit) throw new Error(`entry larger than ${limit} bytes`);
    const parts: Buffer[] = [];
    for await (const b of this.body()) parts.push(Buffer.from(b));
    return Buffer.concat(parts);
  }
}

/** An entry's path without the leading `./` that some tar writers add. */
export const entryPath = (e: TarEntry): string => e.path.replace(/^(\.\/)+/, '');
