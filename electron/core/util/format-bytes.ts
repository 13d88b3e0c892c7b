/**
 * Byte sizes the way `ls -h` prints them (binary units, one decimal below 10). Pure, so the CLI
 * and the renderer share it.
 */
export function formatBytes(n: number | undefined | null, empty = '-'): string {
  if (n === undefined || n === null || n < 0 || Number.isNaN(n)) return empty;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
