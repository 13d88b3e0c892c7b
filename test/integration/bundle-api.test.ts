// The bundles API as the UI and the CLI call it: the real core, real bundles built from the
// demo product, jobs with byte progress, the library in <dataDir>/library, trust and audit.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle, demoSourceV110 } from '../../bundles/demo/build';
import { buildDemoImages } from '../../bundles/demo/build-images';
import { buildBundle, generateKeyPair } from '../../electron/core/bundle';
import type { BundleLoadResult, FoundBundle, JobEvent, JobSnapshot, Progress, VerifyReport } from '../../electron/core/api/types';
import { createCore, type Core } from '../../electron/core/create-core';
import { createApiProxy } from '../../electron/core/api/client';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import type { OutpostApi } from '../../electron/core/api/contract';
import { DEMO_SRC, STANDIN, STANDIN_HELM, tempDir } from './bundle/helpers';

const vendor = generateKeyPair({ comment: 'Outpost Demo Vendor 2025' });
const stranger = generateKeyPair();

describe('bundles API', () => {
  const tmp = tempDir('bundle-api');
  const stick = join(tmp, 'stick');
  const v1 = join(stick, 'outpost-demo-1.0.0.tar.gz');
  const v2 = join(stick, 'outpost-demo-1.1.0');
  const unsigned = join(stick, 'outpost-demo-unsigned.tar');
  const foreign = join(stick, 'outpost-demo-foreign.tar.gz');
  const big = join(tmp, 'big', 'outpost-demo-big.tar');
  let core: Core;
  /** The API through the validating dispatcher, as the UI and the CLI call it. */
  let api: OutpostApi;
  const progress: Progress[] = [];

  const run = async (start: Promise<{ jobId: string }>): Promise<JobSnapshot> => core.jobs.wait((await start).jobId);

  beforeAll(async () => {
    const common = { k3sDir: STANDIN, helm: STANDIN_HELM };
    mkdirSync(stick, { recursive: true });
    mkdirSync(join(tmp, 'big'), { recursive: true });
    await buildDemoBundle({ ...common, key: vendor.secretKey, out: v1 });
    await buildDemoBundle({ ...common, out: unsigned });
    await buildDemoBundle({ ...common, key: stranger.secretKey, out: foreign });
    const images = join(tmp, 'images');
    await buildDemoImages({ outDir: images });
    // 1.1.0: newer k3s, a new demo-api chart version, a changed values template.
    const src = demoSourceV110(join(tmp, 'src-1.1.0'), 'greeting: hello');
    await buildBundle({ dir: src, ...common, key: vendor.secretKey, add: { images }, out: v2, format: 'folder' });
    // A bundle big enough to interrupt its copy: 96 MiB of shipped documentation.
    const bigSrc = join(tmp, 'src-big');
    cpSync(DEMO_SRC, bigSrc, { recursive: true });
    writeFileSync(join(bigSrc, 'README.md'), Buffer.alloc(96 * 1024 * 1024, 'x'));
    await buildBundle({ dir: bigSrc, ...common, key: vendor.secretKey, add: { images }, out: big });

    core = await createCore({ dataDir: join(tmp, 'data'), mode: 'cli' });
    api = createApiProxy(createDispatcher(core.api));
    core.events.on((name, payload) => {
      if (name === 'job' && (payload as JobEvent).type === 'progress') progress.push((payload as Extract<JobEvent, { type: 'progress' }>).progress);
    });
  }, 180_000);

  afterAll(async () => {
    await core?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('trusts a vendor key, names it from its comment, audits it, and refuses duplicates and garbage', async () => {
    const key = await api.bundles.addKey({ publicKey: vendor.publicKey });
    expect(key).toMatchObject({ id: vendor.keyId, name: 'Outpost Demo Vendor 2025' });
    expect(await api.bundles.listKeys()).toEqual([key]);
    expect(core.store.data.settings.trustedVendorKeys).toEqual([key]);
    await expect(api.bundles.addKey({ publicKey: vendor.publicKey, name: 'again' })).rejects.toMatchObject({ code: 'bundle.key_exists' });
    await expect(api.bundles.addKey({ publicKey: 'not a key' })).rejects.toMatchObject({ code: 'bundle.key_invalid' });
    const other = await api.bundles.addKey({ publicKey: stranger.publicKey, name: 'Someone else' });
    await api.bundles.removeKey({ id: other.id });
    await expect(api.bundles.removeKey({ id: other.id })).rejects.toMatchObject({ code: 'bundle.key_missing' });
    expect(core.audit.list().map((e) => e.action)).toEqual(['bundle.untrust_key', 'bundle.trust_key', 'bundle.trust_key']);
  });

  it('scans a folder for bundles as a job and says which are trusted', async () => {
    const job = await run(api.bundles.scan({ roots: [stick] }));
    expect(job.state).toBe('succeeded');
    const found = job.result as FoundBundle[];
    expect(found.map((f) => [f.path, f.signature]).sort()).toEqual([
      [foreign, 'untrusted'],
      [v1, 'valid'],
      [v2, 'valid'],
      [unsigned, 'unsigned'],
    ].sort());
    expect(job.title).toMatchObject({ key: 'bundle.job.scanRoots' });
  });

  it('verifies with byte progress, also for a .tar.gz whose stream has no total', async () => {
    progress.length = 0;
    const job = await run(api.bundles.verify({ path: v1 }));
    const report = job.result as VerifyReport;
    expect(report).toMatchObject({ ok: true, signature: 'valid', keyName: 'Outpost Demo Vendor 2025' });
    const bytes = progress.filter((p) => p.bytesDone !== undefined);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.every((p) => p.bytesTotal! >= p.bytesDone!)).toBe(true);
    await expect(api.bundles.verify({})).rejects.toMatchObject({ code: 'api.invalid_arguments' });
    await expect(api.bundles.load({ path: v1, allowUntrusted: { reason: '  ' } })).rejects.toMatchObject({ code: 'api.invalid_arguments' });
  });

  it('refuses an unsigned or untrusted bundle without a reason, and loads it with one, which is audited', async () => {
    const refused = await run(api.bundles.load({ path: unsigned }));
    expect(refused.state).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'bundle.signature_required', details: { status: 'unsigned' } });
    expect(core.audit.list()[0]).toMatchObject({ action: 'bundle.load', outcome: 'refused' });

    const reason = 'Vendor signing service down; hash confirmed by phone with Acme support (ticket 4711)';
    const ok = await run(api.bundles.load({ path: foreign, allowUntrusted: { reason } }));
    expect(ok.state).toBe('succeeded');
    const { entry } = ok.result as BundleLoadResult;
    expect(entry).toMatchObject({ location: 'in-place', kind: 'tar.gz', signature: 'untrusted', keyId: stranger.keyId, trustOverride: { reason }, available: true, path: foreign });
    const [loaded, allowed] = core.audit.list();
    expect(allowed).toMatchObject({ action: 'bundle.allow_untrusted', outcome: 'info' });
    expect(allowed.detail).toContain(reason);
    expect(allowed.detail).toContain(`key ${stranger.keyId}`);
    expect(loaded).toMatchObject({ action: 'bundle.load', outcome: 'ok' });
    expect(core.audit.verify().ok).toBe(true);
    await api.bundles.remove({ digest: entry.digest });
    expect(existsSync(foreign)).toBe(true);
  });

  it('loads in place and by copy, lists, inspects, diffs by digest, and records the bundle a site runs', async () => {
    const inPlace = (await run(api.bundles.load({ path: v1 }))).result as BundleLoadResult;
    expect(inPlace.entry).toMatchObject({ location: 'in-place', path: v1, version: '1.0.0', k3sVersion: 'v1.30.4+k3s1', signature: 'valid' });
    expect(inPlace.entry.charts).toEqual([
      { group: 'data', release: 'demo-db', name: 'demo-db', version: '1.0.0' },
      { group: 'apps', release: 'demo-api', name: 'demo-api', version: '1.0.0' },
    ]);
    progress.length = 0;
    const copied = (await run(api.bundles.load({ path: v2, copy: true }))).result as BundleLoadResult;
    expect(copied.entry).toMatchObject({ location: 'library', kind: 'folder', version: '1.1.0', source: v2 });
    expect(copied.entry.path.startsWith(join(tmp, 'data', 'library'))).toBe(true);
    expect(progress.some((p) => p.step === 'copy' && p.bytesTotal! > 2_000_000)).toBe(true);
    // Copying an in-place bundle moves it into the library; the same one again copies nothing.
    const moved = (await run(api.bundles.load({ path: v1, copy: true }))).result as BundleLoadResult;
    expect(moved.entry.location).toBe('library');
    expect(((await run(api.bundles.load({ path: v1, copy: true }))).result as BundleLoadResult).already).toBe(true);

    const list = await api.bundles.list();
    expect(list.map((r) => [r.version, r.location, r.available])).toEqual([['1.1.0', 'library', true], ['1.0.0', 'library', true]]);
    expect(core.store.collection('bundles')).toHaveLength(2);

    const info = await api.bundles.inspect({ ref: copied.entry.digest });
    expect(info).toMatchObject({ version: '1.1.0', signature: 'valid', k3sVersion: 'v1.31.2+k3s1' });
    const d = await api.bundles.diff({ from: moved.entry.digest, to: copied.entry.digest });
    expect(d.k3s).toEqual({ from: 'v1.30.4+k3s1', to: 'v1.31.2+k3s1', changed: true });
    expect(d.charts.find((c) => c.release === 'demo-api')).toMatchObject({ change: 'changed', valuesChanged: true, from: { version: '1.0.0' }, to: { version: '1.1.0' } });
    expect((await api.bundles.diff({ from: v1, to: v2 })).k3s.changed).toBe(true);

    const site = await api.sites.save({ name: 'Plant 9' });
    const used = await api.bundles.useForSite({ siteId: site.id, digest: moved.entry.digest });
    expect(used).toMatchObject({ bundleDigest: moved.entry.digest, bundleVersion: '1.0.0' });
    expect(core.audit.list()[0]).toMatchObject({ action: 'site.use_bundle', siteId: site.id });
    await expect(api.bundles.remove({ digest: moved.entry.digest })).rejects.toMatchObject({ code: 'bundle.in_use' });
    await expect(api.bundles.useForSite({ siteId: 'nope', digest: moved.entry.digest })).rejects.toMatchObject({ code: 'sites.not_found' });

    // The library folder is the truth: a record lost from the store comes back from disk.
    await core.store.update((d) => { d.collections.bundles = []; }, 'bundles');
    expect((await api.bundles.list()).map((r) => r.version).sort()).toEqual(['1.0.0', '1.1.0']);
  });

  it('resumes an interrupted copy from where it stopped', async () => {
    const size = statSync(big).size;
    const { jobId } = await api.bundles.load({ path: big, copy: true });
    // Interrupt once some, but not all, of it is copied (cancelled from inside the progress event: a page cache copies fast).
    await new Promise<void>((resolve) => {
      const off = core.events.on((name, payload) => {
        const e = payload as JobEvent;
        if (name === 'job' && e.type === 'progress' && e.jobId === jobId && e.progress.step === 'copy' && e.progress.bytesDone! > 8 * 1024 * 1024) {
          off();
          void api.jobs.cancel({ id: jobId }).then(resolve);
        }
      });
    });
    expect((await api.jobs.get({ id: jobId })).state).toBe('cancelled');
    const incoming = join(tmp, 'data', 'library', 'incoming');
    const partial = readdirSync(incoming).find((f) => f.endsWith('.partial'))!;
    const copiedBefore = statSync(join(incoming, partial)).size;
    expect(copiedBefore).toBeGreaterThan(0);
    expect(copiedBefore).toBeLessThan(size);

    progress.length = 0;
    await api.jobs.resume({ id: jobId });
    const job = await core.jobs.wait(jobId);
    expect(job.state).toBe('succeeded');
    expect(job.log.map((l) => l.text)).toContain('Resuming: the copy continues from the files already copied.');
    const firstCopy = progress.find((p) => p.step === 'copy')!;
    expect(firstCopy.bytesDone).toBeGreaterThanOrEqual(copiedBefore);
    expect((job.result as BundleLoadResult).entry).toMatchObject({ location: 'library', signature: 'valid' });
    expect(readdirSync(incoming)).toEqual([]);
  });
});
