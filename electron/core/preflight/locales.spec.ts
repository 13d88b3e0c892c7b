import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Tree = { [k: string]: string | Tree };
const dir = fileURLToPath(new URL('../i18n/locales', import.meta.url));
const load = (lang: string, ns: string) => JSON.parse(readFileSync(`${dir}/${lang}/${ns}.json`, 'utf8')) as Tree;

function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

describe('probe and preflight catalogs', () => {
  for (const ns of ['probe', 'preflight']) {
    it(`${ns}: zh-CN has every English key, with the same placeholders`, () => {
      const en = leaves(load('en', ns));
      const zh = leaves(load('zh-CN', ns));
      expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
      const ph = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
      for (const [k, v] of en) expect(ph(zh.get(k)!), k).toEqual(ph(v));
    });
  }
});
