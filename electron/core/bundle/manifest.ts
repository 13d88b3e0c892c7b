import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml';
import type { z } from 'zod';
import { BundleManifestSchema, SPEC_SCHEMAS, type BundleManifest } from './schema';
import { bundleError, formatMessage } from './messages';
import { MANIFEST_FILE } from './sums';
import type { Problem } from './types';

/**
 * YAML files of a bundle, validated with their zod schema. Every problem names the file, the
 * field (dotted path) and the line, so a vendor can fix bundle.yaml without guessing.
 */

export function fieldPath(path: PropertyKey[]): string {
  let s = '';
  for (const k of path) {
    if (typeof k === 'number') s += `[${k}]`;
    else s += s ? `.${String(k)}` : String(k);
  }
  return s || '(root)';
}

function lineOf(doc: Document, lc: LineCounter, path: PropertyKey[], unknownKey?: string): number {
  if (unknownKey !== undefined) {
    // A misspelt key: point at the key itself, not at its value.
    const parent = path.length ? doc.getIn(path as (string | number)[], true) : doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === unknownKey);
      if (pair && isNode(pair.key) && pair.key.range) return lc.linePos(pair.key.range[0]).line;
    }
  }
  // The deepest node that exists: a missing key is reported on its parent's line.
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return 1;
}

type Issue = z.core.$ZodIssue;

/** For a union that matched no branch, the branch that got furthest says the most. */
function deepest(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  let best: Issue | undefined;
  for (const branch of issue.errors) {
    for (const sub of branch) {
      if (!best || sub.path.length > best.path.length) best = sub;
    }
  }
  if (!best || best.path.length === 0) return issue;
  return deepest({ ...best, path: [...issue.path, ...best.path] } as Issue);
}

export function parseYamlFile<S extends z.ZodType>(text: string, file: string, schema: S): { value?: z.infer<S>; problems: Problem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const problems: Problem[] = [];
  for (const e of doc.errors) {
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    const params = { file, line: pos.line, col: pos.col, reason: e.message.split('\n')[0] };
    problems.push({ code: 'bundle.yaml_syntax', severity: 'error', file, line: pos.line, message: formatMessage('bundle.yaml_syntax', params), params });
  }
  if (problems.length) return { problems };
  const data = doc.toJS({ maxAliasCount: 100 });
  const r = schema.safeParse(data);
  if (r.success) return { value: r.data, problems };
  for (const top of r.error.issues) {
    const issue = deepest(top);
    const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const path = unknownKey !== undefined ? [...issue.path, unknownKey] : issue.path;
    const field = fieldPath(path);
    const line = lineOf(doc, lc, unknownKey !== undefined ? issue.path : path, unknownKey);
    const reason = issue.message;
    const params = { file, line, field, reason };
    problems.push({ code: 'bundle.schema_invalid', severity: 'error', file, field, line, message: formatMessage('bundle.schema_invalid', params), params });
  }
  return { problems };
}

export function parseManifest(text: string, file = MANIFEST_FILE): { manifest?: BundleManifest; problems: Problem[] } {
  const { value, problems } = parseYamlFile(text, file, BundleManifestSchema);
  return { manifest: value, problems };
}

/** Parses bundle.yaml or throws the first problem as an OutpostError (with all of them in details). */
export function parseManifestOrThrow(text: string, file = MANIFEST_FILE): BundleManifest {
  const { manifest, problems } = parseManifest(text, file);
  if (manifest) return manifest;
  const first = problems[0];
  throw bundleError(first.code as 'bundle.schema_invalid', first.params ?? {}, { problems });
}

export type SpecKind = keyof typeof SPEC_SCHEMAS;

export function parseSpec(kind: SpecKind, text: string, file: string): { value?: unknown; problems: Problem[] } {
  return parseYamlFile(text, file, SPEC_SCHEMAS[kind]);
}

export interface ManifestReference {
  field: string;
  path: string;
  /** chart: a chart folder or .tgz; folder: any folder; file otherwise. */
  kind: 'file' | 'chart' | 'entry';
  spec?: SpecKind;
}

/** Every path bundle.yaml points at, with the field that names it. */
export function manifestReferences(m: BundleManifest): ManifestReference[] {
  const refs: ManifestReference[] = [
    { field: 'spec.k3s.binary', path: m.spec.k3s.binary, kind: 'file' },
    { field: 'spec.k3s.images', path: m.spec.k3s.images, kind: 'file' },
    { field: 'spec.k3s.installScript', path: m.spec.k3s.installScript, kind: 'file' },
    { field: 'spec.helm.binary', path: m.spec.helm.binary, kind: 'file' },
  ];
  m.spec.images.forEach((p, i) => refs.push({ field: `spec.images[${i}]`, path: p, kind: 'file' }));
  m.spec.groups.forEach((g, gi) =>
    g.charts.forEach((c, ci) => {
      refs.push({ field: `spec.groups[${gi}].charts[${ci}].chart`, path: c.chart, kind: 'chart' });
      if (c.values) refs.push({ field: `spec.groups[${gi}].charts[${ci}].values`, path: c.values, kind: 'file' });
    }),
  );
  for (const k of ['preflight', 'health', 'cleanup'] as const) {
    const p = m.spec[k];
    if (p) refs.push({ field: `spec.${k}`, path: p, kind: 'file', spec: k });
  }
  m.spec.include.forEach((p, i) => refs.push({ field: `spec.include[${i}]`, path: p, kind: 'entry' }));
  return refs;
}

/**
 * Checks references against the bundle's file list: a file must be listed, a chart folder must
 * hold Chart.yaml, an include may be a file or a folder.
 */
export function checkReferences(m: BundleManifest, files: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const hasUnder = (dir: string) => {
    const prefix = dir + '/';
    for (const f of files) if (f.startsWith(prefix)) return true;
    return false;
  };
  for (const r of manifestReferences(m)) {
    let ok: boolean;
    if (r.kind === 'file') ok = files.has(r.path);
    else if (r.kind === 'chart') ok = r.path.endsWith('.tgz') ? files.has(r.path) : files.has(`${r.path}/Chart.yaml`);
    else ok = files.has(r.path) || hasUnder(r.path);
    if (!ok) {
      const target = r.kind === 'chart' && !r.path.endsWith('.tgz') ? `${r.path}/Chart.yaml` : r.path;
      const params = { field: r.field, file: MANIFEST_FILE, target };
      problems.push({ code: 'bundle.reference_missing', severity: 'error', file: MANIFEST_FILE, field: r.field, message: formatMessage('bundle.reference_missing', params), params });
    }
  }
  return problems;
}
