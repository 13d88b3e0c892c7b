import type { Reply } from './contract';
import type { OutpostEvents } from './types';
import type { ClientFrame, ServerFrame } from './wire';

/** The minimum of the WebSocket API that both browsers and the `ws` package offer. */
export interface WsLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onmessage: ((ev: { data: any }) => void) | null;
  onerror: ((ev: any) => void) | null;
}

export type EventHandler = <E extends keyof OutpostEvents>(name: E, payload: OutpostEvents[E]) => void;

/**
 * Client side of the web mode's API: request/reply by id plus pushed events. Used by the
 * renderer in a browser and by tests from Node.
 */
export function wsCall(ws: WsLike, onEvent: EventHandler = () => {}) {
  let nextId = 1;
  const pending = new Map<number, (r: Reply) => void>();
  ws.onmessage = (ev) => {
    const f = JSON.parse(String(ev.data)) as ServerFrame;
    if (f.t === 'reply') { pending.get(f.id)?.(f.reply); pending.delete(f.id); }
    if (f.t === 'event') onEvent(f.name, f.payload as never);
  };
  const prevClose = ws.onclose;
  ws.onclose = (ev) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'transport.closed', message: 'The connection to Outpost was lost.' } });
    pending.clear();
    prevClose?.(ev);
  };
  return (method: string, args: unknown): Promise<Reply> =>
    new Promise((resolve) => {
      if (ws.readyState !== 1) return resolve({ ok: false, error: { code: 'transport.closed', message: 'Not connected to Outpost.' } });
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ t: 'call', id, method, args } satisfies ClientFrame));
    });
}
