import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUNDLE_MESSAGES, bundleError, bundleMsg } from './messages';

const catalog = (lang: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../i18n/locales/${lang}/bundle.json`, import.meta.url)), 'utf8')) as Record<string, unknown>;
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('bundle messages', () => {
  const en = catalog('en');
  const zh = catalog('zh-CN');

  it('en/bundle.json carries every code with the same English text', () => {
    for (const [code, text] of Object.entries(BUNDLE_MESSAGES)) expect(en[code.slice('bundle.'.length)], code).toBe(text);
  });

  it('zh-CN has the same keys and placeholders as en', () => {
    const flat = (o: Record<string, unknown>, pre = ''): [string, string][] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[pre + k, v] as [string, string]] : flat(v as Record<string, unknown>, `${pre}${k}.`)));
    const e = new Map(flat(en));
    const z = new Map(flat(zh));
    expect([...z.keys()].sort()).toEqual([...e.keys()].sort());
    for (const [k, v] of e) expect(placeholders(z.get(k)!), k).toEqual(placeholders(v));
  });

  it('makes errors whose details are the message parameters', () => {
    const e = bundleError('bundle.checksum_mismatch', { file: 'k3s/k3s' });
    expect(e.toJSON()).toEqual({ code: 'bundle.checksum_mismatch', message: 'k3s/k3s is corrupted: its SHA-256 does not match SHA256SUMS', details: { file: 'k3s/k3s' } });
    expect(bundleMsg('bundle.unsigned')).toEqual({ key: 'bundle.unsigned', params: {}, text: 'The bundle is not signed (no SHA256SUMS.sig)' });
  });
});
