/** The sites list and the current site (header selector), shared by every screen. */
import { useSyncExternalStore } from 'react';
import { api, onConnection, onEvent } from '../api';
import type { Site } from '../../../electron/core/api/types';

const CURRENT_KEY = 'outpost.currentSite';

interface SitesState {
  sites: Site[];
  loaded: boolean;
  error?: unknown;
  currentId?: string;
}

let state: SitesState = { sites: [], loaded: false, currentId: localStorage.getItem(CURRENT_KEY) ?? undefined };
const subscribers = new Set<() => void>();
let started = false;

function set(patch: Partial<SitesState>): void {
  state = { ...state, ...patch };
  for (const s of subscribers) s();
}

export async function reloadSites(): Promise<void> {
  try {
    const sites = (await api.sites.list()).sort((a, b) => a.name.localeCompare(b.name));
    const currentId = sites.some((s) => s.id === state.currentId) ? state.currentId : sites[0]?.id;
    set({ sites, loaded: true, error: undefined, currentId });
  } catch (error) {
    set({ loaded: true, error });
  }
}

export function setCurrentSite(id: string | undefined): void {
  if (id) localStorage.setItem(CURRENT_KEY, id); else localStorage.removeItem(CURRENT_KEY);
  if (id !== state.currentId) set({ currentId: id });
}

function start(): void {
  if (started) return;
  started = true;
  onEvent((name, payload) => {
    if (name === 'store.changed' && (payload as { collection: string }).collection === 'sites') void reloadSites();
  });
  onConnection((s) => { if (s.status === 'open') void reloadSites(); });
  void reloadSites();
}

function subscribe(cb: () => void): () => void {
  start();
  subscribers.add(cb);
  return () => { subscribers.delete(cb); };
}

export function useSites(): SitesState & { current?: Site } {
  const s = useSyncExternalStore(subscribe, () => state);
  return { ...s, current: s.sites.find((x) => x.id === s.currentId) };
}
