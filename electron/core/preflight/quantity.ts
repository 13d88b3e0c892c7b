/**
 * Kubernetes resource quantities, as troubleshoot's memory and diskUsage analyzers read them
 * (k8s.io/apimachinery resource.ParseQuantity): '40Gi', '10G', '512Mi', '1.5Ti', '100k', '1e9', '500m'.
 * Binary suffixes are powers of 1024, decimal ones powers of 1000.
 */
const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const RX = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/** Parses a quantity to a number of units (bytes for sizes); throws on anything else. */
export function parseQuantity(text: string): number {
  const m = RX.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a quantity (like 40Gi, 10G, 512Mi)`);
  const n = Number(m[1] + (m[2] ?? ''));
  return Math.round(n * SUFFIX[m[3] ?? '']);
}

/** Bytes for people: '37.3 GiB'. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
