import type { Reply } from './contract';
import type { OutpostEvents } from './types';

/** Frames of the web mode's WebSocket protocol (the IPC transport carries the same payloads). */
export type ClientFrame = { t: 'call'; id: number; method: string; args?: unknown };
export type ServerFrame =
  | { t: 'reply'; id: number; reply: Reply }
  | { t: 'event'; name: keyof OutpostEvents; payload: OutpostEvents[keyof OutpostEvents] };

export const WS_PATH = '/api';
