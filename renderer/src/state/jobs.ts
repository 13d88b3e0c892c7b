/**
 * Every job the UI knows of, kept live from `job` events. A screen opened late still sees a
 * running job: the store starts from `jobs.list` and asks `jobs.get` for any id it missed.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { api, onConnection, onEvent } from '../api';
import type { JobEvent, JobSnapshot } from '../../../electron/core/api/types';

const MAX_LOG_LINES = 500;

let jobs = new Map<string, JobSnapshot>();
let list: JobSnapshot[] = [];
const subscribers = new Set<() => void>();
let started = false;
const fetching = new Set<string>();

function publish(): void {
  list = [...jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  for (const s of subscribers) s();
}

function put(job: JobSnapshot): void {
  jobs = new Map(jobs).set(job.id, job);
  publish();
}

async function fetchJob(id: string): Promise<void> {
  if (fetching.has(id)) return;
  fetching.add(id);
  try {
    put(await api.jobs.get({ id }));
  } catch {
    /* gone or not reachable: the next snapshot event brings it */
  } finally {
    fetching.delete(id);
  }
}

function apply(e: JobEvent): void {
  if (e.type === 'snapshot') { put(e.job); return; }
  const job = jobs.get(e.jobId);
  if (!job) { void fetchJob(e.jobId); return; }
  if (e.type === 'progress') put({ ...job, progress: e.progress });
  else put({ ...job, log: [...job.log, e.line].slice(-MAX_LOG_LINES) });
}

export async function reloadJobs(): Promise<void> {
  try {
    const fresh = await api.jobs.list({ limit: 50 });
    const next = new Map(jobs);
    for (const j of fresh) {
      // A reply computed before a final snapshot event must not bring a finished job back to life.
      const known = next.get(j.id);
      if (known && known.state !== 'running' && j.state === 'running') continue;
      next.set(j.id, j);
    }
    jobs = next;
    publish();
  } catch {
    /* the connection banner says why */
  }
}

function start(): void {
  if (started) return;
  started = true;
  onEvent((name, payload) => { if (name === 'job') apply(payload as JobEvent); });
  onConnection((s) => { if (s.status === 'open') void reloadJobs(); });
  void reloadJobs();
}

function subscribe(cb: () => void): () => void {
  start();
  subscribers.add(cb);
  return () => { subscribers.delete(cb); };
}

/** All known jobs, newest first. */
export function useJobs(): JobSnapshot[] {
  return useSyncExternalStore(subscribe, () => list);
}

/** One job, live; fetched once if the store has not seen it yet. */
export function useJob(id: string | undefined): JobSnapshot | undefined {
  const all = useSyncExternalStore(subscribe, () => jobs);
  useEffect(() => { if (id && !jobs.has(id)) void fetchJob(id); }, [id]);
  return id ? all.get(id) : undefined;
}

/** Adds a job the UI just started, before its first event arrives. */
export function trackJob(id: string): void {
  start();
  if (!jobs.has(id)) void fetchJob(id);
}
