import type { OutpostEvents } from './types';

export type EventName = keyof OutpostEvents;
export type EventListener = <E extends EventName>(name: E, payload: OutpostEvents[E]) => void;

/** Fan-out of core events to every connected front end (IPC window, WebSocket clients, CLI). */
export class EventHub {
  private listeners = new Set<EventListener>();

  on(l: EventListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit<E extends EventName>(name: E, payload: OutpostEvents[E]): void {
    for (const l of this.listeners) {
      try { l(name, payload); } catch { /* one broken listener must not starve the others */ }
    }
  }
}
