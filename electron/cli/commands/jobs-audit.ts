import type { Command } from '../context';
import { followJob, table, usageError } from '../context';

export const jobCommands: Command[] = [
  {
    name: 'jobs list', summary: 'List recent jobs', usage: 'outpost jobs list',
    async run(ctx) {
      const jobs = await (await ctx.api()).jobs.list();
      ctx.out(jobs, () => table(['ID', ctx.t('cli:job'), ctx.t('cli:state'), ctx.t('cli:started')], jobs.map((j) => [j.id, ctx.msg(j.title), j.state, j.startedAt])));
    },
  },
  {
    name: 'jobs show', summary: 'Show a job with its log', usage: 'outpost jobs show <id>',
    async run(ctx) {
      const id = ctx.positionals[0];
      if (!id) throw usageError('jobs show needs a job id');
      const j = await (await ctx.api()).jobs.get({ id });
      ctx.out(j, () => [`${ctx.msg(j.title)} — ${j.state}`, ...j.log.map((l) => `${l.at} ${l.level.padEnd(5)} ${l.text}`)].join('\n'));
    },
  },
  {
    name: 'jobs resume', summary: 'Resume an interrupted job', usage: 'outpost jobs resume <id>',
    async run(ctx) {
      const id = ctx.positionals[0];
      if (!id) throw usageError('jobs resume needs a job id');
      const { jobId } = await (await ctx.api()).jobs.resume({ id });
      const j = await followJob(ctx, jobId);
      ctx.out(j, () => `${ctx.msg(j.title)} — ${j.state}`);
      return j.state === 'succeeded' ? 0 : 1;
    },
  },
];

export const auditCommands: Command[] = [
  {
    name: 'audit list', summary: 'Show the audit log', usage: 'outpost audit list [--limit N]',
    options: { limit: { type: 'string' } },
    async run(ctx) {
      const entries = await (await ctx.api()).audit.list({ limit: ctx.flags.limit ? Number(ctx.flags.limit) : 50 });
      ctx.out(entries, () => table(['#', ctx.t('cli:time'), ctx.t('cli:actor'), ctx.t('cli:action'), ctx.t('cli:target'), ctx.t('cli:outcome'), ctx.t('cli:detail')],
        entries.map((e) => [e.seq, e.at, e.actor, e.action, e.target, e.outcome, e.detail])));
    },
  },
  {
    name: 'audit verify', summary: 'Check the audit log\'s hash chain for tampering', usage: 'outpost audit verify',
    async run(ctx) {
      const r = await (await ctx.api()).audit.verify();
      ctx.out(r, () => r.ok ? ctx.t('cli:auditOk', { count: r.entries }) : ctx.t('cli:auditBroken', { seq: r.brokenAt, reason: r.reason }));
      return r.ok ? 0 : 1;
    },
  },
];
