/**
 * The Preflight screen's data: the site (its hosts), the latest probe of each host, the latest
 * preflight record; the probe/preflight job the screen follows (kept across navigation); the
 * inputs of the last run (so a re-run uses the same spec); and the bundle library, if any.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { JobSnapshot, SiteDetail } from '../../../../electron/core/api/types';
import type { PreflightRecord } from '../../../../electron/core/preflight/site-preflight';
import type { ProbeRecord } from '../../../../electron/core/probe/probe-job';
import { api, onEvent } from '../../api';
import { useEvent, useReconnect } from '../../state/events';
import { trackJob, useJobs } from '../../state/jobs';

export type { PreflightRecord, ProbeRecord };

export const JOB_KINDS = ['probe.run', 'preflight.run'] as const;

// ------------------------------------------------------------------ site, probes, preflight record

export interface PreflightData {
  site?: SiteDetail;
  probes: ProbeRecord[];
  record: PreflightRecord | null;
  loaded: boolean;
  error?: unknown;
  reload(): Promise<void>;
}

export function usePreflightData(siteId: string | undefined): PreflightData {
  const [state, setState] = useState<Omit<PreflightData, 'reload'>>({ probes: [], record: null, loaded: false });

  const reload = useCallback(async () => {
    if (!siteId) { setState({ probes: [], record: null, loaded: true }); return; }
    try {
      const [site, probes, record] = await Promise.all([
        api.sites.get({ id: siteId }),
        api.probe.results({ siteId }),
        api.preflight.latest({ siteId }),
      ]);
      setState({ site, probes, record, loaded: true });
    } catch (error) {
      setState((s) => ({ ...s, loaded: true, error }));
    }
  }, [siteId]);

  useEffect(() => {
    setState({ probes: [], record: null, loaded: false });
    void reload();
  }, [reload]);
  useReconnect(() => void reload());
  useEvent('store.changed', (c) => {
    if (['probes', 'preflight', 'hosts', 'sites'].includes(c.collection)) void reload();
  });
  return { ...state, reload };
}

// ------------------------------------------------------------------ the job this screen follows, per site

let followed: Record<string, string> = {};
/** A "re-run for this host" in progress: the probe of one host, then the site's preflight. */
export interface Chain { hostId: string; hostName: string }
let chains: Record<string, Chain | undefined> = {};
const listeners = new Set<() => void>();
const notify = () => { for (const l of listeners) l(); };
const subscribe = (cb: () => void) => { listeners.add(cb); return () => { listeners.delete(cb); }; };

export function followJob(siteId: string, jobId: string | undefined): void {
  const next = { ...followed };
  if (jobId) next[siteId] = jobId; else delete next[siteId];
  followed = next;
  notify();
}

function setChain(siteId: string, chain: Chain | undefined): void {
  chains = { ...chains, [siteId]: chain };
  notify();
}

/** The job the panel shows: the one started here, else a probe or preflight of this site that is running. */
export function useFollowedJob(siteId: string | undefined): { job?: JobSnapshot; running?: JobSnapshot; chain?: Chain } {
  const ids = useSyncExternalStore(subscribe, () => followed);
  const chainMap = useSyncExternalStore(subscribe, () => chains);
  const jobs = useJobs();
  if (!siteId) return {};
  const running = jobs.find((j) => j.siteId === siteId && j.state === 'running' && (JOB_KINDS as readonly string[]).includes(j.kind));
  const mine = jobs.find((j) => j.id === ids[siteId]);
  // A run started elsewhere (another window, the CLI) after the one followed here takes the panel.
  const job = running && (!mine || (mine.state !== 'running' && running.startedAt > mine.startedAt)) ? running : mine ?? running;
  return { job, running, chain: chainMap[siteId] };
}

/** Resolves with the job once it has ended (from the job events; polls as well, in case an event was missed). */
export function waitJob(id: string): Promise<JobSnapshot> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (j: JobSnapshot) => {
      if (done || j.state === 'running') return;
      done = true;
      off();
      clearInterval(timer);
      resolve(j);
    };
    const off = onEvent((name, payload) => {
      const e = payload as { type?: string; job?: JobSnapshot };
      if (name === 'job' && e.type === 'snapshot' && e.job?.id === id) finish(e.job);
    });
    const poll = () => { api.jobs.get({ id }).then(finish, () => undefined); };
    const timer = setInterval(poll, 2000);
    poll();
  });
}

export async function startProbe(siteId: string, hostIds?: string[]): Promise<string> {
  const { jobId } = await api.probe.run({ siteId, ...(hostIds ? { hostIds } : {}) });
  trackJob(jobId);
  followJob(siteId, jobId);
  return jobId;
}

export async function startPreflight(siteId: string, inputs: RunInputs): Promise<string> {
  const { jobId } = await api.preflight.run({
    siteId,
    ...(inputs.bundleDigest ? { bundleDigest: inputs.bundleDigest } : {}),
    ...(inputs.spec?.trim() ? { spec: inputs.spec } : {}),
    ...(inputs.require?.length ? { require: inputs.require } : {}),
    ...(inputs.hostIds ? { hostIds: inputs.hostIds } : {}),
  });
  trackJob(jobId);
  followJob(siteId, jobId);
  return jobId;
}

/**
 * "Re-run for this host": one preflight run that probes this host again and keeps the other hosts'
 * last probe, since the site-wide checks (clock, hostnames, network paths) still compare all of them.
 * Runs outside any component, so leaving the screen does not lose it.
 */
export async function rerunForHost(siteId: string, host: { id: string; name: string }, inputs: RunInputs): Promise<JobSnapshot> {
  setChain(siteId, { hostId: host.id, hostName: host.name });
  try {
    return await waitJob(await startPreflight(siteId, { ...inputs, hostIds: [host.id] }));
  } finally {
    setChain(siteId, undefined);
  }
}

// ------------------------------------------------------------------ the inputs of the last run

export interface RunInputs {
  bundleDigest?: string;
  spec?: string;
  /** File name the spec was loaded from, for the form. */
  specName?: string;
  require?: string[];
  /** Hosts to probe again (a per-host re-run); not remembered between runs. */
  hostIds?: string[];
}

const INPUTS_KEY = (siteId: string) => `outpost.preflight.inputs.${siteId}`;
const MAX_STORED_SPEC = 512 * 1024;

/** The inputs of this site's last run; else its last bundle, or the one the site runs. */
export function loadInputs(siteId: string, record?: PreflightRecord | null, siteBundle?: string): RunInputs {
  try {
    const raw = localStorage.getItem(INPUTS_KEY(siteId));
    if (raw) return JSON.parse(raw) as RunInputs;
  } catch {
    /* a broken entry is as good as none */
  }
  const bundleDigest = record?.bundleDigest ?? siteBundle;
  return bundleDigest ? { bundleDigest } : {};
}

export function saveInputs(siteId: string, inputs: RunInputs): void {
  const kept = inputs.spec && inputs.spec.length > MAX_STORED_SPEC ? { ...inputs, spec: undefined, specName: undefined } : inputs;
  try {
    localStorage.setItem(INPUTS_KEY(siteId), JSON.stringify(kept));
  } catch {
    /* storage full: the form simply starts empty next time */
  }
}

// ------------------------------------------------------------------ the bundle library (optional)

export interface BundleChoice { digest: string; name: string; version: string; vendor?: string; available: boolean }

/** Bundles the preflight can use; empty when the library is empty or the API has no bundle list. */
export function useBundleChoices(open: boolean): { bundles: BundleChoice[]; loaded: boolean } {
  const [state, setState] = useState<{ bundles: BundleChoice[]; loaded: boolean }>({ bundles: [], loaded: false });
  useEffect(() => {
    if (!open) return;
    let live = true;
    const list = (api as unknown as { bundles?: { list?: () => Promise<unknown> } }).bundles?.list;
    if (typeof list !== 'function') { setState({ bundles: [], loaded: true }); return; }
    list().then((entries) => {
      const bundles = (Array.isArray(entries) ? entries : []).flatMap((e: Record<string, unknown>) =>
        typeof e.digest === 'string' && typeof e.name === 'string' && typeof e.version === 'string'
          ? [{ digest: e.digest, name: e.name, version: e.version, vendor: typeof e.vendor === 'string' ? e.vendor : undefined, available: e.available !== false }]
          : []);
      if (live) setState({ bundles, loaded: true });
    }, () => { if (live) setState({ bundles: [], loaded: true }); });
    return () => { live = false; };
  }, [open]);
  return state;
}
