import { randomUUID } from 'node:crypto';
import { OutpostError, toErrorInfo } from '../api/errors';
import type { JobEvent, JobLogLine, JobSnapshot, Msg } from '../api/types';
import type { Store, JobRecord } from '../store';
import type { Redactor } from '../secrets';
import { jobAbortController, type JobContext, type LogLevel, type Progress } from './context';

/** What a running job can do beyond progress and log: keep a checkpoint for resuming. */
export interface RunContext<C = unknown> extends JobContext {
  /** The checkpoint saved by an earlier, interrupted run of this job (resume), if any. */
  readonly checkpoint: C | undefined;
  saveCheckpoint(c: C): Promise<void>;
}

export interface JobDefinition<P = any, C = any> {
  kind: string;
  title(params: P): Msg;
  run(params: P, ctx: RunContext<C>): Promise<unknown>;
  /** Jobs that keep checkpoints can continue after a crash or a closed lid. */
  resumable?: boolean;
  siteId?(params: P): string | undefined;
}

const MAX_LOG = 1000;
const PERSIST_EVERY_MS = 1000;
const MAX_KEPT_JOBS = 200;

/**
 * Runs long work as jobs: typed progress events, cancellation through AbortSignal, and a
 * durable journal in the store so a restarted app shows what ran and can resume it.
 */
export class JobManager {
  private defs = new Map<string, JobDefinition>();
  private running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private lastPersist = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly emit: (e: JobEvent) => void,
    private readonly redactor: Redactor,
  ) {}

  register(def: JobDefinition): void {
    this.defs.set(def.kind, def);
  }

  /** At start-up: jobs the previous process left "running" were cut off. */
  async recoverInterrupted(): Promise<void> {
    await this.store.update((d) => {
      for (const j of d.jobs) {
        if (j.state === 'running') {
          j.state = 'interrupted';
          j.endedAt = new Date().toISOString();
          j.log.push({ at: j.endedAt, level: 'warn', text: 'Outpost stopped while this job was running.' });
        }
      }
    }, 'jobs');
  }

  list(opts: { siteId?: string; limit?: number } = {}): JobSnapshot[] {
    return this.store.data.jobs
      .filter((j) => !opts.siteId || j.siteId === opts.siteId)
      .slice(-(opts.limit ?? 50)).reverse().map(snapshot);
  }

  get(id: string): JobSnapshot {
    return snapshot(this.record(id));
  }

  async start<P extends Record<string, unknown>>(kind: string, params: P): Promise<{ jobId: string }> {
    const def = this.defs.get(kind);
    if (!def) throw new OutpostError('jobs.unknown_kind', `Unknown job kind: ${kind}`, { kind });
    const rec: JobRecord = {
      id: randomUUID(),
      kind,
      title: def.title(params),
      state: 'running',
      params,
      log: [],
      startedAt: new Date().toISOString(),
      resumable: !!def.resumable,
      siteId: def.siteId?.(params),
    };
    await this.store.update((d) => {
      d.jobs.push(rec);
      if (d.jobs.length > MAX_KEPT_JOBS) d.jobs.splice(0, d.jobs.length - MAX_KEPT_JOBS);
    }, 'jobs');
    this.launch(def, rec);
    return { jobId: rec.id };
  }

  async resume(id: string): Promise<{ jobId: string }> {
    const rec = this.record(id);
    const def = this.defs.get(rec.kind);
    if (!def?.resumable || !['interrupted', 'failed', 'cancelled'].includes(rec.state)) {
      throw new OutpostError('jobs.not_resumable', `Job ${id} cannot be resumed (state ${rec.state}).`, { id, state: rec.state });
    }
    await this.store.update(() => {
      rec.state = 'running';
      rec.endedAt = undefined;
      rec.error = undefined;
      rec.log.push(line('info', 'Resumed.'));
    }, 'jobs');
    this.launch(def, rec);
    return { jobId: rec.id };
  }

  async cancel(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) throw new OutpostError('jobs.not_running', `Job ${id} is not running.`, { id });
    r.controller.abort();
    await r.done;
  }

  /** Resolves when the job ends (tests, CLI). */
  async wait(id: string): Promise<JobSnapshot> {
    await this.running.get(id)?.done;
    return this.get(id);
  }

  async cancelAll(): Promise<void> {
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private record(id: string): JobRecord {
    const rec = this.store.data.jobs.find((j) => j.id === id);
    if (!rec) throw new OutpostError('jobs.not_found', `No job with id ${id}.`, { id });
    return rec;
  }

  private launch(def: JobDefinition, rec: JobRecord): void {
    const controller = jobAbortController();
    const ctx: RunContext = {
      signal: controller.signal,
      checkpoint: rec.checkpoint,
      progress: (p: Progress) => {
        rec.progress = p;
        this.emit({ type: 'progress', jobId: rec.id, progress: p });
        this.persistSoon(rec);
      },
      log: (text: string, level: LogLevel = 'info') => {
        const l = line(level, this.redactor.redact(text));
        rec.log.push(l);
        if (rec.log.length > MAX_LOG) rec.log.splice(0, rec.log.length - MAX_LOG);
        this.emit({ type: 'log', jobId: rec.id, line: l });
        this.persistSoon(rec);
      },
      saveCheckpoint: async (c) => {
        await this.store.update(() => { rec.checkpoint = c; }, 'jobs');
      },
    };
    this.emit({ type: 'snapshot', job: snapshot(rec) });
    const done = (async () => {
      try {
        const result = await def.run(rec.params, ctx);
        rec.result = this.redactor.redactDeep(result);
        rec.state = controller.signal.aborted ? 'cancelled' : 'succeeded';
      } catch (err) {
        rec.state = controller.signal.aborted ? 'cancelled' : 'failed';
        rec.error = this.redactor.redactDeep(toErrorInfo(err));
        rec.log.push(line(rec.state === 'cancelled' ? 'warn' : 'error', rec.state === 'cancelled' ? 'Cancelled.' : rec.error.message));
      } finally {
        rec.endedAt = new Date().toISOString();
        this.running.delete(rec.id);
        await this.store.update(() => undefined, 'jobs');
        this.emit({ type: 'snapshot', job: snapshot(rec) });
      }
    })();
    this.running.set(rec.id, { controller, done });
  }

  private persistSoon(rec: JobRecord): void {
    const now = Date.now();
    if (now - (this.lastPersist.get(rec.id) ?? 0) < PERSIST_EVERY_MS) return;
    this.lastPersist.set(rec.id, now);
    void this.store.update(() => undefined, 'jobs');
  }
}

function line(level: LogLevel, text: string): JobLogLine {
  return { at: new Date().toISOString(), level, text };
}

function snapshot(rec: JobRecord): JobSnapshot {
  const { checkpoint: _c, ...rest } = rec;
  return structuredClone({ ...rest, log: rest.log.slice(-200) });
}
