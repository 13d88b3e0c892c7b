import { setMaxListeners } from 'node:events';

/**
 * What every long-running core function receives (Headlamp's pattern): the app, the web mode
 * and the CLI all call the same function and decide themselves how to show progress.
 */
export interface Progress {
  /** Short machine-readable step id, e.g. 'hash', 'copy', 'probe'. */
  step: string;
  /** Optional i18n key for the step label shown to the user. */
  label?: string;
  current: number;
  /** -1 when the total is unknown (Rancher Desktop's convention). */
  total: number;
  bytesDone?: number;
  bytesTotal?: number;
  /** Sub-item the progress is about, e.g. a host address or a file path. */
  item?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface JobContext {
  signal: AbortSignal;
  progress(p: Progress): void;
  log(line: string, level?: LogLevel): void;
}

/**
 * A fresh AbortController whose signal may have many listeners: a job over 50 hosts adds one per
 * connection, and Node's default warning at 10 would be noise.
 */
export function jobAbortController(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

/** A context for callers that do not care about progress (tests, small scripts). */
export function quietContext(signal: AbortSignal = jobAbortController().signal, log: JobContext['log'] = () => {}): JobContext {
  return { signal, progress: () => {}, log };
}
