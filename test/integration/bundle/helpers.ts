import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import type { JobContext, Progress } from '../../../electron/core/jobs/context';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const STANDIN = join(ROOT, 'test/fixtures/k3s-standin');
export const STANDIN_HELM = join(STANDIN, 'helm');
export const DEMO_SRC = join(ROOT, 'bundles/demo');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `outpost-${prefix}-`));
}

export function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A JobContext that records what it is told. */
export function recordingContext(signal = new AbortController().signal): JobContext & { events: Progress[]; logs: string[] } {
  const events: Progress[] = [];
  const logs: string[] = [];
  return { signal, events, logs, progress: (p) => events.push(p), log: (l) => logs.push(l) };
}

// --- Raw tar headers, written independently of the code under test, for crafted archives.

export interface RawEntry {
  name: string;
  /** Typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '5' folder, '6' FIFO, 'x' pax, 'L' GNU long name, ... */
  type?: string;
  data?: Buffer | string;
  linkname?: string;
  mode?: number;
  /** Corrupt the header checksum. */
  badChecksum?: boolean;
}

function field(h: Buffer, s: string, off: number, len: number) {
  Buffer.from(s, 'utf8').copy(h, off, 0, len);
}

export function rawHeader(e: RawEntry): Buffer {
  const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
  const h = Buffer.alloc(512);
  field(h, e.name, 0, 100);
  field(h, (e.mode ?? 0o644).toString(8).padStart(7, '0') + '\0', 100, 8);
  field(h, '0000000\0', 108, 8);
  field(h, '0000000\0', 116, 8);
  field(h, data.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  field(h, '00000000000\0', 136, 12);
  h.fill(0x20, 148, 156);
  field(h, e.type ?? '0', 156, 1);
  if (e.linkname) field(h, e.linkname, 157, 100);
  field(h, 'ustar\0', 257, 6);
  field(h, '00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  if (e.badChecksum) sum += 1;
  field(h, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return h;
}

export function rawEntry(e: RawEntry): Buffer {
  const data = e.data === undefined ? Buffer.alloc(0) : Buffer.from(e.data);
  return Buffer.concat([rawHeader(e), data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** A tar from raw entries, with the two zero blocks at the end. */
export function rawTar(entries: (RawEntry | Buffer)[]): Buffer {
  return Buffer.concat([...entries.map((e) => (Buffer.isBuffer(e) ? e : rawEntry(e))), Buffer.alloc(1024)]);
}

/** The entries of an uncompressed tar without its end marker, to append crafted entries to. */
export function withoutEndMarker(tar: Buffer): Buffer {
  let o = 0;
  while (o + 512 <= tar.length) {
    const h = tar.subarray(o, o + 512);
    if (h.every((b) => b === 0)) break;
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim() || '0', 8);
    o += 512 + Math.ceil(size / 512) * 512;
  }
  return tar.subarray(0, o);
}
