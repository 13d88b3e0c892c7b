import { readFile, writeFile } from 'node:fs/promises';
import { toErrorInfo } from '../../core/api/errors';
import { parsePreflightSpec, preflightExitCode, preflightToHtml, type PreflightReport, type PreflightSpec } from '../../core/preflight';
import { bundlePreflightInputs, parseRequirement, preflightHosts, siteRequirements } from '../../core/preflight/site-preflight';
import { translate } from '../../core/i18n';
import type { CliContext, Command } from '../context';
import { followJobToSuccess, table, usageError } from '../context';
import { resolveSite } from '../resolve';
import { adHocHosts, cliJobContext, probeDepsOf, probeOptions } from './probe';
import { trustedKeysOf } from '../../core/bundle/api';

const statusMark: Record<string, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unsupported: 'UNSUPPORTED', error: 'ERROR' };

function text(ctx: CliContext, v: string | { key: string; text: string; params?: Record<string, string | number> } | undefined): string {
  return v === undefined ? '' : typeof v === 'string' ? v : translate(ctx.t, v);
}

function printReport(ctx: CliContext, r: PreflightReport): string {
  const rows: (string | undefined)[][] = [];
  for (const h of r.hosts) for (const c of h.results) rows.push([h.host, statusMark[c.status], text(ctx, c.title), text(ctx, c.message), text(ctx, c.fix)]);
  for (const c of r.site) rows.push(['(site)', statusMark[c.status], text(ctx, c.title), text(ctx, c.message), text(ctx, c.fix)]);
  const s = r.summary;
  return `${table(['HOST', 'STATUS', 'CHECK', 'MESSAGE', 'FIX'], rows)}\n\n${s.pass} pass, ${s.warn} warn, ${s.fail} fail, ${s.unsupported} unsupported, ${s.error} error`;
}

async function run(ctx: CliContext): Promise<PreflightReport> {
  const core = await ctx.core();
  const requires = ((ctx.flags.require as string[] | undefined) ?? []).map(parseRequirement);
  let spec: PreflightSpec | null = null;
  let specText: string | undefined;
  if (typeof ctx.flags.spec === 'string') {
    specText = await readFile(ctx.flags.spec, 'utf8');
    spec = parsePreflightSpec(specText);
  }
  const bundleRef = ctx.flags.bundle as string | undefined;
  const trust = { trustedKeys: trustedKeysOf(core.store), allowUntrusted: typeof ctx.flags['allow-untrusted'] === 'string' ? { reason: ctx.flags['allow-untrusted'] as string } : undefined };

  if (ctx.positionals.length === 0) {
    // A saved site: the job path, so the result is kept and the UI shows it.
    const site = await resolveSite(ctx, ctx.flags.site);
    const api = await ctx.api();
    let bundleDigest: string | undefined;
    if (bundleRef?.startsWith('sha256:')) bundleDigest = bundleRef;
    else if (bundleRef && !specText) specText = await readFile(await specPathOf(bundleRef, trust), 'utf8');
    const { jobId } = await api.preflight.run({ siteId: site.id, bundleDigest, spec: specText, require: ctx.flags.require as string[] | undefined });
    await followJobToSuccess(ctx, jobId);
    return (await api.preflight.latest({ siteId: site.id }))!.report;
  }

  const hosts = adHocHosts(ctx, core);
  // Ad-hoc hosts: the first is the server, the others agents, unless the spec alone is checked.
  hosts.forEach((h, i) => { h.role = i === 0 ? 'server' : 'agent'; });
  const fromBundle = bundleRef ? await bundlePreflightInputs(bundleRef, trust) : undefined;
  const requirements = siteRequirements(hosts, { middleware: requires, disk: fromBundle?.disk });
  const { report } = await preflightHosts({ ...probeDepsOf(core), trustedKeys: () => trust.trustedKeys }, hosts, { spec: spec ?? fromBundle?.spec ?? null, requirements }, cliJobContext(ctx, core));
  return report;
}

/** For a site run with a bundle path: the bundle is verified, then its spec file is read. */
async function specPathOf(path: string, trust: Parameters<typeof bundlePreflightInputs>[1]): Promise<string> {
  const { loadBundle } = await import('../../core/bundle');
  const b = await loadBundle(path, trust);
  if (!b.manifest.spec.preflight) throw usageError('This bundle has no preflight spec.');
  const { join } = await import('node:path');
  return join(b.dir, b.manifest.spec.preflight);
}

export const preflightCommand: Command = {
  name: 'preflight',
  summary: 'Check hosts against a bundle\'s requirements before installing (exit 0 pass, 3 fail, 4 warn, 2 spec error)',
  usage: 'outpost preflight [--spec FILE] [--bundle PATH|sha256:…] [--require "mysql >= 5.7"]... (<user@host[:port]>... [-i KEY] [--password-env VAR] [--sudo] | --site S) [--json] [--html FILE]',
  options: { ...probeOptions, spec: { type: 'string' }, bundle: { type: 'string' }, require: { type: 'string', multiple: true }, html: { type: 'string' }, 'allow-untrusted': { type: 'string' } },
  async run(ctx) {
    let report: PreflightReport;
    try {
      report = await run(ctx);
    } catch (e) {
      const code = preflightExitCode(e);
      if (code === 2) {
        const info = toErrorInfo(e);
        ctx.out({ error: info }, () => `${info.message}${Array.isArray(info.details?.issues) ? '\n' + (info.details!.issues as { path: string; message: string }[]).map((i) => `  ${i.path}: ${i.message}`).join('\n') : ''}`);
        return 2;
      }
      throw e;
    }
    if (typeof ctx.flags.html === 'string') await writeFile(ctx.flags.html, preflightToHtml(report, ctx.t));
    ctx.out(report, () => printReport(ctx, report));
    return preflightExitCode(report);
  },
};
