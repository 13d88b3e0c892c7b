import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OutpostError } from '../api/errors';
import { compileWhen, SUPPORTED_ANALYZERS } from './analyzers';
import { goRegExp } from './go-regexp';

export { goRegExp };

/*
 * troubleshoot.sh HostPreflight (apiVersion troubleshoot.sh/v1beta2). Field names follow
 * pkg/apis/troubleshoot/v1beta2/hostcollector_shared.go and hostanalyzer_shared.go. Unknown analyzer
 * or collector types are kept (and later reported as unsupported), never rejected: a newer spec must
 * still load, and must never silently pass.
 */

const whenText = z.union([z.string(), z.boolean(), z.number()]).transform((v) => String(v));

const single = z.object({
  when: whenText.optional(),
  message: z.string().optional(),
  uri: z.string().optional(),
});

const outcome = z.object({ fail: single.optional(), warn: single.optional(), pass: single.optional(), fatal: single.optional() })
  .refine((o) => [o.fail, o.warn, o.pass, o.fatal].filter(Boolean).length === 1, { message: 'an outcome needs exactly one of fail, warn or pass' });

export type Outcome = z.infer<typeof outcome>;
export type SingleOutcome = z.infer<typeof single>;

const boolish = z.union([z.boolean(), z.string()]).optional();

const analyzeMeta = {
  checkName: z.string().optional(),
  exclude: boolish,
  strict: boolish,
  annotations: z.record(z.string(), z.string()).optional(),
};

const withOutcomes = { ...analyzeMeta, outcomes: z.array(outcome).min(1, 'needs at least one outcome') };
const withCollector = { ...withOutcomes, collectorName: z.string().optional() };

const analyzerSchemas = {
  cpu: z.object(withOutcomes),
  memory: z.object(withOutcomes),
  diskUsage: z.object(withCollector),
  tcpPortStatus: z.object(withCollector),
  udpPortStatus: z.object(withCollector),
  tcpConnect: z.object(withCollector),
  time: z.object(withOutcomes),
  hostOS: z.object(withOutcomes),
  kernelModules: z.object(withOutcomes),
  sysctl: z.object(withOutcomes),
  hostServices: z.object(withCollector),
  blockDevices: z.object({
    ...withOutcomes,
    minimumAcceptableSize: z.union([z.number(), z.string()]).optional(),
    includeUnmountedPartitions: z.boolean().optional(),
  }),
  textAnalyze: z.object({
    ...withCollector,
    fileName: z.string(),
    regex: z.string().optional(),
    regexGroups: z.string().optional(),
    ignoreIfNoFiles: z.boolean().optional(),
  }).refine((a) => !!a.regex || !!a.regexGroups, { message: 'textAnalyze needs regex or regexGroups' }),
} as const;

const collectorMeta = { collectorName: z.string().optional(), exclude: boolish };
const collectorSchemas = {
  cpu: z.object(collectorMeta),
  memory: z.object(collectorMeta),
  time: z.object(collectorMeta),
  hostOS: z.object(collectorMeta),
  kernelModules: z.object(collectorMeta),
  sysctl: z.object(collectorMeta),
  hostServices: z.object(collectorMeta),
  blockDevices: z.object(collectorMeta),
  diskUsage: z.object({ ...collectorMeta, path: z.string().min(1) }),
  tcpPortStatus: z.object({ ...collectorMeta, port: z.number().int().min(1).max(65535), interface: z.string().optional() }),
  udpPortStatus: z.object({ ...collectorMeta, port: z.number().int().min(1).max(65535), interface: z.string().optional() }),
  tcpConnect: z.object({ ...collectorMeta, address: z.string().min(1), timeout: z.string().optional() }),
  // run/copy names become file names and shell section names: keep them plain.
  run: z.object({ ...collectorMeta, collectorName: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, . _ -').optional(), command: z.string().min(1), args: z.array(z.string()).optional(), timeout: z.string().optional() }),
  copy: z.object({ ...collectorMeta, collectorName: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, . _ -').optional(), path: z.string().min(1) }),
} as const;

export type AnalyzerType = keyof typeof analyzerSchemas;
export type CollectorType = keyof typeof collectorSchemas;
export type AnalyzerSpec = { [K in AnalyzerType]: z.infer<(typeof analyzerSchemas)[K]> };
export type CollectorSpec = { [K in CollectorType]: z.infer<(typeof collectorSchemas)[K]> };

export type AnalyzerEntry =
  | { [K in AnalyzerType]: { index: number; type: K; supported: true; spec: AnalyzerSpec[K] } }[AnalyzerType]
  | { index: number; type: string; supported: false; spec: Record<string, unknown> };

export type CollectorEntry =
  | { [K in CollectorType]: { index: number; type: K; supported: true; spec: CollectorSpec[K] } }[CollectorType]
  | { index: number; type: string; supported: false; spec: Record<string, unknown>; remote?: boolean };

/** A validated HostPreflight. */
export interface PreflightSpec {
  name: string | null;
  collectors: CollectorEntry[];
  analyzers: AnalyzerEntry[];
}

const topSchema = z.object({
  apiVersion: z.string().regex(/^troubleshoot\.(sh|replicated\.com)\/v1beta[12]$/, 'must be troubleshoot.sh/v1beta2'),
  kind: z.literal('HostPreflight', { message: "must be 'HostPreflight'" }),
  metadata: z.object({ name: z.string().optional() }).optional(),
  spec: z.object({
    collectors: z.array(z.record(z.string(), z.unknown())).optional(),
    remoteCollectors: z.array(z.record(z.string(), z.unknown())).optional(),
    analyzers: z.array(z.record(z.string(), z.unknown())).optional(),
  }),
});

export interface SpecIssue { path: string; message: string }

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(root)';
}

function fail(issues: SpecIssue[]): never {
  const lines = issues.slice(0, 20).map((i) => `${i.path}: ${i.message}`);
  throw new OutpostError('preflight.spec_invalid', `The preflight spec is not valid:\n${lines.join('\n')}`, { issues });
}

/** Parses and validates a HostPreflight YAML document; errors name the field (spec.analyzers[2].diskUsage.outcomes[0].fail.when). */
export function parsePreflightSpec(yamlText: string): PreflightSpec {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (e) {
    fail([{ path: '(yaml)', message: e instanceof Error ? e.message : String(e) }]);
  }
  const top = topSchema.safeParse(doc);
  if (!top.success) fail(top.error.issues.map((i) => ({ path: pathText(i.path), message: i.message })));
  const issues: SpecIssue[] = [];
  const one = (item: Record<string, unknown>, where: string): [string, unknown] | null => {
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      issues.push({ path: where, message: `must have exactly one type key, found ${keys.length ? keys.join(', ') : 'none'}` });
      return null;
    }
    return [keys[0], item[keys[0]] ?? {}];
  };

  const collectors: CollectorEntry[] = [];
  const addCollectors = (list: Array<Record<string, unknown>> | undefined, field: string, remote: boolean) => {
    (list ?? []).forEach((item, index) => {
      const kv = one(item, `spec.${field}[${index}]`);
      if (!kv) return;
      const [type, value] = kv;
      const schema = (collectorSchemas as Record<string, z.ZodType>)[type];
      if (!schema || remote) {
        collectors.push({ index, type, supported: false, spec: (value ?? {}) as Record<string, unknown>, ...(remote ? { remote } : {}) });
        return;
      }
      const r = schema.safeParse(value);
      if (!r.success) { for (const i of r.error.issues) issues.push({ path: `spec.${field}[${index}].${type}${i.path.length ? '.' + pathText(i.path) : ''}`, message: i.message }); return; }
      collectors.push({ index, type, supported: true, spec: r.data } as CollectorEntry);
    });
  };
  addCollectors(top.data.spec.collectors, 'collectors', false);
  addCollectors(top.data.spec.remoteCollectors, 'remoteCollectors', true);

  const analyzers: AnalyzerEntry[] = [];
  (top.data.spec.analyzers ?? []).forEach((item, index) => {
    const kv = one(item, `spec.analyzers[${index}]`);
    if (!kv) return;
    const [type, value] = kv;
    const where = `spec.analyzers[${index}].${type}`;
    const schema = (analyzerSchemas as Record<string, z.ZodType>)[type];
    if (!schema || !SUPPORTED_ANALYZERS.has(type)) {
      analyzers.push({ index, type, supported: false, spec: (value ?? {}) as Record<string, unknown> });
      return;
    }
    const r = schema.safeParse(value);
    if (!r.success) { for (const i of r.error.issues) issues.push({ path: `${where}${i.path.length ? '.' + pathText(i.path) : ''}`, message: i.message }); return; }
    const entry = { index, type, supported: true, spec: r.data } as AnalyzerEntry;
    // Grammar errors in `when` are spec errors (exit code 2), found now rather than on the customer's site.
    (r.data as { outcomes: Outcome[] }).outcomes.forEach((o, j) => {
      for (const kind of ['fail', 'warn', 'pass', 'fatal'] as const) {
        const w = o[kind]?.when;
        if (w === undefined || w === '') continue;
        try {
          compileWhen(entry, w);
        } catch (e) {
          issues.push({ path: `${where}.outcomes[${j}].${kind}.when`, message: e instanceof Error ? e.message : String(e) });
        }
      }
    });
    if (type === 'textAnalyze') {
      const t = r.data as AnalyzerSpec['textAnalyze'];
      for (const [field, rx] of [['regex', t.regex], ['regexGroups', t.regexGroups]] as const) {
        if (!rx) continue;
        try { goRegExp(rx); } catch (e) { issues.push({ path: `${where}.${field}`, message: e instanceof Error ? e.message : String(e) }); }
      }
    }
    analyzers.push(entry);
  });
  if (issues.length) fail(issues);
  return { name: top.data.metadata?.name ?? null, collectors, analyzers };
}

/** true for troubleshoot's `exclude: true` / `exclude: 'true'`. */
export function isExcluded(v: boolean | string | undefined): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

export const SUPPORTED_COLLECTORS: ReadonlySet<string> = new Set(Object.keys(collectorSchemas));
