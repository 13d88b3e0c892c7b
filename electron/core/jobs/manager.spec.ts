import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../store';
import { Redactor } from '../secrets';
import type { JobEvent } from '../api/types';
import { JobManager, type JobDefinition } from '.';

/** A job that counts to `n`, one checkpoint per step, and waits for a gate at `stopAt`. */
function counter(gate: { at: number; release?: () => void; reached?: Promise<void> }): JobDefinition<{ n: number }, { i: number }> {
  return {
    kind: 'count', resumable: true,
    title: () => ({ key: 'jobs.count', text: 'Count' }),
    async run(p, ctx) {
      for (let i = ctx.checkpoint?.i ?? 0; i < p.n; i++) {
        if (i === gate.at) await new Promise<void>((resolve, reject) => {
          gate.release = resolve;
          ctx.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        });
        ctx.signal.throwIfAborted();
        ctx.log(`step ${i} token=topsecret123`);
        ctx.progress({ step: 'count', current: i + 1, total: p.n });
        await ctx.saveCheckpoint({ i: i + 1 });
      }
      return { counted: p.n };
    },
  };
}

async function setup(dir = mkdtempSync(join(tmpdir(), 'outpost-jobs-'))) {
  const store = await Store.open(dir);
  const events: JobEvent[] = [];
  const redactor = new Redactor();
  redactor.add('topsecret123');
  const jobs = new JobManager(store, (e) => events.push(e), redactor);
  return { dir, store, jobs, events };
}

describe('JobManager', () => {
  it('emits typed progress and redacted log lines, and records the result', async () => {
    const { jobs, events } = await setup();
    jobs.register(counter({ at: -1 }));
    const { jobId } = await jobs.start('count', { n: 3 });
    const done = await jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({ counted: 3 });
    expect(events.filter((e) => e.type === 'progress').map((e) => (e as any).progress.current)).toEqual([1, 2, 3]);
    expect(done.log.map((l) => l.text)).toContain('step 0 token=«redacted»');
    expect(JSON.stringify(events)).not.toContain('topsecret123');
  });

  it('cancels through the AbortSignal', async () => {
    const { jobs } = await setup();
    jobs.register(counter({ at: 1 }));
    const { jobId } = await jobs.start('count', { n: 3 });
    await new Promise((r) => setTimeout(r, 50));
    await jobs.cancel(jobId);
    expect(jobs.get(jobId).state).toBe('cancelled');
  });

  it('marks a job cut off by a restart as interrupted, and resumes it from its checkpoint', async () => {
    const first = await setup();
    const gate = { at: 2 } as { at: number; release?: () => void };
    first.jobs.register(counter(gate));
    const { jobId } = await first.jobs.start('count', { n: 4 });
    while (!gate.release) await new Promise((r) => setTimeout(r, 10));
    await first.store.flush();
    // A second process opens the same state, as after a crash or a closed lid.
    const second = await setup(first.dir);
    second.jobs.register(counter({ at: -1 }));
    await second.jobs.recoverInterrupted();
    expect(second.jobs.get(jobId).state).toBe('interrupted');
    await second.jobs.resume(jobId);
    const done = await second.jobs.wait(jobId);
    expect(done.state).toBe('succeeded');
    expect(done.log.filter((l) => l.text.startsWith('step')).map((l) => l.text)).toEqual([
      'step 0 token=«redacted»', 'step 1 token=«redacted»', 'step 2 token=«redacted»', 'step 3 token=«redacted»',
    ]);
    gate.release!();
  });
});
