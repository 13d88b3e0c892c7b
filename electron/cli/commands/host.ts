import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { HostInput } from '../../core/api/types';
import type { Command } from '../context';
import { followJob, table, usageError } from '../context';
import { matchHosts, parseHostRef, passwordFromEnv, resolveSite } from '../resolve';

const siteOpt = { site: { type: 'string' as const, short: 's' } };

export const hostCommands: Command[] = [
  {
    name: 'host add', summary: 'Add a host to a site',
    usage: 'outpost host add --site S user@host[:port] [--name N] [-i KEYFILE] [--password-env VAR] [--sudo none|nopasswd|password] [--role server|agent] [--agent]',
    options: { ...siteOpt, name: { type: 'string' }, identity: { type: 'string', short: 'i' }, 'password-env': { type: 'string' }, 'passphrase-env': { type: 'string' }, sudo: { type: 'string' }, role: { type: 'string' }, agent: { type: 'boolean' } },
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const ref = ctx.positionals[0];
      if (!ref) throw usageError('host add needs user@host[:port]');
      const { user, address, port } = parseHostRef(ref);
      const password = passwordFromEnv(ctx.flags['password-env']);
      const keyPath = ctx.flags.identity ? resolve(String(ctx.flags.identity)) : undefined;
      const input: HostInput = {
        siteId: site.id, address, port, user: user ?? process.env.USER ?? 'root',
        name: ctx.flags.name as string | undefined,
        auth: keyPath ? 'key' : password !== undefined ? 'password' : 'agent',
        keyPath, password, passphrase: passwordFromEnv(ctx.flags['passphrase-env']),
        sudo: ctx.flags.sudo as HostInput['sudo'], role: ctx.flags.role as HostInput['role'],
      };
      const h = await (await ctx.api()).hosts.save(input);
      ctx.out(h, () => ctx.t('cli:hostAdded', { name: h.name, address: `${h.user}@${h.address}:${h.port}` }));
    },
  },
  {
    name: 'host list', summary: 'List the hosts of a site', usage: 'outpost host list --site S',
    options: siteOpt,
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const { hosts } = await (await ctx.api()).sites.get({ id: site.id });
      ctx.out(hosts, () => table([ctx.t('cli:name'), ctx.t('cli:address'), ctx.t('cli:user'), ctx.t('cli:auth'), 'sudo', ctx.t('cli:role'), ctx.t('cli:hostKey')],
        hosts.map((h) => [h.name, `${h.address}:${h.port}`, h.user, h.auth, h.sudo, h.role, h.hostKey?.fingerprint ?? '-'])));
    },
  },
  {
    name: 'host remove', summary: 'Remove a host', usage: 'outpost host remove --site S <host>',
    options: siteOpt,
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const api = await ctx.api();
      const [h] = matchHosts((await api.sites.get({ id: site.id })).hosts, ctx.positionals.slice(0, 1));
      if (!h) throw usageError('host remove needs a host');
      await api.hosts.remove({ id: h.id });
      ctx.out({ removed: h.id }, () => ctx.t('cli:hostRemoved', { name: h.name }));
    },
  },
  {
    name: 'host import', summary: 'Import hosts from a CSV or YAML inventory', usage: 'outpost host import --site S FILE [--format csv|yaml]',
    options: { ...siteOpt, format: { type: 'string' } },
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const file = ctx.positionals[0];
      if (!file) throw usageError('host import needs a file');
      const format = (ctx.flags.format as string | undefined) ?? (/\.ya?ml$/i.test(file) ? 'yaml' : 'csv');
      if (format !== 'csv' && format !== 'yaml') throw usageError('--format must be csv or yaml');
      const r = await (await ctx.api()).hosts.import({ siteId: site.id, format, text: await readFile(file, 'utf8') });
      ctx.out(r, () => [
        ctx.t('cli:imported', { added: r.added.length, updated: r.updated.length, errors: r.errors.length }),
        ...r.errors.map((e) => `  ${file}:${e.line}: ${e.message}`),
      ].join('\n'));
      return r.errors.length ? 1 : 0;
    },
  },
  {
    name: 'host test', summary: 'Test SSH connections (pins host keys on first use)', usage: 'outpost host test --site S [host ...]',
    options: siteOpt,
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const api = await ctx.api();
      const all = (await api.sites.get({ id: site.id })).hosts;
      const picked = ctx.positionals.length ? matchHosts(all, ctx.positionals) : all;
      const { jobId } = await api.hosts.test({ siteId: site.id, hostIds: picked.map((h) => h.id) });
      const job = await followJob(ctx, jobId);
      const hosts = (await api.sites.get({ id: site.id })).hosts.filter((h) => picked.some((p) => p.id === h.id));
      ctx.out({ job, hosts }, () => table([ctx.t('cli:name'), ctx.t('cli:result'), ctx.t('cli:hostKey'), 'ms'],
        hosts.map((h) => [h.name, h.lastTest?.ok ? 'ok' : (h.lastTest?.error?.message ?? job.error?.message ?? '?'), h.lastTest?.offeredKey?.fingerprint ?? '-', h.lastTest?.latencyMs])));
      return job.state === 'succeeded' && hosts.every((h) => h.lastTest?.ok) ? 0 : 1;
    },
  },
  {
    name: 'host trust', summary: 'Pin a changed host key after verifying it', usage: 'outpost host trust --site S <host> <SHA256:fingerprint>',
    options: siteOpt,
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.flags.site);
      const api = await ctx.api();
      const [h] = matchHosts((await api.sites.get({ id: site.id })).hosts, ctx.positionals.slice(0, 1));
      const fingerprint = ctx.positionals[1];
      if (!h || !fingerprint) throw usageError('host trust needs a host and the fingerprint you verified');
      const saved = await api.hosts.trustKey({ id: h.id, fingerprint });
      ctx.out(saved, () => ctx.t('cli:keyTrusted', { name: saved.name, fingerprint }));
    },
  },
];
