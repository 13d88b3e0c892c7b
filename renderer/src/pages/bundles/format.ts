import { formatBytes as format } from '../../../../electron/core/util/format-bytes';

/** Byte sizes the way `ls -h` prints them, with an em dash for unknown. */
export const formatBytes = (n: number | undefined) => format(n, '—');

/** The first hex digits of a digest, enough to tell bundles apart on screen. */
export function shortDigest(digest: string | undefined): string {
  return digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '—';
}
