import type { JobContext } from '../jobs/context';
import { readBundleMeta, subtreeDigest, type BundleMeta } from './inspect';
import type { BundleDiff, ChartChange, ChartInfo, TrustedKey } from './types';

/**
 * What changes between two bundles, as a UI or `outpost bundle diff` shows it before an
 * upgrade: k3s version, charts (added, removed, new version, changed files, changed values
 * template with a unified diff), images, questions, specs, and the raw file list.
 */

/** Unified diff of two texts by lines (LCS; values templates are small). */
export function unifiedDiff(a: string, b: string, nameA = 'a', nameB = 'b', context = 3): string {
  if (a === b) return '';
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  type Op = { t: ' ' | '-' | '+'; s: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ t: ' ', s: x[i], ai: i++, bi: j++ });
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ t: '-', s: x[i], ai: i++, bi: j });
    else ops.push({ t: '+', s: y[j], ai: i, bi: j++ });
  }
  const out = [`--- ${nameA}`, `+++ ${nameB}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k].t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // Extend the hunk while changes are closer than 2*context lines apart.
    for (let q = k; q < ops.length; q++) {
      if (ops[q].t !== ' ') end = q;
      else if (q - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const hunk = ops.slice(start, stop);
    const aLen = hunk.filter((o) => o.t !== '+').length;
    const bLen = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${hunk[0].ai + 1},${aLen} +${hunk[0].bi + 1},${bLen} @@`);
    for (const o of hunk) out.push(o.t + o.s);
    k = stop;
  }
  return out.join('\n') + '\n';
}

function allImageRefs(meta: BundleMeta): Set<string> {
  return new Set(meta.info.images.flatMap((i) => i.refs));
}

function chartsByRelease(meta: BundleMeta): Map<string, ChartInfo> {
  const out = new Map<string, ChartInfo>();
  for (const g of meta.info.groups) for (const c of g.charts) out.set(`${c.namespace}/${c.release}`, c);
  return out;
}

function same<T>(a: T, b: T): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffMeta(from: BundleMeta, to: BundleMeta): BundleDiff {
  const a = from.info;
  const b = to.info;
  const ga = a.groups.map((g) => g.name);
  const gb = b.groups.map((g) => g.name);
  const commonA = ga.filter((g) => gb.includes(g));
  const commonB = gb.filter((g) => ga.includes(g));
  const orderChanged = !same(commonA, commonB);

  const ca = chartsByRelease(from);
  const cb = chartsByRelease(to);
  const charts: ChartChange[] = [];
  for (const key of new Set([...ca.keys(), ...cb.keys()])) {
    const x = ca.get(key);
    const y = cb.get(key);
    const release = (x ?? y)!.release;
    if (!x || !y) {
      charts.push({ release, change: x ? 'removed' : 'added', from: x, to: y, chartChanged: true, valuesChanged: true, groupChanged: false });
      continue;
    }
    const chartChanged = x.digest !== y.digest || x.version !== y.version;
    const va = x.values ? (from.texts.get(x.values) ?? '') : '';
    const vb = y.values ? (to.texts.get(y.values) ?? '') : '';
    const valuesChanged = va !== vb;
    const groupChanged = x.group !== y.group || (orderChanged && commonA.includes(x.group));
    charts.push({
      release,
      change: chartChanged || valuesChanged || groupChanged ? 'changed' : 'unchanged',
      from: x,
      to: y,
      chartChanged,
      valuesChanged,
      valuesDiff: valuesChanged ? unifiedDiff(va, vb, `${a.version}/${x.values ?? '(none)'}`, `${b.version}/${y.values ?? '(none)'}`) : undefined,
      groupChanged,
    });
  }

  const ia = allImageRefs(from);
  const ib = allImageRefs(to);
  const archivesChanged = b.images.filter((img) => subtreeDigest(to.sums, img.file) !== subtreeDigest(from.sums, img.file)).map((i) => i.file);

  const qa = new Map(a.questions.map((q) => [q.name, q]));
  const qb = new Map(b.questions.map((q) => [q.name, q]));

  const specChanged = (k: 'preflight' | 'health' | 'cleanup') => {
    const pa = a.manifest.spec[k];
    const pb = b.manifest.spec[k];
    return (pa ? subtreeDigest(from.sums, pa) : undefined) !== (pb ? subtreeDigest(to.sums, pb) : undefined);
  };

  const files = { added: [] as string[], removed: [] as string[], changed: [] as string[] };
  for (const [p, hex] of to.sums) {
    const old = from.sums.get(p);
    if (old === undefined) files.added.push(p);
    else if (old !== hex) files.changed.push(p);
  }
  for (const p of from.sums.keys()) if (!to.sums.has(p)) files.removed.push(p);

  const binary = (meta: BundleMeta) => meta.sums.get(meta.info.manifest.spec.helm.binary);
  return {
    from: { name: a.name, version: a.version, vendor: a.vendor, description: a.description, digest: a.digest },
    to: { name: b.name, version: b.version, vendor: b.vendor, description: b.description, digest: b.digest },
    identical: a.digest !== undefined && a.digest === b.digest,
    k3s: { from: a.k3sVersion, to: b.k3sVersion, changed: a.k3sVersion !== b.k3sVersion },
    helm: { changed: binary(from) !== binary(to) },
    groups: { from: ga, to: gb, orderChanged },
    charts,
    images: { added: [...ib].filter((r) => !ia.has(r)).sort(), removed: [...ia].filter((r) => !ib.has(r)).sort(), archivesChanged },
    questions: {
      added: [...qb.keys()].filter((k) => !qa.has(k)),
      removed: [...qa.keys()].filter((k) => !qb.has(k)),
      changed: [...qb.keys()].filter((k) => qa.has(k) && !same(qa.get(k), qb.get(k))),
    },
    specs: { preflight: specChanged('preflight'), health: specChanged('health'), cleanup: specChanged('cleanup') },
    files,
  };
}

/** Compares two bundles (folders or archives) from their metadata; nothing is extracted. */
export async function diffBundles(from: string, to: string, opts: { trustedKeys?: TrustedKey[]; ctx?: JobContext } = {}): Promise<BundleDiff> {
  const [a, b] = await Promise.all([readBundleMeta(from, opts), readBundleMeta(to, opts)]);
  return diffMeta(a, b);
}
