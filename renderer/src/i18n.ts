/**
 * The same message catalogs the CLI uses (electron/core/i18n/locales/<lang>/<namespace>.json),
 * bundled at build time: every namespace a domain adds there is picked up without a change here.
 */
import i18next, { type TFunction } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { ErrorInfo, Msg } from '../../electron/core/api/types';

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const files = import.meta.glob<Record<string, unknown>>('../../electron/core/i18n/locales/*/*.json', { eager: true, import: 'default' });

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const resources: Resources = {};
for (const [path, catalog] of Object.entries(files)) {
  const m = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
  if (m) (resources[m[1]] ??= {})[m[2]] = catalog;
}
export const namespaces = Object.keys(resources.en ?? {});

const LANG_KEY = 'outpost.language';

export function isLanguage(v: unknown): v is Language {
  return (LANGUAGES as readonly unknown[]).includes(v);
}

/** The last language used, so the first paint already speaks it; the core's settings win once loaded. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem(LANG_KEY);
  if (isLanguage(saved)) return saved;
  return /^zh/i.test(navigator.language) ? 'zh-CN' : 'en';
}

export function rememberLanguage(lang: Language): void {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
}

void i18next.use(initReactI18next).init({
  lng: initialLanguage(),
  fallbackLng: 'en',
  ns: namespaces,
  defaultNS: 'ui',
  fallbackNS: 'common',
  resources,
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export default i18next;

/** Keys an error code may live under: `common:errors.<code>`, or the domain's own namespace. */
function errorKeys(code: string): string[] {
  const [ns, ...rest] = code.split('.');
  const keys = [`common:errors.${code}`];
  if (rest.length && namespaces.includes(ns)) keys.push(`${ns}:errors.${rest.join('.')}`, `${ns}:${rest.join('.')}`);
  return keys;
}

function params(details: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(details ?? {})) out[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  return out;
}

/** An error as the user reads it: translated by code with its details, else the core's English. */
export function errorText(t: TFunction, err: unknown): string {
  const e = toErrorInfo(err);
  return t(errorKeys(e.code), { ...params(e.details), defaultValue: e.message }) as string;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err && typeof err === 'object' && typeof (err as ErrorInfo).code === 'string') {
    const e = err as ErrorInfo;
    return { code: e.code, message: e.message ?? String(e.code), details: e.details };
  }
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}

/** A message produced by the core (job titles, step labels): `<namespace>.<key>` with params. */
export function msgText(t: TFunction, msg: Msg | undefined): string {
  if (!msg) return '';
  const [ns, ...rest] = msg.key.split('.');
  const keys = namespaces.includes(ns) ? [`${ns}:${rest.join('.')}`, `ui:core.${msg.key}`] : [`ui:core.${msg.key}`];
  return t(keys, { ...msg.params, defaultValue: msg.text }) as string;
}

/** A progress step's label: an i18n key `<namespace>.<key>`, else the step id as it is. */
export function stepText(t: TFunction, label: string | undefined, step: string): string {
  if (!label) return step;
  const [ns, ...rest] = label.split('.');
  const keys = namespaces.includes(ns) ? [`${ns}:${rest.join('.')}`, `ui:${label}`] : [`ui:${label}`];
  return t(keys, { defaultValue: step }) as string;
}
