import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';

/**
 * Message catalogs live in `locales/<lang>/<namespace>.json`, one namespace per domain, so the
 * CLI, the web mode and the Electron renderer translate from the same strings. The renderer
 * loads the same files through Vite (renderer/src/i18n.ts).
 */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A user-facing message produced by the core: an i18n key with parameters, plus the English
 * text so logs, JSON output and tests stay readable without a translator.
 */
export interface Msg {
  key: string;
  params?: Record<string, string | number>;
  text: string;
}

export type Catalogs = Record<string, Record<string, Record<string, unknown>>>;

export function localesDir(): string {
  return process.env.OUTPOST_LOCALES_DIR ?? fileURLToPath(new URL('./locales', import.meta.url));
}

export function loadCatalogs(dir = localesDir()): Catalogs {
  const out: Catalogs = {};
  if (!existsSync(dir)) return out;
  for (const lang of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      (out[lang] ??= {})[file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, lang, file), 'utf8'));
    }
  }
  return out;
}

/** Picks zh-CN for a Chinese system locale, English otherwise. */
export function detectLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const v = env.OUTPOST_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return /^zh/i.test(v) ? 'zh-CN' : 'en';
}

export async function createI18n(lang: Language = detectLanguage()): Promise<{ i18n: I18n; t: TFunction }> {
  const cats = loadCatalogs();
  const i18n = i18next.createInstance();
  const t = await i18n.init({
    lng: lang,
    fallbackLng: 'en',
    ns: Object.keys(cats.en ?? {}),
    defaultNS: 'common',
    resources: cats,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return { i18n, t };
}

/** Translates a core message, falling back to its English text when the key is missing. */
export function translate(t: TFunction, msg: Msg): string {
  const [ns, ...rest] = msg.key.split('.');
  return t(rest.join('.'), { ns, ...msg.params, defaultValue: msg.text }) as string;
}
