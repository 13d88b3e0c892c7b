import { promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { bundleError } from './messages';
import { EntryTracker, kindWord, problem } from './entries';
import { unsafePathReason, comparePaths, linkStaysInside } from './paths';
import { MANIFEST_FILE, SIG_FILE, SUMS_FILE } from './sums';
import { openArchive, sniffArchive, TarReader, entryPath } from './tar-read';
import type { BundleKind, Problem } from './types';

/** Small files are read whole (manifest, sums, specs, values); nothing else is. */
export const SMALL_FILE_LIMIT = 4 * 1024 * 1024;
/** SHA256SUMS grows with the file count (~80 bytes a file): room for 800k files. */
export const META_FILE_LIMIT = 64 * 1024 * 1024;

export function smallFileLimit(p: string): number {
  return p === MANIFEST_FILE || p === SUMS_FILE || p === SIG_FILE ? META_FILE_LIMIT : SMALL_FILE_LIMIT;
}

/** Folder, .tar or .tar.gz, judged by content; a clear error for anything else. */
export async function detectKind(path: string): Promise<BundleKind> {
  let st: Stats;
  try {
    st = await fsp.stat(path);
  } catch {
    throw bundleError('bundle.not_found', { path });
  }
  if (st.isDirectory()) {
    try {
      const m = await fsp.lstat(join(path, MANIFEST_FILE));
      if (!m.isFile()) throw new Error();
    } catch {
      throw bundleError('bundle.manifest_missing', { path });
    }
    return 'folder';
  }
  if (!st.isFile()) throw bundleError('bundle.unsupported_format', { path, reason: 'not a file or folder' });
  const k = await sniffArchive(path);
  if (typeof k !== 'string') throw bundleError('bundle.unsupported_format', { path, reason: k.reason });
  return k;
}

export interface FolderFile {
  path: string;
  abs: string;
  size: number;
  mode: number;
}

/**
 * Files operating systems drop on sticks by themselves (macOS AppleDouble and Finder files,
 * Windows thumbnails). In a folder bundle they are skipped, never hashed, copied or used; a
 * folder bundle copied to a FAT stick by a Mac would otherwise never verify. Archives get no
 * such leniency.
 */
export function isOsJunk(name: string): boolean {
  return name === '.DS_Store' || name.startsWith('._') || name === 'Thumbs.db' || name === 'desktop.ini' || name === '.Spotlight-V100' || name === '.Trashes' || name === '.fseventsd' || name === 'System Volume Information' || name === '$RECYCLE.BIN';
}

/**
 * Lists a folder bundle without following links: a symlink on a USB stick could otherwise
 * make the installer upload any file of the laptop.
 */
export async function walkFolder(root: string, signal?: AbortSignal): Promise<{ files: FolderFile[]; problems: Problem[] }> {
  const files: FolderFile[] = [];
  const problems: Problem[] = [];
  const tracker = new EntryTracker();
  const visit = async (dir: string, rel: string): Promise<void> => {
    signal?.throwIfAborted();
    const names = (await fsp.readdir(dir)).sort(comparePaths);
    for (const name of names) {
      if (isOsJunk(name)) continue;
      const p = rel ? `${rel}/${name}` : name;
      const abs = join(dir, name);
      const reason = unsafePathReason(p);
      if (reason) {
        problems.push(problem('bundle.unsafe_path', { file: p, reason }));
        continue;
      }
      const st = await fsp.lstat(abs);
      if (st.isSymbolicLink()) {
        const target = await fsp.readlink(abs).catch(() => '?');
        const code = linkStaysInside(p, target.replace(/\\/g, '/')) && !target.startsWith('/') ? 'bundle.link_refused' : 'bundle.link_escapes';
        problems.push(problem(code, { file: p, kind: kindWord('symlink'), target }));
      } else if (st.isDirectory()) {
        tracker.add(p, 'directory');
        await visit(abs, p);
      } else if (st.isFile()) {
        const v = tracker.add(p, 'file');
        if (v.kind === 'refused') problems.push(v.problem);
        else files.push({ path: p, abs, size: st.size, mode: st.mode & 0o7777 });
      } else {
        const kind = st.isFIFO() ? 'fifo' : st.isCharacterDevice() ? 'char-device' : st.isBlockDevice() ? 'block-device' : st.isSocket() ? 'socket' : 'other';
        problems.push(problem('bundle.special_file', { file: p, kind: kindWord(kind) }));
      }
    }
  };
  await visit(root, '');
  return { files, problems };
}

/**
 * Reads a few small files from a bundle of any kind. For archives it stops as soon as all were
 * seen: the builder writes bundle.yaml, SHA256SUMS and its signature first, so scanning a stick
 * full of multi-gigabyte bundles reads a few kilobytes of each. No safety checks here: nothing
 * is written, and full verification comes before use.
 */
export async function readSmallFiles(
  path: string,
  kind: BundleKind,
  names: string[],
  opts: { maxScanBytes?: number } = {},
): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (kind === 'folder') {
    for (const n of names) {
      if (unsafePathReason(n)) continue;
      try {
        const abs = join(path, ...n.split('/'));
        const st = await fsp.lstat(abs);
        if (st.isFile() && st.size <= smallFileLimit(n)) out.set(n, await fsp.readFile(abs));
      } catch {
        /* absent */
      }
    }
    return out;
  }
  const wanted = new Set(names);
  const src = await openArchive(path, kind);
  try {
    const r = new TarReader(src);
    for await (const e of r.entries()) {
      const p = entryPath(e);
      if (e.type === 'file' && wanted.has(p) && !out.has(p) && e.size <= smallFileLimit(p)) {
        out.set(p, await r.readAll(smallFileLimit(p)));
        if (out.size === wanted.size) break;
      }
      if (opts.maxScanBytes !== undefined && r.offset > opts.maxScanBytes) break;
    }
  } finally {
    await src.close();
  }
  return out;
}

export async function sizeOf(path: string, kind: BundleKind): Promise<number> {
  if (kind !== 'folder') return (await fsp.stat(path)).size;
  const { files } = await walkFolder(path);
  return files.reduce((a, f) => a + f.size, 0);
}

export const META_NAMES = [MANIFEST_FILE, SUMS_FILE, SIG_FILE];
