import { formatMessage, type BundleCode, type MsgParams } from './messages';
import { collisionKey, linkStaysInside, normalizeEntryPath } from './paths';
import type { TarEntry } from './tar-read';
import type { Problem } from './types';

/**
 * The safety rules for what a bundle may contain, applied the same way to archive entries and
 * to the files of a folder: only regular files and folders, safe relative names, each name once
 * (also on case-insensitive file systems), no file where another needs a folder.
 */

export function problem(code: BundleCode, params: MsgParams & { file?: string }, severity: Problem['severity'] = 'error'): Problem {
  return {
    code,
    severity,
    message: formatMessage(code, params),
    ...(params.file !== undefined ? { file: String(params.file) } : {}),
    params,
  };
}

export type EntryVerdict = { kind: 'file' | 'directory'; path: string } | { kind: 'refused'; problem: Problem };

const KIND_WORDS: Record<string, string> = {
  symlink: 'symbolic link',
  hardlink: 'hard link',
  'char-device': 'character device',
  'block-device': 'block device',
  fifo: 'FIFO',
  socket: 'socket',
  other: 'entry of an unsupported type',
};

export class EntryTracker {
  private files = new Map<string, string>();
  private dirs = new Set<string>();

  /** Judges one archive entry; a refused entry must not be written anywhere. */
  check(e: TarEntry): EntryVerdict {
    const norm = normalizeEntryPath(e.path);
    const shown = e.path.length > 200 ? e.path.slice(0, 200) + '…' : e.path;
    if ('reason' in norm) return { kind: 'refused', problem: problem('bundle.unsafe_path', { file: shown, reason: norm.reason }) };
    const p = norm.path;
    if (e.type === 'symlink' || e.type === 'hardlink') {
      const target = e.linkpath ?? '';
      // Symlink targets are relative to the link's folder; hard link targets to the archive root.
      const inside = e.type === 'symlink' ? linkStaysInside(p, target) : linkStaysInside('x', target) && !('reason' in normalizeEntryPath(target));
      const code = inside ? 'bundle.link_refused' : 'bundle.link_escapes';
      return { kind: 'refused', problem: problem(code, { file: p || shown, kind: KIND_WORDS[e.type], target }) };
    }
    if (e.type !== 'file' && e.type !== 'directory') {
      const kind = e.type === 'other' ? `${KIND_WORDS.other} (type '${e.typeflag.replace(/[^\x20-\x7e]/g, '?')}')` : KIND_WORDS[e.type];
      return { kind: 'refused', problem: problem('bundle.special_file', { file: p || shown, kind }) };
    }
    if (p === '') {
      if (e.type === 'directory') return { kind: 'directory', path: '' };
      return { kind: 'refused', problem: problem('bundle.unsafe_path', { file: shown, reason: 'empty path' }) };
    }
    return this.add(p, e.type);
  }

  /** Records a name, refusing duplicates and file/folder clashes. */
  add(p: string, type: 'file' | 'directory'): EntryVerdict {
    const key = collisionKey(p);
    const dup = () => ({ kind: 'refused' as const, problem: problem('bundle.duplicate_entry', { file: p }) });
    const segs = key.split('/');
    for (let i = 1; i < segs.length; i++) {
      if (this.files.has(segs.slice(0, i).join('/'))) return dup();
    }
    if (type === 'directory') {
      if (this.files.has(key)) return dup();
      this.dirs.add(key);
      return { kind: 'directory', path: p };
    }
    if (this.files.has(key) || this.dirs.has(key)) return dup();
    this.files.set(key, p);
    for (let i = 1; i < segs.length; i++) this.dirs.add(segs.slice(0, i).join('/'));
    return { kind: 'file', path: p };
  }
}

export function kindWord(k: keyof typeof KIND_WORDS): string {
  return KIND_WORDS[k];
}
