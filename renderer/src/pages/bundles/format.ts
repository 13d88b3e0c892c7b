/** Byte sizes the way `ls -h` prints them (binary units, one decimal below 10). */
export function formatBytes(n: number | undefined): string {
  if (n === undefined || n < 0 || Number.isNaN(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** The first hex digits of a digest, enough to tell bundles apart on screen. */
export function shortDigest(digest: string | undefined): string {
  return digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '—';
}
