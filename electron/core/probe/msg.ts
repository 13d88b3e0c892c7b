import type { Msg } from '../i18n';
import en from '../i18n/locales/en/probe.json';

type Catalog = { [k: string]: string | Catalog };

/** Fills '{{name}}' placeholders the way i18next does, so the English text matches a translation. */
export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

/**
 * Builds a Msg from a namespace's English catalog: the key is '<ns>.<path>', the text is the
 * English rendering. Unknown paths throw, so a typo fails the unit tests instead of showing a raw key.
 */
export function catalogMessage(ns: string, catalog: Catalog, path: string, params?: Record<string, string | number>): Msg {
  let node: string | Catalog | undefined = catalog;
  for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  if (typeof node !== 'string') throw new Error(`missing English message ${ns}.${path}`);
  return { key: `${ns}.${path}`, ...(params ? { params } : {}), text: interpolate(node, params) };
}

/** A message from the probe catalog (locales/<lang>/probe.json). */
export function probeMsg(path: string, params?: Record<string, string | number>): Msg {
  return catalogMessage('probe', en as Catalog, path, params);
}
