import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle, demoSourceV110 } from '../../../bundles/demo/build';
import { buildDemoImages } from '../../../bundles/demo/build-images';
import { buildBundle, diffBundles, generateKeyPair, inspectBundle } from '../../../electron/core/bundle';
import { STANDIN, STANDIN_HELM, tempDir } from './helpers';

const vendor = generateKeyPair();
const trust = { trustedKeys: [vendor.publicKey] };

describe('inspect and diff', () => {
  const tmp = tempDir('diff');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const v1 = join(tmp, 'demo-1.0.0.tar.gz');
  const v1folder = join(tmp, 'demo-1.0.0');
  const v2 = join(tmp, 'demo-1.1.0.tar');

  beforeAll(async () => {
    const common = { k3sDir: STANDIN, helm: STANDIN_HELM, key: vendor.secretKey };
    await buildDemoBundle({ ...common, out: v1 });
    await buildDemoBundle({ ...common, out: v1folder, format: 'folder' });
    // Version 1.1.0: newer k3s, a new demo-api chart version and values, one more question.
    const src = demoSourceV110(join(tmp, 'src-1.1.0'), 'timezone: {{ answers.timezone | quote }}', [
      ['bundle.yaml', '  preflight: preflight.yaml', '    - name: timezone\n      label: Time zone\n      default: UTC\n  preflight: preflight.yaml'],
      ['health.yaml', 'warnPercent: 80', 'warnPercent: 75'],
    ]);
    const images = join(tmp, 'images');
    await buildDemoImages({ outDir: images });
    await buildBundle({ dir: src, ...common, add: { images }, out: v2 });
  });

  it('inspects a bundle: charts with versions, image references, signature', async () => {
    const info = await inspectBundle(v1, trust);
    expect(info).toMatchObject({ name: 'outpost-demo', version: '1.0.0', vendor: 'Outpost Demo Vendor', kind: 'tar.gz', signature: 'valid', keyId: vendor.keyId, k3sVersion: 'v1.30.4+k3s1', arch: 'amd64', problems: [] });
    expect(info.groups).toEqual([
      { name: 'data', charts: [expect.objectContaining({ release: 'demo-db', namespace: 'outpost-demo', chart: 'charts/demo-db', name: 'demo-db', version: '1.0.0', appVersion: '1.0.0', digest: expect.stringMatching(/^sha256:/) })] },
      { name: 'apps', charts: [expect.objectContaining({ release: 'demo-api', name: 'demo-api', version: '1.0.0', values: 'values/api.yaml.njk' })] },
    ]);
    expect(info.images).toEqual([{ file: 'images/outpost-demo-images.tar', sizeBytes: expect.any(Number), refs: ['outpost.local/demo/api:1.0.0', 'outpost.local/demo/db:1.0.0'], problems: [] }]);
    expect(info.images[0].sizeBytes).toBeGreaterThan(1_900_000);
    expect(info.questions.map((q) => q.name)).toContain('adminPassword');
    const fromFolder = await inspectBundle(v1folder, trust);
    expect({ ...fromFolder, path: '', kind: '', sizeBytes: 0 }).toEqual({ ...info, path: '', kind: '', sizeBytes: 0 });
    expect((await inspectBundle(v1)).signature).toBe('untrusted');
  });

  it('diffs two versions: k3s, charts, values, questions, specs, files', async () => {
    const d = await diffBundles(v1, v2, trust);
    expect(d.identical).toBe(false);
    expect(d.from).toMatchObject({ name: 'outpost-demo', version: '1.0.0' });
    expect(d.to).toMatchObject({ version: '1.1.0' });
    expect(d.k3s).toEqual({ from: 'v1.30.4+k3s1', to: 'v1.31.2+k3s1', changed: true });
    expect(d.helm.changed).toBe(false);
    expect(d.groups).toEqual({ from: ['data', 'apps'], to: ['data', 'apps'], orderChanged: false });
    const api = d.charts.find((c) => c.release === 'demo-api')!;
    expect(api).toMatchObject({ change: 'changed', chartChanged: true, valuesChanged: true, groupChanged: false, from: { version: '1.0.0' }, to: { version: '1.1.0' } });
    expect(api.valuesDiff).toContain('+timezone: {{ answers.timezone | quote }}');
    expect(api.valuesDiff).toMatch(/^--- 1\.0\.0\/values\/api\.yaml\.njk\n\+\+\+ 1\.1\.0\/values\/api\.yaml\.njk\n@@ /);
    expect(d.charts.find((c) => c.release === 'demo-db')).toMatchObject({ change: 'unchanged', chartChanged: false, valuesChanged: false });
    expect(d.images).toEqual({ added: [], removed: [], archivesChanged: [] });
    expect(d.questions).toEqual({ added: ['timezone'], removed: [], changed: [] });
    expect(d.specs).toEqual({ preflight: false, health: true, cleanup: false });
    expect(d.files.changed.sort()).toEqual(['bundle.yaml', 'charts/demo-api/Chart.yaml', 'health.yaml', 'values/api.yaml.njk']);
    expect(d.files.added).toEqual([]);
  });

  it('says when two bundles are the same', async () => {
    const d = await diffBundles(v1, v1folder);
    expect(d.identical).toBe(true);
    expect(d.charts.every((c) => c.change === 'unchanged')).toBe(true);
    expect(d.files).toEqual({ added: [], removed: [], changed: [] });
  });
});
