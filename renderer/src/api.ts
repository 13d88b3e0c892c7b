/**
 * The renderer's one door to the core. In Electron the preload exposes `window.outpost` (one
 * function per contract method, each resolving to a Reply); in a browser (web mode) the same
 * calls travel over the loopback WebSocket. Either way screens see the same typed `api`.
 */
import { createApiProxy, type Call } from '../../electron/core/api/client';
import { wsCall, type WsLike } from '../../electron/core/api/ws-client';
import type { OutpostEvents } from '../../electron/core/api/types';

/** The typed API, derived from the proxy so the renderer never loads the contract's runtime. */
export type OutpostApi = ReturnType<typeof createApiProxy>;
type Reply = Awaited<ReturnType<Call>>;
export type EventName = keyof OutpostEvents;
export type AnyEventListener = (name: EventName, payload: OutpostEvents[EventName]) => void;

/** What the Electron preload puts on `window`. */
interface OutpostBridge {
  onEvent(cb: (name: string, payload: unknown) => void): () => void;
  [ns: string]: unknown;
}

declare global {
  interface Window { outpost?: OutpostBridge }
}

export type ConnectionState =
  | { status: 'open' }
  | { status: 'connecting'; attempt: number }
  | { status: 'closed'; attempt: number; retryAt: number }
  | { status: 'no-token' };

const listeners = new Set<AnyEventListener>();
const connectionListeners = new Set<(s: ConnectionState) => void>();
let connection: ConnectionState = { status: 'connecting', attempt: 0 };

function emit(name: EventName, payload: OutpostEvents[EventName]): void {
  for (const l of listeners) {
    try { l(name, payload); } catch (e) { queueMicrotask(() => { throw e; }); }
  }
}

function setConnection(s: ConnectionState): void {
  connection = s;
  for (const l of connectionListeners) l(s);
}

/** Subscribes to core events (`job`, `store.changed`); returns the unsubscribe function. */
export function onEvent(cb: AnyEventListener): () => void {
  listeners.add(cb);
  return () => { listeners.delete(cb); };
}

export function getConnection(): ConnectionState {
  return connection;
}

/** Connection changes (web mode); screens reload their data when it comes back `open`. */
export function onConnection(cb: (s: ConnectionState) => void): () => void {
  connectionListeners.add(cb);
  return () => { connectionListeners.delete(cb); };
}

export const isElectron = typeof window !== 'undefined' && !!window.outpost;

// ------------------------------------------------------------------ Electron (preload bridge)

function electronCall(bridge: OutpostBridge): Call {
  bridge.onEvent((name, payload) => emit(name as EventName, payload as OutpostEvents[EventName]));
  return async (method, args) => {
    const [ns, m] = method.split('.');
    const fn = (bridge[ns] as Record<string, (a: unknown) => Promise<Reply>> | undefined)?.[m];
    if (typeof fn !== 'function') return { ok: false, error: { code: 'api.unknown_method', message: `Unknown API method ${method}.`, details: { method } } };
    return fn(args);
  };
}

// ------------------------------------------------------------------ web mode (WebSocket)

const TOKEN_KEY = 'outpost.token';

/** The token arrives once in the fragment (`#token=…`); keep it for reloads, hide it from the address bar. */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const CALL_WAIT_MS = 15_000;

function webCall(): Call {
  const token = takeToken();
  let current: ((method: string, args: unknown) => Promise<Reply>) | null = null;
  let waiters: (() => void)[] = [];
  let attempt = 0;

  const connect = () => {
    if (!token) { setConnection({ status: 'no-token' }); return; }
    setConnection({ status: 'connecting', attempt });
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api?token=${encodeURIComponent(token)}`);
    let opened = false;
    ws.onopen = () => {
      opened = true;
      attempt = 0;
      current = call;
      setConnection({ status: 'open' });
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
    };
    // Set before wsCall, which chains to it after failing the calls still in flight.
    ws.onclose = () => {
      current = null;
      if (!opened) attempt++;
      const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
      if (opened) attempt = 1;
      setConnection({ status: 'closed', attempt, retryAt: Date.now() + delay });
      setTimeout(connect, delay);
    };
    ws.onerror = () => { /* onclose follows and schedules the retry */ };
    const call = wsCall(ws as unknown as WsLike, (name, payload) => emit(name, payload));
  };
  connect();

  return async (method, args) => {
    if (!current) {
      const came = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { waiters = waiters.filter((w) => w !== done); resolve(false); }, CALL_WAIT_MS);
        const done = () => { clearTimeout(timer); resolve(true); };
        waiters.push(done);
      });
      if (!came || !current) return { ok: false, error: { code: 'transport.closed', message: 'Not connected to Outpost.' } };
    }
    return current(method, args);
  };
}

function pickTransport(): Call {
  if (window.outpost) {
    setConnection({ status: 'open' });
    return electronCall(window.outpost);
  }
  return webCall();
}

/** The typed API every screen calls; methods throw OutpostError on `{ ok: false }`. */
export const api: OutpostApi = createApiProxy(pickTransport());
