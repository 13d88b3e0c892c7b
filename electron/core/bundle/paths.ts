import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Paths inside a bundle: relative, '/'-separated, portable to Windows laptops and Linux hosts.
 * One rule set serves SHA256SUMS, bundle.yaml references, archive entries and extraction, so a
 * name that could escape or collide anywhere is refused everywhere.
 */

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why a bundle path is unsafe, or undefined when it is fine. */
export function unsafePathReason(p: string): string | undefined {
  if (p.length === 0) return 'empty path';
  if (p.length > 1024) return 'path longer than 1024 characters';
  if (p.includes('\0')) return 'NUL character';
  if (/[\x00-\x1f\x7f]/.test(p)) return 'control character';
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.startsWith('\\')) return 'absolute path';
  if (p.includes('\\')) return 'backslash in path';
  if (p.includes(':')) return 'colon in path';
  const segs = p.split('/');
  for (const s of segs) {
    if (s === '..') return "'..' segment";
    if (s === '.') return "'.' segment";
    if (s === '') return 'empty segment';
    // Windows drops trailing dots and spaces, so 'a.' and 'a' would be the same file there.
    if (/[. ]$/.test(s)) return 'segment ends with a dot or a space';
    if (WINDOWS_RESERVED.test(s)) return `reserved name '${s}'`;
  }
  return undefined;
}

/**
 * Normalises an archive entry name the way tar writers vary ('./a', 'a/' for folders), then
 * checks it; returns the clean path or the reason it is refused.
 */
export function normalizeEntryPath(raw: string): { path: string } | { reason: string } {
  let p = raw;
  while (p.startsWith('./')) p = p.slice(2);
  while (p.endsWith('/') && p.length > 1) p = p.slice(0, -1);
  if (p === '.' || p === '') return { path: '' };
  const reason = unsafePathReason(p);
  return reason ? { reason } : { path: p };
}

/** Key under which two names would land on the same file on a case-insensitive file system. */
export function collisionKey(p: string): string {
  return p.normalize('NFC').toLowerCase();
}

/** Resolves a checked bundle path under root and proves the result stays inside root. */
export function resolveInside(root: string, rel: string): string {
  const reason = unsafePathReason(rel);
  if (reason) throw new Error(`unsafe bundle path ${JSON.stringify(rel)}: ${reason}`);
  const base = resolve(root);
  const full = resolve(base, ...rel.split('/'));
  const r = relative(base, full);
  if (r === '' || r.startsWith('..') || isAbsolute(r) || r.split(sep).includes('..')) {
    throw new Error(`bundle path ${JSON.stringify(rel)} resolves outside ${base}`);
  }
  return full;
}

/** Whether a link target, relative to the link's folder inside the bundle, stays inside it. */
export function linkStaysInside(linkPath: string, target: string): boolean {
  if (target.startsWith('/') || /^[a-zA-Z]:/.test(target) || target.includes('\\')) return false;
  const parts = linkPath.split('/').slice(0, -1);
  for (const s of target.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (parts.length === 0) return false;
      parts.pop();
    } else parts.push(s);
  }
  return true;
}

/** Byte-wise order (as C locale `sort` and `sha256sum` users expect), not locale order. */
export function comparePaths(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}
