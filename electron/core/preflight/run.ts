import type { HostFacts } from '../probe';
import { evaluateAnalyzer, type AnalyzerContext } from './analyzers';
import { OUTPOST_CHECKS, type CheckContext } from './checks';
import { preflightMsg } from './msg';
import { isExcluded, type PreflightSpec } from './spec';
import type { CheckResult, HostReport, PreflightReport, PreflightRequirements, PreflightSummary, RunPreflightInput } from './types';

/**
 * Holds every probed host against the bundle's troubleshoot spec and Outpost's own requirements.
 * troubleshoot checks only the host it runs on; here every analyzer runs against every host.
 */
export function runPreflight(input: RunPreflightInput): PreflightReport {
  const spec = input.spec ?? null;
  const requirements: PreflightRequirements = input.requirements ?? {};
  const reachability = input.reachability ?? [];
  const okHosts = input.facts.filter((f) => f.ok);
  const hosts: HostReport[] = input.facts.map((facts) => ({ host: facts.host, results: facts.ok ? hostResults(facts, spec, okHosts, requirements, reachability) : [probeFailed(facts)] }));

  const site: CheckResult[] = [];
  const base = { hosts: okHosts, requirements, reachability };
  for (const check of OUTPOST_CHECKS) {
    if (check.scope !== 'site' || !check.applies(null, base)) continue;
    for (const o of check.run({ ...base, host: okHosts[0] })) {
      site.push({ id: check.id + (o.idSuffix ?? ''), analyzer: 'outpost', title: o.title, status: o.status, message: o.message, ...(o.fix ? { fix: o.fix } : {}), category: check.category });
    }
  }
  return { name: spec?.name ?? null, generatedAt: new Date().toISOString(), hosts, site, summary: summarize(hosts, site) };
}

function probeFailed(facts: HostFacts): CheckResult {
  return {
    id: 'outpost.probe', analyzer: 'outpost', title: preflightMsg('title.probe'), status: 'error', category: 'probe',
    message: preflightMsg('probe.failed', { reason: facts.error?.message ?? 'unknown error' }),
    fix: preflightMsg('probe.fix'),
  };
}

function hostResults(facts: HostFacts, spec: PreflightSpec | null, okHosts: readonly HostFacts[], requirements: PreflightRequirements, reachability: RunPreflightInput['reachability']): CheckResult[] {
  const out: CheckResult[] = [];
  if (spec) {
    const actx: AnalyzerContext = { facts, collectors: spec.collectors, reachability };
    for (const c of spec.collectors) {
      if (c.supported) continue;
      out.push({
        id: `ts.collector.${c.index}.${c.type}`, analyzer: c.type, title: c.type, status: 'unsupported',
        message: preflightMsg('remote' in c && c.remote ? 'collector.remote' : 'collector.unsupported', { type: c.type }),
      });
    }
    for (const a of spec.analyzers) {
      if (isExcluded((a.spec as { exclude?: boolean | string }).exclude)) continue;
      if (!a.supported) {
        const s = a.spec as { checkName?: string };
        out.push({ id: `ts.${a.index}.${a.type}`, analyzer: a.type, title: s.checkName ?? a.type, status: 'unsupported', message: preflightMsg('analyzer.unsupported', { type: a.type }) });
        continue;
      }
      const r = evaluateAnalyzer(a, actx);
      if (r) out.push({ ...r, category: 'system' });
    }
  }
  const ctx: CheckContext = { host: facts, hosts: okHosts, requirements, reachability: reachability ?? [] };
  for (const check of OUTPOST_CHECKS) {
    if (check.scope !== 'host' || !check.applies(facts, ctx)) continue;
    for (const o of check.run(ctx)) {
      out.push({ id: check.id + (o.idSuffix ?? ''), analyzer: 'outpost', title: o.title, status: o.status, message: o.message, ...(o.fix ? { fix: o.fix } : {}), category: check.category });
    }
  }
  return out;
}

export function summarize(hosts: readonly HostReport[], site: readonly CheckResult[] = []): PreflightSummary {
  const s: PreflightSummary = { pass: 0, warn: 0, fail: 0, unsupported: 0, error: 0 };
  for (const r of [...hosts.flatMap((h) => h.results), ...site]) s[r.status]++;
  return s;
}
