import type { Command } from '../context';
import { table, usageError } from '../context';
import { resolveSite } from '../resolve';

export const siteCommands: Command[] = [
  {
    name: 'site list', summary: 'List sites', usage: 'outpost site list [--json]',
    async run(ctx) {
      const sites = await (await ctx.api()).sites.list();
      ctx.out(sites, () => sites.length ? table([ctx.t('cli:name'), ctx.t('cli:description'), 'ID'], sites.map((s) => [s.name, s.description, s.id])) : ctx.t('cli:noSites'));
    },
  },
  {
    name: 'site add', summary: 'Create a site', usage: 'outpost site add <name> [--description TEXT]',
    options: { description: { type: 'string' } },
    async run(ctx) {
      const [name] = ctx.positionals;
      if (!name) throw usageError('site add needs a name');
      const s = await (await ctx.api()).sites.save({ name, description: ctx.flags.description as string | undefined });
      ctx.out(s, () => ctx.t('cli:siteCreated', { name: s.name, id: s.id }));
    },
  },
  {
    name: 'site show', summary: 'Show a site and its hosts', usage: 'outpost site show <name>',
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.positionals[0]);
      const d = await (await ctx.api()).sites.get({ id: site.id });
      ctx.out(d, () => `${d.name}  (${d.id})\n${d.description}\n\n` + table(
        [ctx.t('cli:name'), ctx.t('cli:address'), ctx.t('cli:user'), ctx.t('cli:auth'), 'sudo', ctx.t('cli:role'), ctx.t('cli:hostKey'), ctx.t('cli:lastTest')],
        d.hosts.map((h) => [h.name, `${h.address}:${h.port}`, h.user, h.auth, h.sudo, h.role, h.hostKey?.fingerprint ?? '-', h.lastTest ? (h.lastTest.ok ? 'ok' : h.lastTest.error?.code) : '-']),
      ));
    },
  },
  {
    name: 'site remove', summary: 'Delete a site and its hosts', usage: 'outpost site remove <name>',
    async run(ctx) {
      const site = await resolveSite(ctx, ctx.positionals[0]);
      await (await ctx.api()).sites.remove({ id: site.id });
      ctx.out({ removed: site.id }, () => ctx.t('cli:siteRemoved', { name: site.name }));
    },
  },
];
