/**
 * The one error shape that crosses every transport (IPC, WebSocket, CLI --json).
 * `code` is stable and machine-readable; the UI translates it (i18n key `errors.<code>`)
 * with `details` as parameters, falling back to `message` (English).
 */
export interface ErrorInfo {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export class OutpostError extends Error {
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'OutpostError';
    this.code = code;
    this.details = details;
  }

  toJSON(): ErrorInfo {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** Any thrown value into the wire shape; unknown errors keep their message, never their stack. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof OutpostError) return err.toJSON();
  if (err && typeof err === 'object' && 'name' in err && (err as Error).name === 'AbortError') {
    return { code: 'cancelled', message: 'The operation was cancelled' };
  }
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}

export function isErrorInfo(v: unknown): v is ErrorInfo {
  return !!v && typeof v === 'object' && typeof (v as ErrorInfo).code === 'string' && typeof (v as ErrorInfo).message === 'string';
}
