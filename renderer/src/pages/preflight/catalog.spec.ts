import { describe, expect, it } from 'vitest';

// The Preflight screen's own catalog (ui-preflight.json): both languages carry the same keys and
// placeholders, the Chinese one is really Chinese, and every key the screen asks for with tp('…') exists.
const catalogs = import.meta.glob<Record<string, unknown>>('../../../../electron/core/i18n/locales/*/{ui-preflight,preflight}.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.spec.ts'], { eager: true, query: '?raw', import: 'default' });

type Tree = Record<string, unknown>;
const catalog = (lang: string, ns = 'ui-preflight') => catalogs[`../../../../electron/core/i18n/locales/${lang}/${ns}.json`] as Tree;

function leaves(o: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (v && typeof v === 'object') for (const [kk, vv] of leaves(v as Tree, `${prefix}${k}.`)) out.set(kk, vv);
    else out.set(`${prefix}${k}`, String(v));
  }
  return out;
}
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('ui-preflight catalog', () => {
  const en = leaves(catalog('en'));
  const zh = leaves(catalog('zh-CN'));

  it('has the same keys and placeholders in English and Simplified Chinese', () => {
    expect([...new Set([...zh.keys()].map(base))].sort()).toEqual([...new Set([...en.keys()].map(base))].sort());
    const byBase = (m: Map<string, string>) => new Map([...m].map(([k, v]) => [base(k), v]));
    const zhBase = byBase(zh);
    for (const [k, v] of byBase(en)) expect(placeholders(zhBase.get(k)!), k).toEqual(placeholders(v));
  });

  it('has no English left in the Chinese catalog except names and examples', () => {
    const allowed = ['run.specPlaceholder', 'run.requirePlaceholder', 'facts.system.selinux', 'facts.system.cgroup', 'facts.system.sudo', 'facts.system.k3s'];
    const untranslated = [...zh].filter(([k, v]) => /[a-z]{4,}/i.test(v.replace(/\{\{\w+\}\}/g, '')) && !/[\u4e00-\u9fff]/.test(v)).map(([k]) => k);
    expect(untranslated.filter((k) => !allowed.includes(k))).toEqual([]);
  });

  it('defines every key the screen asks for', () => {
    const known = new Set([...en.keys()].map(base));
    const core = new Set([...leaves(catalog('en', 'preflight')).keys()].map((k) => `preflight:${k}`));
    const used = new Set<string>();
    for (const src of Object.values(sources)) for (const m of src.matchAll(/\btp\('([a-zA-Z][\w.:-]*)'/g)) used.add(m[1]);
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !known.has(k) && !core.has(k))).toEqual([]);
  });

  it('names every status, category and OS family the core can produce', () => {
    for (const s of ['pass', 'warn', 'fail', 'unsupported', 'error']) expect(leaves(catalog('zh-CN', 'preflight')).has(`status.${s}`), s).toBe(true);
    for (const c of ['system', 'middleware', 'ports', 'network', 'cluster', 'disk', 'access', 'time', 'probe']) expect(en.has(`category.${c}`), c).toBe(true);
    for (const f of ['rhel', 'debian', 'suse', 'other']) expect(zh.has(`facts.family.${f}`), f).toBe(true);
  });
});
