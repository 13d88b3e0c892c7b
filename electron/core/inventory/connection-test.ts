import { OutpostError, toErrorInfo } from '../api/errors';
import type { ConnectionTest } from '../api/types';
import type { JobDefinition } from '../jobs';
import type { AuditLog, HostRecord, Store } from '../store';
import { mapLimit } from '../util/map-limit';
import type { Inventory } from './inventory';

export interface ConnectionTestParams extends Record<string, unknown> {
  siteId: string;
  hostIds?: string[];
}

/** One command line, one round trip: who am I, what OS is this. */
const WHOAMI = `id -u; uname -sm; (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || echo unknown`;

/** Connects, checks the host key, logs in, and checks sudo — for each host, in parallel. */
export async function testHost(inv: Inventory, audit: AuditLog, store: Store, h: HostRecord, signal: AbortSignal): Promise<ConnectionTest> {
  const started = Date.now();
  const at = new Date().toISOString();
  let result: ConnectionTest;
  try {
    const { session, pinnedNow } = await inv.connect(h, signal);
    try {
      const who = await session.exec(WHOAMI, { signal, timeoutMs: 20_000 });
      const [uidLine, os, pretty] = who.stdout.trim().split('\n');
      const uid = Number(uidLine);
      let sudo: NonNullable<ConnectionTest['remote']>['sudo'] = 'not-configured';
      if (uid === 0) sudo = 'root';
      else if (h.sudo !== 'none') {
        try {
          const r = await session.exec('id -u', { sudo: h.sudo, sudoPassword: inv.sudoPassword(h), signal, timeoutMs: 20_000 });
          sudo = r.code === 0 && r.stdout.trim() === '0' ? 'ok' : 'failed';
        } catch (e) {
          if (e instanceof OutpostError && e.code === 'ssh.sudo_failed') sudo = 'failed'; else throw e;
        }
      }
      result = {
        at, ok: sudo !== 'failed', latencyMs: Date.now() - started, offeredKey: session.offeredKey, pinnedNow,
        remote: { uid, os: pretty && pretty !== 'unknown' ? pretty : (os ?? 'unknown'), sudo },
      };
      if (sudo === 'failed') {
        result.error = toErrorInfo(new OutpostError('ssh.sudo_failed', `${h.user}@${h.address}: logged in, but sudo did not work (mode ${h.sudo}).`, { host: h.address, user: h.user, mode: h.sudo }));
      }
    } finally {
      session.close();
    }
  } catch (e) {
    const error = toErrorInfo(e);
    const offered = error.code === 'ssh.host_key_changed'
      ? { algorithm: String(error.details?.algorithm), fingerprint: String(error.details?.offered) }
      : undefined;
    result = { at, ok: false, latencyMs: Date.now() - started, error, ...(offered ? { offeredKey: offered } : {}) };
  }
  await store.update(() => { h.lastTest = result; }, 'hosts');
  await audit.append({
    action: 'ssh.connection_test', siteId: h.siteId, hostId: h.id, target: `${h.user}@${h.address}:${h.port}`,
    detail: result.ok ? `ok in ${result.latencyMs} ms` : result.error?.code,
    outcome: result.ok ? 'ok' : result.error?.code === 'ssh.host_key_changed' ? 'refused' : 'error',
  });
  return result;
}

export function connectionTestJob(inv: Inventory, audit: AuditLog, store: Store): JobDefinition<ConnectionTestParams, { done: string[] }> {
  return {
    kind: 'hosts.test',
    resumable: true,
    siteId: (p) => p.siteId,
    title: (p) => ({ key: 'jobs.kinds.hostsTest', params: { count: p.hostIds?.length ?? 0 }, text: 'Test SSH connections' }),
    async run(p, ctx) {
      const hosts = inv.hostRecords(p.siteId).filter((h) => !p.hostIds || p.hostIds.includes(h.id));
      if (hosts.length === 0) throw new OutpostError('hosts.none', 'This site has no hosts to test.', { siteId: p.siteId });
      const done = new Set(ctx.checkpoint?.done ?? []);
      let finished = done.size;
      const todo = hosts.filter((h) => !done.has(h.id));
      ctx.progress({ step: 'connect', current: finished, total: hosts.length });
      const results = await mapLimit(todo, 8, async (h) => {
        ctx.log(`Connecting to ${h.user}@${h.address}:${h.port} …`);
        const r = await testHost(inv, audit, store, h, ctx.signal);
        ctx.log(r.ok
          ? `${h.name}: ok (${r.latencyMs} ms, key ${r.offeredKey?.fingerprint}${r.pinnedNow ? ', pinned now' : ''})`
          : `${h.name}: ${r.error?.message}`, r.ok ? 'info' : 'error');
        done.add(h.id);
        await ctx.saveCheckpoint({ done: [...done] });
        ctx.progress({ step: 'connect', current: ++finished, total: hosts.length, item: h.name });
        return { hostId: h.id, name: h.name, ok: r.ok, error: r.error?.code };
      }, ctx.signal);
      const failed = results.filter((r) => !r.ok).length;
      return { hosts: results, ok: results.length - failed, failed };
    },
  };
}
