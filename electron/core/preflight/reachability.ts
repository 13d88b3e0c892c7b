import type { JobContext } from '../jobs/context';
import { HostSession, type Inventory } from '../inventory';
import type { AuditLog, HostRecord } from '../store';
import type { Redactor } from '../secrets';
import type { HostFacts } from '../probe/types';
import { mapLimit } from '../util/map-limit';
import { toErrorInfo } from '../api/errors';
import { hostLabel } from '../probe/probe-job';
import type { ReachabilityEntry } from './types';

export interface Flow { from: HostRecord; to: HostRecord; port: number }

/** The TCP flows k3s needs between the site's nodes (docs.k3s.io, inbound rules). */
export function k3sFlows(hosts: HostRecord[]): Flow[] {
  const servers = hosts.filter((h) => h.role === 'server');
  const ha = servers.length > 1;
  const flows: Flow[] = [];
  for (const from of hosts) {
    for (const to of hosts) {
      if (from === to) continue;
      if (to.role === 'server') flows.push({ from, to, port: 6443 });
      flows.push({ from, to, port: 10250 });
      if (ha && from.role === 'server' && to.role === 'server') flows.push({ from, to, port: 2379 }, { from, to, port: 2380 });
    }
  }
  return flows;
}

/**
 * One POSIX-sh script per source host that tries every TCP flow at once (bash's /dev/tcp under
 * `timeout`, else `nc -z`), printing `R <address> <port> <status> [message]` lines.
 */
export function reachScript(targets: { address: string; port: number }[], timeoutSeconds = 3): string {
  const fn = `probe_tcp() {
  if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
    err=$(LC_ALL=C timeout ${timeoutSeconds} bash -c "exec 3<>/dev/tcp/$1/$2" 2>&1 </dev/null); rc=$?
  elif command -v nc >/dev/null 2>&1; then
    err=$(LC_ALL=C nc -z -w ${timeoutSeconds} "$1" "$2" 2>&1 </dev/null); rc=$?
  else
    echo "R $1 $2 unmeasured no bash+timeout or nc on this host"; return
  fi
  if [ "$rc" -eq 0 ]; then echo "R $1 $2 connected"
  elif [ "$rc" -eq 124 ]; then echo "R $1 $2 connection-timeout"
  else case "$err" in *efused*) echo "R $1 $2 connection-refused";; *) echo "R $1 $2 error $(echo "$err" | tr '\\n' ' ')";; esac
  fi
}
`;
  const calls = targets.map((t) => `probe_tcp '${t.address.replace(/'/g, '')}' ${Number(t.port)} &`).join('\n');
  return `${fn}${calls}\nwait\n`;
}


/**
 * Measures the k3s flows between the site's hosts over SSH. A refused connection to a port that
 * nothing listens on yet counts as reachable: the packet reached the host's kernel, which answered.
 */
export async function measureReachability(
  deps: { inv: Inventory; audit: AuditLog; redactor: Redactor },
  hosts: HostRecord[],
  facts: HostFacts[],
  ctx: JobContext,
): Promise<ReachabilityEntry[]> {
  const flows = k3sFlows(hosts);
  const listening = (h: HostRecord, port: number) => {
    const f = facts[hosts.indexOf(h)];
    return !!f?.ports.some((p) => p.proto === 'tcp' && p.port === port);
  };
  const out: ReachabilityEntry[] = [];
  await mapLimit(hosts, 16, async (src) => {
    const mine = flows.filter((f) => f.from === src);
    if (!mine.length) return;
    let stdout = '';
    try {
      const s = await HostSession.open(src, deps, ctx.signal);
      try {
        stdout = (await s.exec('sh -s', { stdin: reachScript(mine.map((f) => ({ address: f.to.address, port: f.port }))), signal: ctx.signal, timeoutMs: 60_000, auditAs: 'reachability check (TCP connects to the other nodes)' })).stdout;
      } finally {
        s.close();
      }
    } catch (e) {
      for (const f of mine) out.push({ from: hostLabel(src), to: hostLabel(f.to), port: f.port, proto: 'tcp', status: 'error', message: toErrorInfo(e).message });
      return;
    }
    for (const f of mine) {
      const line = stdout.split('\n').find((l) => l.startsWith(`R ${f.to.address} ${f.port} `));
      const [, , , word, ...rest] = (line ?? '').split(' ');
      let status = (['connected', 'connection-refused', 'connection-timeout', 'error', 'unmeasured'] as const).find((s) => s === word) ?? 'error';
      let message = rest.join(' ').trim() || undefined;
      if (status === 'connection-refused' && !listening(f.to, f.port)) {
        status = 'connected';
        message = 'reached the host; nothing listens on the port yet';
      }
      out.push({ from: hostLabel(src), to: hostLabel(f.to), port: f.port, proto: 'tcp', status, message: line ? message : 'no answer from the check' });
    }
    ctx.log(`reachability from ${src.name}: ${mine.length} flows checked`);
  }, ctx.signal);
  return out;
}
