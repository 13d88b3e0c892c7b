import { formatBytes as format } from '../../../../electron/core/util/format-bytes';

/** Byte sizes the way `df -h` prints them (the CLI's formatter), with an em dash for unknown. */
export const formatBytes = (n: number | null | undefined): string => format(n, '—');

export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/** The key a report uses for a host: its address, with the port when it is not 22 (site-preflight's label). */
export function hostKey(h: { address: string; port: number }): string {
  return h.port === 22 ? h.address : `${h.address}:${h.port}`;
}

/** Lets the browser save text as a file (a Blob and a download link; Electron handles it the same). */
export function downloadText(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
