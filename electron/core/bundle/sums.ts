import { createHash } from 'node:crypto';
import { comparePaths, unsafePathReason } from './paths';
import type { Problem } from './types';
import { formatMessage } from './messages';

/**
 * SHA256SUMS in the exact format of GNU `sha256sum` (`<hex>  <path>\n`, sorted byte-wise), so
 * an engineer can check a folder bundle with `sha256sum -c SHA256SUMS` and nothing else.
 */
export const SUMS_FILE = 'SHA256SUMS';
export const SIG_FILE = 'SHA256SUMS.sig';
export const MANIFEST_FILE = 'bundle.yaml';
/** Files that describe the bundle's integrity and so cannot be listed in SHA256SUMS. */
export const META_FILES = new Set([SUMS_FILE, SIG_FILE]);

export type Sums = Map<string, string>;

export function formatSums(sums: Sums): string {
  const paths = [...sums.keys()].sort(comparePaths);
  return paths.map((p) => `${sums.get(p)}  ${p}\n`).join('');
}

/** Parses strictly: a malformed line is a problem, not a line to skip. */
export function parseSums(text: string): { sums: Sums; problems: Problem[] } {
  const sums: Sums = new Map();
  const problems: Problem[] = [];
  const bad = (line: number, reason: string) =>
    problems.push({
      code: 'bundle.sums_invalid',
      severity: 'error',
      file: SUMS_FILE,
      message: formatMessage('bundle.sums_invalid', { line, reason }),
      params: { line, reason },
    });
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // ' *' is sha256sum's binary-mode marker; both mean the same bytes on Linux.
    const m = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!m) return bad(i + 1, 'expected "<64 hex digits>  <path>"');
    const p = m[2];
    const reason = unsafePathReason(p);
    if (reason) return bad(i + 1, `${p}: ${reason}`);
    if (META_FILES.has(p)) return bad(i + 1, `${p} cannot list itself`);
    if (sums.has(p)) return bad(i + 1, `${p} is listed twice`);
    sums.set(p, m[1].toLowerCase());
  });
  if (sums.size === 0 && problems.length === 0) bad(1, 'no files listed');
  return { sums, problems };
}

/** The bundle's identity: sha256 of SHA256SUMS, which pins every byte of every file. */
export function digestOfSums(sumsBytes: Buffer | string): string {
  return 'sha256:' + createHash('sha256').update(sumsBytes).digest('hex');
}
