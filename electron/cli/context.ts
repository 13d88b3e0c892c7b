import type { TFunction } from 'i18next';
import { createApiProxy } from '../core/api/client';
import { createDispatcher } from '../core/api/dispatcher';
import type { OutpostApi } from '../core/api/contract';
import { OutpostError, toErrorInfo } from '../core/api/errors';
import type { JobSnapshot } from '../core/api/types';
import { createCore, type Core } from '../core/create-core';
import { defaultDataDir } from '../core/paths';
import { translate, type Msg } from '../core/i18n';

export interface CliContext {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  t: TFunction;
  /** Opens the core lazily: `--help` and usage errors never touch the state file. */
  core(): Promise<Core>;
  /** The same typed API the UI uses, through the validating dispatcher. */
  api(): Promise<OutpostApi>;
  out(value: unknown, human?: () => string | void): void;
  err(line: string): void;
  msg(m: Msg): string;
}

export type Command = {
  /** e.g. 'site list' */
  name: string;
  summary: string;
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  run(ctx: CliContext): Promise<number | void>;
};

export function usageError(message: string): OutpostError {
  return new OutpostError('cli.usage', message);
}

export function makeContext(t: TFunction, flags: CliContext['flags'], positionals: string[]): { ctx: CliContext; close(): Promise<void> } {
  let core: Promise<Core> | undefined;
  const json = flags.json === true;
  const ctx: CliContext = {
    flags, positionals, json, t,
    core: () => (core ??= createCore({ dataDir: (flags['data-dir'] as string) ?? defaultDataDir(), mode: 'cli' })),
    api: async () => createApiProxy(createDispatcher((await ctx.core()).api)),
    out(value, human) {
      if (json) { process.stdout.write(JSON.stringify(value ?? null, null, 2) + '\n'); return; }
      const text = human ? human() : undefined;
      if (typeof text === 'string') process.stdout.write(text.endsWith('\n') ? text : text + '\n');
    },
    err: (line) => process.stderr.write(line + '\n'),
    msg: (m) => translate(t, m),
  };
  return { ctx, close: async () => { if (core) await (await core).close(); } };
}

export function describeError(t: TFunction, err: unknown): string {
  const info = toErrorInfo(err);
  return t(`errors.${info.code}`, { ns: 'common', ...(info.details ?? {}), defaultValue: info.message }) as string;
}

/** Follows a job until it ends, printing its log to stderr; resolves with the final snapshot. */
export async function followJob(ctx: CliContext, jobId: string): Promise<JobSnapshot> {
  const core = await ctx.core();
  const off = core.events.on((name, payload) => {
    if (name !== 'job') return;
    const e = payload as import('../core/api/types').JobEvent;
    if (e.type === 'log' && e.jobId === jobId && !ctx.json) ctx.err(`  ${e.line.text}`);
  });
  try {
    return await core.jobs.wait(jobId);
  } finally {
    off();
  }
}

/** Follows a job and throws its error (code and details kept) unless it succeeded. */
export async function followJobToSuccess(ctx: CliContext, jobId: string): Promise<JobSnapshot> {
  const job = await followJob(ctx, jobId);
  if (job.state !== 'succeeded') {
    throw new OutpostError(job.error?.code ?? `jobs.${job.state}`, job.error?.message ?? `The job ended ${job.state}.`, job.error?.details);
  }
  return job;
}

/** A plain text table for human output. */
export function table(headers: string[], rows: (string | number | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
