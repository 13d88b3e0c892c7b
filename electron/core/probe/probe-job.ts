import { OutpostError } from '../api/errors';
import type { JobContext } from '../jobs/context';
import type { JobDefinition } from '../jobs';
import { HostSession, type Inventory } from '../inventory';
import type { AuditLog, HostRecord, Store } from '../store';
import type { Redactor } from '../secrets';
import { probeHosts } from './probe-hosts';
import type { ProbeScriptOptions } from './script';
import type { HostFacts } from './types';

export interface ProbeDeps {
  store: Store;
  inv: Inventory;
  audit: AuditLog;
  redactor: Redactor;
}

/** The latest probe of one saved host. */
export interface ProbeRecord {
  siteId: string;
  hostId: string;
  facts: HostFacts;
}

/** How a host is named in facts and reports: its address, with the port when it is not 22. */
export const hostLabel = (h: HostRecord) => (h.port === 22 ? h.address : `${h.address}:${h.port}`);

/** Keeps each host's latest probe (call inside a store update). */
export function upsertProbes(store: Store, hosts: HostRecord[], facts: HostFacts[]): void {
  const all = store.collection<ProbeRecord>('probes');
  hosts.forEach((h, i) => {
    const rec = { siteId: h.siteId, hostId: h.id, facts: facts[i] };
    const at = all.findIndex((r) => r.hostId === h.id);
    if (at >= 0) all[at] = rec; else all.push(rec);
  });
}

/**
 * Probes hosts over SSH: one `sh -s` per host with the script on stdin, as root through sudo
 * where the host allows it (ports' owning processes are only visible to root).
 */
export async function probeRecords(deps: ProbeDeps, hosts: HostRecord[], ctx: JobContext, script?: ProbeScriptOptions): Promise<HostFacts[]> {
  const byLabel = new Map(hosts.map((h) => [hostLabel(h), h]));
  if (byLabel.size !== hosts.length) throw new OutpostError('probe.duplicate_hosts', 'The same host is listed twice.');
  return probeHosts([...byLabel.keys()], {
    ctx,
    script,
    concurrency: 32,
    exec: async (key, text, { signal }) => {
      const h = byLabel.get(key)!;
      const s = await HostSession.open(h, deps, signal);
      try {
        return await s.exec('sh -s', { stdin: text, asRoot: h.sudo !== 'none', signal, timeoutMs: 120_000, auditAs: 'probe script' });
      } finally {
        s.close();
      }
    },
  });
}

export function latestProbes(store: Store, siteId: string): ProbeRecord[] {
  return store.collection<ProbeRecord>('probes').filter((p) => p.siteId === siteId);
}

export function probeJob(deps: ProbeDeps): JobDefinition<{ siteId: string; hostIds?: string[] }> {
  return {
    kind: 'probe.run',
    siteId: (p) => p.siteId,
    title: () => ({ key: 'jobs.kinds.probe', text: 'Probe hosts' }),
    async run(p, ctx) {
      const hosts = deps.inv.hostRecords(p.siteId).filter((h) => !p.hostIds || p.hostIds.includes(h.id));
      if (hosts.length === 0) throw new OutpostError('hosts.none', 'This site has no hosts to probe.', { siteId: p.siteId });
      const facts = await probeRecords(deps, hosts, ctx);
      await deps.store.update(() => upsertProbes(deps.store, hosts, facts), 'probes');
      return { hosts: facts.map((f, i) => ({ hostId: hosts[i].id, host: f.host, ok: f.ok, error: f.error?.code, os: f.os?.prettyName })) };
    },
  };
}
