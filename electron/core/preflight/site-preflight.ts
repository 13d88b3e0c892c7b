import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OutpostError } from '../api/errors';
import type { JobDefinition } from '../jobs';
import type { JobContext } from '../jobs/context';
import type { Inventory } from '../inventory';
import type { AuditLog, HostRecord, Store } from '../store';
import type { Redactor } from '../secrets';
import { hostLabel, probeRecords, upsertProbes, type ProbeRecord } from '../probe/probe-job';
import { loadBundle, type BundleManifest, type LibraryEntry, type TrustedKey } from '../bundle';
import { parsePreflightSpec, type PreflightSpec } from './spec';
import { probeOptionsFromSpec } from './probe-options';
import { runPreflight } from './run';
import { measureReachability } from './reachability';
import type { HostFacts } from '../probe/types';
import type { DiskRequirement, MiddlewareRequirement, PreflightReport, PreflightRequirements } from './types';

export interface PreflightRecord {
  siteId: string;
  at: string;
  bundleDigest?: string;
  bundleName?: string;
  report: PreflightReport;
  /** Install may go on despite failures only with a reason the engineer gave (audited). */
  override?: { reason: string; at: string; actor: string };
  /** True when a fail or error blocks the install and nobody overrode it. */
  blocking: boolean;
}

export interface PreflightParams extends Record<string, unknown> {
  siteId: string;
  bundleDigest?: string;
  /** A HostPreflight spec given directly (YAML text). */
  spec?: string;
  /** Extra middleware constraints, e.g. 'mysql >= 5.7'. */
  require?: string[];
  /** Probe only these hosts again; the others keep their last probe (a site-wide check still compares all). */
  hostIds?: string[];
}

export interface PreflightDeps {
  store: Store;
  inv: Inventory;
  audit: AuditLog;
  redactor: Redactor;
  trustedKeys: () => TrustedKey[];
}

const GiB = 2 ** 30;

/** `mysql >= 5.7`, `postgresql>=13 <17`: a name, then a version constraint. */
export function parseRequirement(text: string): MiddlewareRequirement {
  const m = /^\s*([A-Za-z][\w.-]*)\s*(.*)$/.exec(text);
  if (!m) throw new OutpostError('preflight.bad_requirement', `Not a middleware requirement: "${text}" (expected e.g. "mysql >= 5.7").`, { text });
  return { name: m[1].toLowerCase(), ...(m[2].trim() ? { version: m[2].trim() } : {}), required: true, scope: 'any' };
}

/** Space the install needs per host: images imported into containerd (twice: archive + unpacked), k3s, staging. */
export async function diskPlan(dir: string, manifest: BundleManifest): Promise<DiskRequirement[]> {
  const size = async (rel?: string) => (rel ? (await stat(join(dir, rel)).catch(() => ({ size: 0 }))).size : 0);
  const images = (await Promise.all([...(manifest.spec.images ?? []), manifest.spec.k3s?.images].map((p) => size(p as string | undefined)))).reduce((a, b) => a + b, 0);
  const k3sBin = await size(manifest.spec.k3s?.binary);
  return [
    { path: '/var/lib/rancher/k3s', bytes: 2 * images + 2 * GiB, purpose: 'images' },
    { path: '/usr/local/bin', bytes: k3sBin + 64 * 2 ** 20, purpose: 'k3s' },
    { path: '/var/tmp', bytes: images + k3sBin, purpose: 'upload staging' },
  ];
}

/** Outpost's own requirements for this site: topology from host roles, sudo, disk from the bundle. */
export function siteRequirements(hosts: HostRecord[], extra: { middleware?: MiddlewareRequirement[]; disk?: DiskRequirement[] }): PreflightRequirements {
  const servers = hosts.filter((h) => h.role === 'server').map(hostLabel);
  return {
    k3s: { servers, agents: hosts.filter((h) => h.role === 'agent').map(hostLabel) },
    sudo: {
      required: true,
      passwordAvailable: (host) => {
        const h = hosts.find((x) => hostLabel(x) === host);
        return !!h && (h.sudo !== 'password' || !!h.passwordEnc);
      },
    },
    middleware: extra.middleware,
    disk: extra.disk,
  };
}

/** The spec and disk plan a bundle brings, read only after the bundle verified. */
export async function bundlePreflightInputs(path: string, trust: { trustedKeys: TrustedKey[]; allowUntrusted?: { reason: string } }): Promise<{ spec: PreflightSpec | null; disk: DiskRequirement[]; name: string }> {
  const loaded = await loadBundle(path, trust);
  const rel = loaded.manifest.spec.preflight;
  const spec = rel ? parsePreflightSpec(await readFile(join(loaded.dir, rel), 'utf8')) : null;
  return { spec, disk: await diskPlan(loaded.dir, loaded.manifest), name: `${loaded.manifest.metadata.name} ${loaded.manifest.metadata.version}` };
}

async function bundleInputs(deps: PreflightDeps, digest: string) {
  const entry = deps.store.collection<LibraryEntry>('bundles').find((b) => b.digest === digest);
  if (!entry) throw new OutpostError('bundle.library_missing', `No bundle ${digest} in the library.`, { digest });
  // Verified again before anything is read from it: the USB stick may have changed since it was loaded.
  return bundlePreflightInputs(entry.path, { trustedKeys: deps.trustedKeys(), allowUntrusted: entry.trustOverride ? { reason: entry.trustOverride.reason } : undefined });
}

/** Probe, measure reachability, evaluate: the whole preflight of a set of hosts. */
export async function preflightHosts(
  deps: PreflightDeps,
  hosts: HostRecord[],
  input: { spec: PreflightSpec | null; requirements: PreflightRequirements; reuse?: (h: HostRecord) => HostFacts | undefined },
  ctx: JobContext,
): Promise<{ report: PreflightReport; facts: HostFacts[] }> {
  ctx.progress({ step: 'probe', current: 0, total: 3 });
  const kept = hosts.map((h) => input.reuse?.(h));
  const toProbe = hosts.filter((_, i) => !kept[i]);
  const fresh = await probeRecords(deps, toProbe, ctx, probeOptionsFromSpec(input.spec));
  const facts = hosts.map((h, i) => kept[i] ?? fresh[toProbe.indexOf(h)]);
  ctx.progress({ step: 'reachability', current: 1, total: 3 });
  const reachable = hosts.filter((_, i) => facts[i].ok);
  const reachability = reachable.length > 1 ? await measureReachability(deps, reachable, reachable.map((h) => facts[hosts.indexOf(h)]), ctx) : [];
  ctx.progress({ step: 'evaluate', current: 2, total: 3 });
  const report = runPreflight({ spec: input.spec, facts, reachability, requirements: input.requirements });
  ctx.progress({ step: 'evaluate', current: 3, total: 3 });
  return { report, facts };
}

export const isBlocking = (r: PreflightReport) => r.summary.fail + r.summary.error > 0;

export function preflightJob(deps: PreflightDeps): JobDefinition<PreflightParams> {
  return {
    kind: 'preflight.run',
    siteId: (p) => p.siteId,
    title: () => ({ key: 'jobs.kinds.preflight', text: 'Preflight checks' }),
    async run(p, ctx) {
      const hosts = deps.inv.hostRecords(p.siteId);
      if (!hosts.length) throw new OutpostError('hosts.none', 'This site has no hosts to check.', { siteId: p.siteId });
      const fromBundle = p.bundleDigest ? await bundleInputs(deps, p.bundleDigest) : undefined;
      const spec = p.spec ? parsePreflightSpec(p.spec) : fromBundle?.spec ?? null;
      const requirements = siteRequirements(hosts, { middleware: p.require?.map(parseRequirement), disk: fromBundle?.disk });
      // A per-host re-run probes that host again and keeps the other hosts' last good probe.
      const stored = deps.store.collection<ProbeRecord>('probes');
      const reuse = p.hostIds ? (h: HostRecord) => (p.hostIds!.includes(h.id) ? undefined : stored.find((r) => r.hostId === h.id && r.facts.ok)?.facts) : undefined;
      const { report, facts } = await preflightHosts(deps, hosts, { spec, requirements, reuse }, ctx);
      const rec: PreflightRecord = { siteId: p.siteId, at: report.generatedAt, bundleDigest: p.bundleDigest, bundleName: fromBundle?.name, report, blocking: isBlocking(report) };
      await deps.store.update(() => {
        upsertProbes(deps.store, hosts, facts);
        const all = deps.store.collection<PreflightRecord>('preflight');
        const at = all.findIndex((r) => r.siteId === p.siteId);
        if (at >= 0) all[at] = rec; else all.push(rec);
      }, 'preflight');
      await deps.audit.append({ action: 'preflight.run', siteId: p.siteId, detail: `pass ${report.summary.pass}, warn ${report.summary.warn}, fail ${report.summary.fail}, error ${report.summary.error}`, outcome: rec.blocking ? 'error' : 'ok' });
      return report.summary;
    },
  };
}

export function latestPreflight(store: Store, siteId: string): PreflightRecord | null {
  return store.collection<PreflightRecord>('preflight').find((r) => r.siteId === siteId) ?? null;
}

/** The engineer's explicit "install anyway", with a reason that goes to the audit log. */
export async function overridePreflight(deps: PreflightDeps, siteId: string, reason: string): Promise<PreflightRecord> {
  const rec = latestPreflight(deps.store, siteId);
  if (!rec) throw new OutpostError('preflight.none', 'Run the preflight for this site first.', { siteId });
  const entry = await deps.audit.append({ action: 'preflight.override', siteId, detail: reason, outcome: 'info' });
  await deps.store.update(() => { rec.override = { reason, at: entry.at, actor: entry.actor }; rec.blocking = false; }, 'preflight');
  return structuredClone(rec);
}
