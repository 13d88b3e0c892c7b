import { useEffect, useRef, useSyncExternalStore } from 'react';
import { getConnection, onConnection, onEvent, type ConnectionState } from '../api';
import type { OutpostEvents } from '../../../electron/core/api/types';

/** Runs `cb` for every event of that name while the component is mounted. */
export function useEvent<E extends keyof OutpostEvents>(name: E, cb: (payload: OutpostEvents[E]) => void): void {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => onEvent((n, p) => { if (n === name) ref.current(p as OutpostEvents[E]); }), [name]);
}

/** Runs `cb` whenever the connection to the core comes back (web mode), to refetch what may have changed. */
export function useReconnect(cb: () => void): void {
  const ref = useRef(cb);
  ref.current = cb;
  useEffect(() => {
    let wasDown = false;
    return onConnection((s) => {
      if (s.status === 'open' && wasDown) ref.current();
      wasDown = s.status !== 'open';
    });
  }, []);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(onConnection, getConnection);
}
