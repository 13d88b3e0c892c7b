import { OutpostError, toErrorInfo } from './errors';
import { lookupMethod, type OutpostApi, type Reply } from './contract';

import type { Call } from "./client";
export type { Call };

/**
 * Transport-neutral dispatcher: validates arguments against the contract, calls the
 * implementation, and folds every outcome into a `Reply` so errors cross the wire whole.
 */
export function createDispatcher(api: OutpostApi, opts: { onError?: (method: string, err: unknown) => void } = {}): Call {
  return async (method, args) => {
    try {
      const def = lookupMethod(method);
      if (!def) throw new OutpostError('api.unknown_method', `Unknown API method: ${method}`, { method });
      const parsed = def.input.safeParse(args ?? undefined);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        throw new OutpostError('api.invalid_arguments',
          `Invalid arguments for ${method}: ${issues.map((i) => `${i.path || '(args)'}: ${i.message}`).join('; ')}`,
          { method, issues });
      }
      const [ns, m] = method.split('.');
      const fn = (api as unknown as Record<string, Record<string, (a: unknown) => Promise<unknown>>>)[ns][m];
      const value = await fn(parsed.data);
      return { ok: true, value: value === undefined ? null : value };
    } catch (err) {
      opts.onError?.(method, err);
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}

