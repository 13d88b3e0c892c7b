import { OutpostError } from './errors';
import type { OutpostApi, Reply } from './contract';

/** Sends one method call over some transport and resolves with its reply. */
export type Call = (method: string, args: unknown) => Promise<Reply>;

/** Builds a typed `OutpostApi` proxy over any `call` (WebSocket, IPC, in-process). */
export function createApiProxy(call: Call): OutpostApi {
  return new Proxy({} as OutpostApi, {
    get: (_t, ns: string) => ns === 'then' ? undefined :
      new Proxy({}, {
        get: (_t2, m: string) => async (args?: unknown) => {
          const reply = await call(`${ns}.${m}`, args);
          if (reply.ok) return reply.value ?? undefined;
          throw new OutpostError(reply.error.code, reply.error.message, reply.error.details);
        },
      }),
  });
}

