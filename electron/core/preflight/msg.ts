import type { Msg } from '../i18n';
import en from '../i18n/locales/en/preflight.json';
import { catalogMessage } from '../probe/msg';

/** A message from the preflight catalog (locales/<lang>/preflight.json). */
export function preflightMsg(path: string, params?: Record<string, string | number>): Msg {
  return catalogMessage('preflight', en as Parameters<typeof catalogMessage>[1], path, params);
}
