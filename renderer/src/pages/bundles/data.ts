/**
 * The Bundles screen's data: the library, the trusted keys and the media, each reloaded when the
 * core says its collection changed; and the bundle job the screen follows, kept across navigation.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { BundleRecord, FoundBundle, JobSnapshot, MediaInfo, TrustedVendorKey } from '../../../../electron/core/api/types';
import { api } from '../../api';
import { useEvent, useReconnect } from '../../state/events';
import { useJobs } from '../../state/jobs';

export interface Loaded<T> {
  data: T;
  loaded: boolean;
  error?: unknown;
  reload(): Promise<void>;
}

function useLoaded<T>(initial: T, fetch: () => Promise<T>, collection?: string): Loaded<T> {
  const [state, setState] = useState<{ data: T; loaded: boolean; error?: unknown }>({ data: initial, loaded: false });
  const reload = useCallback(async () => {
    try {
      const data = await fetch();
      setState({ data, loaded: true });
    } catch (error) {
      setState((s) => ({ ...s, loaded: true, error }));
    }
  }, [fetch]);
  useEffect(() => { void reload(); }, [reload]);
  useReconnect(() => void reload());
  useEvent('store.changed', (c) => { if (collection && c.collection === collection) void reload(); });
  return { ...state, reload };
}

const fetchLibrary = () => api.bundles.list();
const fetchKeys = () => api.bundles.listKeys();
const fetchMedia = () => api.bundles.media();

export function useLibrary(): Loaded<BundleRecord[]> {
  return useLoaded<BundleRecord[]>([], fetchLibrary, 'bundles');
}

export function useTrustedKeys(): Loaded<TrustedVendorKey[]> {
  return useLoaded<TrustedVendorKey[]>([], fetchKeys, 'settings');
}

export function useMedia(): Loaded<MediaInfo[]> {
  return useLoaded<MediaInfo[]>([], fetchMedia);
}

// ------------------------------------------------------------ the job this screen follows

let followed: string | undefined;
const followers = new Set<() => void>();

/** Shows this job in the screen's job panel (it stays there when the user navigates away and back). */
export function followJob(id: string | undefined): void {
  followed = id;
  for (const f of followers) f();
}

function subscribe(cb: () => void): () => void {
  followers.add(cb);
  return () => { followers.delete(cb); };
}

export function useFollowedJobId(): string | undefined {
  return useSyncExternalStore(subscribe, () => followed);
}

export const BUNDLE_JOB_KINDS = ['bundles.scan', 'bundles.verify', 'bundles.load'];

/** What the last scan found (its job's result), so the list survives a reload of the page. */
export function useLastScan(): { job?: JobSnapshot; found: FoundBundle[] } {
  const jobs = useJobs();
  const job = jobs.find((j) => j.kind === 'bundles.scan' && j.state === 'succeeded');
  return { job, found: (job?.result as FoundBundle[] | undefined) ?? [] };
}
