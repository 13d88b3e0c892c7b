import { resolve } from 'node:path';
import type { HostFacts } from '../../core/probe/types';
import { probeRecords } from '../../core/probe/probe-job';
import { quietContext } from '../../core/jobs';
import type { CliContext, Command } from '../context';
import { followJobToSuccess, table } from '../context';
import { matchHosts, parseHostRef, passwordFromEnv, resolveSite } from '../resolve';
import type { Core } from '../../core/create-core';
import type { HostRecord } from '../../core/store';

export const probeOptions = {
  site: { type: 'string', short: 's' },
  identity: { type: 'string', short: 'i' },
  'password-env': { type: 'string' },
  sudo: { type: 'boolean' },
} as const;

function gib(bytes: number | undefined | null): string {
  return bytes == null ? '-' : `${(bytes / 2 ** 30).toFixed(1)}G`;
}

export function factsTable(ctx: CliContext, facts: HostFacts[]): string {
  return table(['HOST', 'OS', 'KERNEL', 'ARCH', 'CPU', 'MEM', 'PORTS', 'MIDDLEWARE', ctx.t('cli:result')], facts.map((f) => [
    f.hostname ? `${f.host} (${f.hostname})` : f.host,
    f.os ? `${f.os.prettyName ?? f.os.id} [${f.os.family}]` : '-',
    f.kernel ?? '-', f.arch ?? '-', f.cpu?.count ?? '-', gib(f.memory?.totalBytes), f.ports.length,
    f.middleware.map((m) => `${m.name} ${m.version ?? '?'}`).join(', ') || '-',
    f.ok ? (f.warnings.length ? `ok (${f.warnings.length} warnings)` : 'ok') : `${f.error?.code}: ${f.error?.message}`,
  ]));
}

/**
 * Probes the hosts given as user@host[:port] (ad hoc, pinned in known hosts), or a saved site's hosts
 * with --site. Returns the facts, one object per host.
 */
export async function probeFromCli(ctx: CliContext): Promise<HostFacts[]> {
  const core = await ctx.core();
  if (ctx.positionals.length === 0) {
    const site = await resolveSite(ctx, ctx.flags.site);
    const api = await ctx.api();
    const hosts = (await api.sites.get({ id: site.id })).hosts;
    const picked = hosts.filter((h) => !ctx.flags.hosts || matchHosts(hosts, String(ctx.flags.hosts).split(',')).some((p) => p.id === h.id));
    const { jobId } = await api.probe.run({ siteId: site.id, hostIds: picked.map((h) => h.id) });
    await followJobToSuccess(ctx, jobId);
    const results = await api.probe.results({ siteId: site.id });
    return picked.map((h) => results.find((r) => r.hostId === h.id)!.facts);
  }
  return probeRecords(probeDepsOf(core), adHocHosts(ctx, core), cliJobContext(ctx, core));
}

/** The hosts named on the command line as user@host[:port], with -i, --password-env and --sudo. */
export function adHocHosts(ctx: CliContext, core: Core): HostRecord[] {
  const password = passwordFromEnv(ctx.flags['password-env']);
  const keyPath = ctx.flags.identity ? resolve(String(ctx.flags.identity)) : undefined;
  const sudo = ctx.flags.sudo ? (password !== undefined ? 'password' : 'nopasswd') : 'none';
  return ctx.positionals.map((ref) => {
    const { user, address, port } = parseHostRef(ref);
    return core.inventory.adHocHost({ address, port, user: user ?? process.env.USER ?? 'root', keyPath, password, sudo });
  });
}

/** Work run in-process by the CLI: its log goes to stderr (not with --json). */
export function cliJobContext(ctx: CliContext, core: Core) {
  return quietContext(undefined, (line) => { if (!ctx.json) ctx.err(`  ${core.redactor.redact(line)}`); });
}

export const probeDepsOf = (core: Core) => ({ store: core.store, inv: core.inventory, audit: core.audit, redactor: core.redactor });

export const probeCommand: Command = {
  name: 'probe',
  summary: 'Probe Linux hosts over SSH: OS, kernel, CPU, memory, disks, ports, middleware',
  usage: 'outpost probe <user@host[:port]>... [-i KEYFILE] [--password-env VAR] [--sudo] [--json]  |  outpost probe --site S [--hosts a,b]',
  options: { ...probeOptions, hosts: { type: 'string' } },
  async run(ctx) {
    const facts = await probeFromCli(ctx);
    ctx.out(facts, () => factsTable(ctx, facts));
    return facts.every((f) => f.ok) ? 0 : 1;
  },
};
