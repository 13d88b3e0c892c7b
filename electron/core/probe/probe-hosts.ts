import { toErrorInfo } from '../api/errors';
import { quietContext, type JobContext } from '../jobs/context';
import { mapLimit } from '../util/map-limit';
import { emptyFacts, parseProbeOutput } from './parse';
import { buildProbeScript, type ProbeScriptOptions } from './script';
import type { HostFacts } from './types';

export interface ExecResult { stdout: string; stderr: string; code: number | null }

/** Runs the script on a host (the caller's SSH exec, through sudo when the host needs it). */
export type ProbeExec = (host: string, script: string, opts: { signal: AbortSignal }) => Promise<ExecResult>;

export interface ProbeHostsOptions {
  exec: ProbeExec;
  /** Hosts probed at once. Default 16. */
  concurrency?: number;
  ctx?: JobContext;
  /** What to look for beyond the defaults (from the bundle). */
  script?: ProbeScriptOptions;
}

/**
 * Probes every host of a site in parallel with one script run each. Never throws for a host: an
 * unreachable or broken host becomes `{ ok: false, error }` in its slot. Only cancellation throws.
 */
export async function probeHosts(hosts: readonly string[], opts: ProbeHostsOptions): Promise<HostFacts[]> {
  const ctx = opts.ctx ?? quietContext();
  const script = buildProbeScript(opts.script);
  const total = hosts.length;
  let done = 0;
  ctx.progress({ step: 'probe', label: 'probe.progress.step', current: 0, total });
  return mapLimit(hosts, Math.max(1, opts.concurrency ?? 16), async (host) => {
    ctx.log(`probe ${host}: running`, 'info');
    const sentAt = Date.now();
    let facts: HostFacts;
    try {
      const r = await opts.exec(host, script, { signal: ctx.signal });
      const receivedAt = Date.now();
      facts = parseProbeOutput(r.stdout, { host, sentAt, receivedAt, middleware: opts.script?.middleware, stderr: r.stderr || undefined, exitCode: r.code });
      if (!facts.ok && facts.error) facts.error.details = { ...facts.error.details, exitCode: r.code };
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      facts = emptyFacts(host, toErrorInfo(e));
      facts.ok = false;
      facts.probedAt = new Date(sentAt).toISOString();
    }
    done++;
    ctx.log(facts.ok
      ? `probe ${host}: ${facts.os?.prettyName ?? 'unknown OS'}, ${facts.warnings.length} warning(s)`
      : `probe ${host}: failed: ${facts.error?.message}`, facts.ok ? 'info' : 'warn');
    ctx.progress({ step: 'probe', label: 'probe.progress.step', current: done, total, item: host });
    return facts;
  }, ctx.signal);
}
