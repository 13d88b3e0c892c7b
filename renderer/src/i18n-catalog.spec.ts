import { describe, expect, it } from 'vitest';

// The UI's catalogs: both languages carry the same keys, and every key the screens name exists.
const ui = import.meta.glob<Record<string, unknown>>('../../electron/core/i18n/locales/*/ui.json', { eager: true, import: 'default' });
const common = import.meta.glob<Record<string, unknown>>('../../electron/core/i18n/locales/en/common.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.spec.ts'], { eager: true, query: '?raw', import: 'default' });

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');
const catalog = (lang: string) => ui[`../../electron/core/i18n/locales/${lang}/ui.json`];

describe('ui catalogs', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    const en = new Set(keys(catalog('en')).map(base));
    const zh = new Set(keys(catalog('zh-CN')).map(base));
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
  });

  it('has no English left in the Chinese catalog except product and protocol names', () => {
    const zh = catalog('zh-CN');
    const untranslated = keys(zh).filter((k) => {
      const v = (k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], zh) as string).replace(/\{\{\w+\}\}/g, '');
      return /[a-z]{4,}/i.test(v) && !/[\u4e00-\u9fff]/.test(v);
    });
    // Names that stay as they are: sudo, SSH agent, k3s's node roles, a sample host name.
    const allowed = ['hosts.auth.agent', 'hosts.authShort.agent', 'hosts.col.sudo', 'hosts.fields.sudo', 'hosts.fields.namePlaceholder', 'hosts.role.agent', 'hosts.role.server'];
    expect(untranslated.filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it('defines every key the screens ask for', () => {
    const known = new Set([...keys(catalog('en')).map(base), ...keys(Object.values(common)[0]).map((k) => `common:${k}`)]);
    const used = new Set<string>();
    for (const src of Object.values(sources)) {
      for (const m of src.matchAll(/\bt\('([a-zA-Z][\w.:-]*)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !known.has(k))).toEqual([]);
  });
});
