import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store, SCHEMA_VERSION } from '.';

const tmp = () => mkdtempSync(join(tmpdir(), 'outpost-store-'));

describe('Store', () => {
  it('creates a 0600 state file with the current schema version', async () => {
    const dir = tmp();
    const s = await Store.open(dir);
    await s.update((d) => { d.sites.push({ id: 'a', name: 'A', description: '', createdAt: '', updatedAt: '' }); });
    const file = join(dir, 'outpost.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.schemaVersion).toBe(SCHEMA_VERSION);
    expect(saved.sites[0].name).toBe('A');
  });

  it('migrates a v1 file, keeping a backup of the original', async () => {
    const dir = tmp();
    const v1 = { schemaVersion: 1, sites: [{ id: 's', name: 'Old', description: '', createdAt: '', updatedAt: '' }], hosts: [], bundles: [{ digest: 'x' }], settings: { language: 'zh-CN' } };
    writeFileSync(join(dir, 'outpost.json'), JSON.stringify(v1));
    const s = await Store.open(dir);
    expect(s.data.schemaVersion).toBe(SCHEMA_VERSION);
    expect(s.data.sites[0].name).toBe('Old');
    expect(s.collection('bundles')).toEqual([{ digest: 'x' }]);
    expect(s.data.settings).toEqual({ language: 'zh-CN', trustedVendorKeys: [] });
    expect(s.data.jobs).toEqual([]);
    expect(existsSync(join(dir, 'outpost.json.v1.bak'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'outpost.json.v1.bak'), 'utf8'))).toEqual(v1);
  });

  it('refuses a file written by a newer version instead of damaging it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'outpost.json'), JSON.stringify({ schemaVersion: SCHEMA_VERSION + 1, sites: [] }));
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'store.too_new' });
    expect(JSON.parse(readFileSync(join(dir, 'outpost.json'), 'utf8')).schemaVersion).toBe(SCHEMA_VERSION + 1);
  });

  it('reports an unreadable file with its path', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'outpost.json'), '{ not json');
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'store.unreadable', details: { path: join(dir, 'outpost.json') } });
  });

  it('serialises concurrent updates so none is lost', async () => {
    const dir = tmp();
    const s = await Store.open(dir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.update((d) => { d.sites.push({ id: String(i), name: `s${i}`, description: '', createdAt: '', updatedAt: '' }); })));
    const reopened = await Store.open(dir);
    expect(reopened.data.sites).toHaveLength(50);
  });
});
