import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, truncateSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle } from '../../../bundles/demo/build';
import {
  copyToLibrary,
  generateKeyPair,
  getLibraryEntry,
  listLibrary,
  listMedia,
  loadBundle,
  removeFromLibrary,
  renderBundleValues,
  scanMedia,
  verifyBundle,
} from '../../../electron/core/bundle';
import { rawTar, recordingContext, STANDIN, STANDIN_HELM, tempDir } from './helpers';

const vendor = generateKeyPair();
const trust = { trustedKeys: [vendor.publicKey] };

describe('bundles on media and in the library', () => {
  const tmp = tempDir('media');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const stick = join(tmp, 'stick1');
  const archive = join(stick, 'vendor', 'outpost-demo-1.0.0.tar.gz');
  const folder = join(stick, 'outpost-demo-folder');
  let digest = '';

  beforeAll(async () => {
    mkdirSync(join(stick, 'vendor'), { recursive: true });
    const built = await buildDemoBundle({ k3sDir: STANDIN, helm: STANDIN_HELM, key: vendor.secretKey, out: archive });
    digest = built.digest;
    await buildDemoBundle({ k3sDir: STANDIN, helm: STANDIN_HELM, key: vendor.secretKey, out: folder, format: 'folder' });
    // Beyond the default depth of 3, inside a hidden folder, and a tar that is no bundle.
    mkdirSync(join(stick, 'a/b/c/d'), { recursive: true });
    cpSync(archive, join(stick, 'a/b/c/d/too-deep.tar.gz'));
    mkdirSync(join(stick, '.Trash'), { recursive: true });
    cpSync(archive, join(stick, '.Trash/old.tar.gz'));
    writeFileSync(join(stick, 'photos.tar'), rawTar([{ name: 'img.jpg', data: 'jpeg' }]));
    writeFileSync(join(stick, 'notes.txt.tar.gz'), 'not even gzip');
  });

  it('scans media for bundles, bounded in depth, with name, version, vendor, size and signature', async () => {
    const ctx = recordingContext();
    const found = await scanMedia({ roots: [stick], ...trust, ctx });
    expect(found.map((f) => [f.path, f.kind, f.signature])).toEqual([
      [folder, 'folder', 'valid'],
      [archive, 'tar.gz', 'valid'],
    ]);
    expect(found[1]).toMatchObject({ name: 'outpost-demo', version: '1.0.0', vendor: 'Outpost Demo Vendor', media: stick, digest, k3sVersion: 'v1.30.4+k3s1', problems: [] });
    expect(found[1].sizeBytes).toBe(readFileSync(archive).length);
    expect(found[0].sizeBytes).toBeGreaterThan(2_000_000);
    expect((await scanMedia({ roots: [stick], depth: 5 })).map((f) => f.path)).toContain(join(stick, 'a/b/c/d/too-deep.tar.gz'));
    expect((await scanMedia({ roots: [stick] })).every((f) => f.signature === 'untrusted')).toBe(true);
    expect(ctx.events.some((e) => e.step === 'scan' && e.item === stick)).toBe(true);
  });

  it('lists a mounted folder under /mnt as media and finds bundles on it (needs root)', async (t) => {
    if (process.getuid?.() !== 0) return t.skip();
    const mnt = `/mnt/outpost-test-usb-${process.pid}`;
    mkdirSync(mnt, { recursive: true });
    try {
      execFileSync('mount', ['--bind', stick, mnt]);
    } catch {
      rmdirSync(mnt);
      return t.skip();
    }
    try {
      const media = await listMedia();
      expect(media).toContainEqual(expect.objectContaining({ mount: mnt, source: 'mount-point' }));
      const found = (await scanMedia(trust)).filter((f) => f.media === mnt);
      expect(found.map((f) => f.path).sort()).toEqual([join(mnt, 'outpost-demo-folder'), join(mnt, 'vendor/outpost-demo-1.0.0.tar.gz')]);
    } finally {
      // A busy mount here would mean a leaked file descriptor: fail, but never leave it mounted.
      let busy = false;
      try {
        execFileSync('umount', [mnt], { stdio: 'pipe' });
      } catch {
        busy = true;
        execFileSync('umount', ['-l', mnt]);
      }
      rmdirSync(mnt);
      expect(busy, 'the scan left files open on the medium').toBe(false);
    }
  });

  it('copies an archive into the library with progress, verifies it and records it', async () => {
    const lib = join(tmp, 'lib1');
    const ctx = recordingContext();
    const entry = await copyToLibrary({ source: archive, libraryDir: lib, ...trust, ctx });
    expect(entry).toMatchObject({
      digest,
      name: 'outpost-demo',
      version: '1.0.0',
      signature: 'valid',
      keyId: vendor.keyId,
      k3sVersion: 'v1.30.4+k3s1',
      arch: 'amd64',
      source: archive,
      charts: [
        { group: 'data', release: 'demo-db', name: 'demo-db', version: '1.0.0' },
        { group: 'apps', release: 'demo-api', name: 'demo-api', version: '1.0.0' },
      ],
    });
    expect(entry.trustOverride).toBeUndefined();
    expect((await verifyBundle(entry.path, trust)).ok).toBe(true);
    const copy = ctx.events.filter((e) => e.step === 'copy');
    expect(copy.at(-1)).toMatchObject({ bytesDone: readFileSync(archive).length, bytesTotal: readFileSync(archive).length });
    expect(await listLibrary(lib)).toEqual([entry]);
    expect(await getLibraryEntry(lib, digest)).toEqual(entry);
    expect(readdirSync(join(lib, 'incoming'))).toEqual([]);
    // The same bundle again is not copied twice.
    expect(await copyToLibrary({ source: folder, libraryDir: lib, ...trust })).toEqual(entry);
    await removeFromLibrary(lib, digest);
    expect(await listLibrary(lib)).toEqual([]);
    await expect(getLibraryEntry(lib, digest)).rejects.toMatchObject({ code: 'bundle.library_missing' });
  });

  it('resumes a partial copy from its size, then verifies', async () => {
    const lib = join(tmp, 'lib2');
    const size = readFileSync(archive).length;
    const partial = join(lib, 'incoming', `${digest.slice(7, 39)}.tar.gz.partial`);
    mkdirSync(join(lib, 'incoming'), { recursive: true });
    writeFileSync(partial, readFileSync(archive).subarray(0, Math.floor(size / 2)));
    const ctx = recordingContext();
    const entry = await copyToLibrary({ source: archive, libraryDir: lib, ...trust, ctx });
    expect(entry.digest).toBe(digest);
    const copy = ctx.events.filter((e) => e.step === 'copy');
    expect(copy[0].bytesDone).toBeGreaterThanOrEqual(Math.floor(size / 2));
    expect(ctx.logs).toEqual([]);
    expect(existsSync(partial)).toBe(false);
  });

  it('starts over when a resumed copy does not verify', async () => {
    const lib = join(tmp, 'lib3');
    const partial = join(lib, 'incoming', `${digest.slice(7, 39)}.tar.gz.partial`);
    mkdirSync(join(lib, 'incoming'), { recursive: true });
    writeFileSync(partial, Buffer.alloc(4096, 0x41)); // not a prefix of the bundle
    const ctx = recordingContext();
    const entry = await copyToLibrary({ source: archive, libraryDir: lib, ...trust, ctx });
    expect(entry.digest).toBe(digest);
    expect(ctx.logs.join('\n')).toMatch(/did not verify; copying again/);
  });

  it('copies a folder bundle file by file, resuming truncated files', async () => {
    const lib = join(tmp, 'lib4');
    const work = join(lib, 'incoming', `${digest.slice(7, 39)}.dir`);
    mkdirSync(join(work, 'images'), { recursive: true });
    const img = readFileSync(join(folder, 'images/outpost-demo-images.tar'));
    writeFileSync(join(work, 'images/outpost-demo-images.tar'), img.subarray(0, 1000));
    const entry = await copyToLibrary({ source: folder, libraryDir: lib, ...trust });
    expect(entry.digest).toBe(digest);
    expect(readFileSync(join(entry.path, 'images/outpost-demo-images.tar')).equals(img)).toBe(true);
  });

  it('refuses an untrusted bundle unless the user gives a reason', async () => {
    const lib = join(tmp, 'lib5');
    await expect(copyToLibrary({ source: archive, libraryDir: lib })).rejects.toMatchObject({
      code: 'bundle.signature_required',
      message: 'The bundle signature is untrusted; it may be loaded only when the user allows it with a reason',
    });
    expect(existsSync(join(lib, 'bundles'))).toBe(false);
    await expect(copyToLibrary({ source: archive, libraryDir: lib, allowUntrusted: { reason: '  ' } })).rejects.toMatchObject({ code: 'bundle.signature_required' });
    const entry = await copyToLibrary({ source: archive, libraryDir: lib, allowUntrusted: { reason: 'vendor key not yet pinned; ticket 4711' } });
    expect(entry).toMatchObject({ signature: 'untrusted', trustOverride: { reason: 'vendor key not yet pinned; ticket 4711' } });
  });

  it('refuses a corrupted source after copying it', async () => {
    const bad = join(tmp, 'bad-folder');
    cpSync(folder, bad, { recursive: true });
    const p = join(bad, 'values/db.yaml.njk');
    writeFileSync(p, readFileSync(p, 'utf8') + '# tampered\n');
    const lib = join(tmp, 'lib6');
    await expect(copyToLibrary({ source: bad, libraryDir: lib, ...trust })).rejects.toMatchObject({
      code: 'bundle.verify_failed',
      message: expect.stringContaining('values/db.yaml.njk is corrupted'),
    });
    expect(await listLibrary(lib)).toEqual([]);
  });

  it('honours cancellation; a later copy completes', async () => {
    const lib = join(tmp, 'lib7');
    const ac = new AbortController();
    const ctx = recordingContext(ac.signal);
    ctx.progress = (p) => {
      if (p.step === 'copy') ac.abort();
    };
    await expect(copyToLibrary({ source: archive, libraryDir: lib, ...trust, ctx })).rejects.toMatchObject({ name: 'AbortError' });
    expect(await listLibrary(lib)).toEqual([]);
    expect((await copyToLibrary({ source: archive, libraryDir: lib, ...trust })).digest).toBe(digest);
  });

  it('loads a bundle and renders its values for a site', async () => {
    const dest = join(tmp, 'loaded');
    const loaded = await loadBundle(archive, { ...trust, extractTo: dest });
    expect(loaded).toMatchObject({ dir: dest, digest });
    const values = await renderBundleValues(loaded, {
      facts: { site: { name: 'plant-7' }, hosts: [{ name: 's1', address: '10.0.0.1', role: 'server', memoryBytes: 8 * 2 ** 30 }] },
      answers: { adminPassword: 'correct horse battery', exposeNodePort: true },
    });
    expect(values.map((v) => v.release)).toEqual(['demo-db', 'demo-api']);
    expect(values[1].values).toMatchObject({ replicaCount: 1, siteName: 'plant-7', service: { type: 'NodePort', nodePort: 30080 }, ingress: { enabled: false } });
    await expect(renderBundleValues(loaded, { facts: { site: { name: 'x' }, hosts: [] }, answers: {} })).rejects.toMatchObject({ code: 'bundle.answer_missing' });
    await expect(loadBundle(archive, { extractTo: join(tmp, 'loaded2') })).rejects.toMatchObject({ code: 'bundle.signature_required' });
    expect(existsSync(join(tmp, 'loaded2'))).toBe(false);
    const inPlace = await loadBundle(folder, trust);
    expect(inPlace.dir).toBe(folder);
    truncateSync(join(dest, 'helm/helm'), 3);
    await expect(loadBundle(dest, trust)).rejects.toMatchObject({ code: 'bundle.verify_failed' });
  });
});
