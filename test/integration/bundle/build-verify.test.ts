import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle } from '../../../bundles/demo/build';
import { buildBundle, generateKeyPair, verifyBundle, type VerifyReport } from '../../../electron/core/bundle';
import { buildDemoImages } from '../../../bundles/demo/build-images';
import { FileSource, TarReader } from '../../../electron/core/bundle/tar-read';
import { DEMO_SRC, has, recordingContext, STANDIN, STANDIN_HELM, tempDir } from './helpers';

const vendor = generateKeyPair({ comment: 'demo vendor' });
const stranger = generateKeyPair({ comment: 'someone else' });
const trust = { trustedKeys: [vendor.publicKey] };
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const codes = (r: VerifyReport) => r.problems.map((p) => `${p.code} ${p.file ?? ''}`.trim());

function flipByte(path: string, at?: number): () => void {
  const orig = readFileSync(path);
  const b = Buffer.from(orig);
  const i = at ?? Math.floor(b.length / 2);
  b[i] ^= 0x01;
  writeFileSync(path, b);
  return () => writeFileSync(path, orig);
}

describe('demo bundle: build, then verify', () => {
  const tmp = tempDir('build');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const out = { targz: join(tmp, 'demo.tar.gz'), tar: join(tmp, 'demo.tar'), folder: join(tmp, 'demo-folder') };
  const common = { k3sDir: STANDIN, helm: STANDIN_HELM, key: vendor.secretKey };
  let files: string[] = [];

  beforeAll(async () => {
    await buildDemoBundle({ ...common, out: out.targz });
    await buildDemoBundle({ ...common, out: out.tar });
    await buildDemoBundle({ ...common, out: out.folder, format: 'folder' });
    files = readFileSync(join(out.folder, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.slice(66));
  });

  it.each(['targz', 'tar', 'folder'] as const)('verifies the %s build: intact, validly signed', async (k) => {
    const ctx = recordingContext();
    const r = await verifyBundle(out[k], { ...trust, ctx });
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ ok: true, intact: true, signature: 'valid', keyId: vendor.keyId, files: files.length });
    expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.manifest?.metadata.name).toBe('outpost-demo');
  });

  it('ships exactly bundle.yaml, what it references and spec.include', () => {
    expect(files).toEqual(
      expect.arrayContaining(['bundle.yaml', 'k3s/k3s', 'k3s/install.sh', 'k3s/k3s-airgap-images-amd64.tar', 'helm/helm', 'images/outpost-demo-images.tar', 'charts/demo-db/Chart.yaml', 'charts/demo-api/templates/deployment.yaml', 'values/api.yaml.njk', 'preflight.yaml', 'health.yaml', 'cleanup.yaml', 'README.md']),
    );
    expect(files).not.toContain('build.ts');
    expect(files).not.toContain('build-images.ts');
  });

  it('gives the same digest whatever the container format', async () => {
    const digests = await Promise.all(Object.values(out).map(async (p) => (await verifyBundle(p, trust)).digest));
    expect(new Set(digests).size).toBe(1);
  });

  it('is reproducible: building twice gives identical bytes', async () => {
    const again = join(tmp, 'again.tar.gz');
    const r = await buildDemoBundle({ ...common, out: again });
    expect(sha(again)).toBe(sha(out.targz));
    expect(r.sha256).toBe(sha(out.targz));
    const againTar = join(tmp, 'again.tar');
    await buildDemoBundle({ ...common, out: againTar });
    expect(sha(againTar)).toBe(sha(out.tar));
  });

  it('flipping one byte in any file fails verify, naming the file (folder)', async () => {
    const copy = join(tmp, 'flip-folder');
    cpSync(out.folder, copy, { recursive: true });
    for (const f of files) {
      const restore = flipByte(join(copy, ...f.split('/')));
      const r = await verifyBundle(copy, trust);
      restore();
      expect(r.ok, f).toBe(false);
      expect(r.intact, f).toBe(false);
      expect(r.problems.filter((p) => p.severity === 'error').map((p) => p.message), f).toContain(`${f} is corrupted: its SHA-256 does not match SHA256SUMS`);
    }
    expect((await verifyBundle(copy, trust)).ok).toBe(true);
  });

  it('flipping one byte inside any file of the .tar fails verify, naming the file', async () => {
    const src = await FileSource.open(out.tar);
    const r = new TarReader(src);
    const spans: { path: string; at: number }[] = [];
    for (let e = await r.next(); e; e = await r.next()) if (e.size > 0 && !e.path.startsWith('SHA256SUMS')) spans.push({ path: e.path, at: e.dataOffset + Math.floor(e.size / 2) });
    await src.close();
    expect(spans.length).toBe(files.length);
    const copy = join(tmp, 'flip.tar');
    cpSync(out.tar, copy);
    for (const s of spans) {
      const restore = flipByte(copy, s.at);
      const rep = await verifyBundle(copy, trust);
      restore();
      expect(codes(rep), s.path).toContain(`bundle.checksum_mismatch ${s.path}`);
    }
  });

  it('a damaged .tar.gz fails verify with a clear error', async () => {
    const copy = join(tmp, 'flip.tar.gz');
    cpSync(out.targz, copy);
    flipByte(copy);
    // Wherever the byte is, either the tar structure or gzip's CRC gives it away.
    await expect(verifyBundle(copy, trust)).rejects.toMatchObject({ code: 'bundle.archive_corrupt' });
    const last = join(tmp, 'crc.tar.gz');
    cpSync(out.targz, last);
    flipByte(last, readFileSync(last).length - 6); // inside the CRC itself
    await expect(verifyBundle(last, trust)).rejects.toMatchObject({ code: 'bundle.archive_corrupt', message: expect.stringMatching(/gzip data is damaged/) });
    const cut = join(tmp, 'cut.tar.gz');
    writeFileSync(cut, readFileSync(out.targz).subarray(0, 100_000));
    await expect(verifyBundle(cut, trust)).rejects.toMatchObject({ code: 'bundle.archive_corrupt' });
  });

  it('editing SHA256SUMS or its signature makes the signature invalid', async () => {
    const copy = join(tmp, 'sums-folder');
    cpSync(out.folder, copy, { recursive: true });
    // An attacker replaces a file and recomputes its line in SHA256SUMS.
    writeFileSync(join(copy, 'k3s/k3s'), '#!/bin/sh\necho pwned\n');
    const sums = readFileSync(join(copy, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}(  k3s\/k3s)$/m, `${sha(join(copy, 'k3s/k3s'))}$1`);
    writeFileSync(join(copy, 'SHA256SUMS'), sums);
    let r = await verifyBundle(copy, trust);
    expect(r).toMatchObject({ ok: false, intact: false, signature: 'invalid', keyId: vendor.keyId });
    expect(codes(r)).toEqual(['bundle.signature_invalid SHA256SUMS.sig']);
    writeFileSync(join(copy, 'SHA256SUMS.sig'), 'untrusted comment: x\nnot base64!\n');
    r = await verifyBundle(copy, trust);
    expect(r.signature).toBe('invalid');
    expect(r.problems[0].message).toMatch(/SHA256SUMS.sig is malformed/);
  });

  it('removing a file fails verify, naming it', async () => {
    const copy = join(tmp, 'rm-folder');
    cpSync(out.folder, copy, { recursive: true });
    rmSync(join(copy, 'charts/demo-db/values.yaml'));
    const r = await verifyBundle(copy, trust);
    expect(r.intact).toBe(false);
    expect(r.problems.map((p) => p.message)).toContain('charts/demo-db/values.yaml is listed in SHA256SUMS but missing from the bundle');
    rmSync(join(copy, 'SHA256SUMS'));
    const r2 = await verifyBundle(copy, trust);
    expect(codes(r2)).toContain('bundle.sums_missing SHA256SUMS');
  });

  it('adding an unlisted file fails verify, naming it', async () => {
    const copy = join(tmp, 'add-folder');
    cpSync(out.folder, copy, { recursive: true });
    mkdirSync(join(copy, 'charts/demo-api/templates/extra'), { recursive: true });
    writeFileSync(join(copy, 'charts/demo-api/templates/extra/job.yaml'), 'kind: Job\n');
    writeFileSync(join(copy, 'run-me.sh'), 'rm -rf /\n');
    // What macOS and Windows leave on sticks by themselves is skipped in folder bundles.
    writeFileSync(join(copy, '._bundle.yaml'), 'AppleDouble');
    writeFileSync(join(copy, 'charts/.DS_Store'), 'Finder');
    const r = await verifyBundle(copy, trust);
    expect(r.intact).toBe(false);
    expect(r.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining(['charts/demo-api/templates/extra/job.yaml is in the bundle but not listed in SHA256SUMS', 'run-me.sh is in the bundle but not listed in SHA256SUMS']),
    );
    expect(r.problems).toHaveLength(2);
  });

  it('a bundle signed with another key is reported untrusted, naming the key', async () => {
    const other = join(tmp, 'other.tar.gz');
    await buildDemoBundle({ ...common, key: stranger.secretKey, out: other });
    const r = await verifyBundle(other, trust);
    expect(r).toMatchObject({ ok: false, intact: true, signature: 'untrusted', keyId: stranger.keyId });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'bundle.signature_untrusted', severity: 'warning', message: `The bundle is signed with key ${stranger.keyId}, which is not one of the trusted vendor keys` })]);
    expect((await verifyBundle(other, { trustedKeys: [stranger.publicKey, vendor.publicKey] })).ok).toBe(true);
  });

  it('an unsigned bundle is reported as such', async () => {
    const unsigned = join(tmp, 'unsigned.tar');
    const built = await buildDemoBundle({ ...common, key: undefined, out: unsigned });
    expect(built.keyId).toBeUndefined();
    const r = await verifyBundle(unsigned, trust);
    expect(r).toMatchObject({ ok: false, intact: true, signature: 'unsigned' });
    expect(codes(r)).toEqual(['bundle.unsigned SHA256SUMS.sig']);
  });

  it('reports hashing progress in bytes', async () => {
    const ctx = recordingContext();
    await verifyBundle(out.folder, { ...trust, ctx });
    const hash = ctx.events.filter((e) => e.step === 'hash');
    expect(hash.length).toBeGreaterThan(0);
    const last = hash.at(-1)!;
    expect(last.bytesTotal).toBeGreaterThan(2_000_000);
    expect(last.bytesDone).toBe(last.bytesTotal);
  });

  it('stays checkable with standard tools: sha256sum -c, GNU tar, signify', async () => {
    execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: out.folder });
    const x = join(tmp, 'gnu-extract');
    mkdirSync(x);
    execFileSync('tar', ['-xzf', out.targz, '-C', x]);
    execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], { cwd: x });
    if (has('signify-openbsd')) {
      writeFileSync(join(tmp, 'vendor.pub'), vendor.publicKey);
      execFileSync('signify-openbsd', ['-V', '-q', '-p', join(tmp, 'vendor.pub'), '-x', join(x, 'SHA256SUMS.sig'), '-m', join(x, 'SHA256SUMS')]);
    }
  });

  it.skipIf(!has('skopeo'))('ships image archives that skopeo reads as OCI and docker archives', () => {
    const img = join(out.folder, 'images/outpost-demo-images.tar');
    for (const ref of ['outpost.local/demo/db:1.0.0', 'outpost.local/demo/api:1.0.0']) {
      const oci = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${img}:${ref}`], { encoding: 'utf8' }));
      const docker = JSON.parse(execFileSync('skopeo', ['inspect', `docker-archive:${img}:${ref}`], { encoding: 'utf8' }));
      expect(oci.Layers).toEqual(docker.Layers);
      expect(oci.Architecture).toBe('amd64');
    }
    // skopeo copy checks every blob digest and the config's diff_ids against the layer.
    execFileSync('skopeo', ['copy', '-q', `oci-archive:${img}:outpost.local/demo/api:1.0.0`, `dir:${join(tmp, 'skopeo-copy')}`]);
  });

  it('the image layer holds a working static busybox', async () => {
    const imgs = await buildDemoImages({ outDir: join(tmp, 'imgs') });
    const layerHex = imgs.layerDigest.slice(7);
    const x = join(tmp, 'layer');
    mkdirSync(x);
    execFileSync('tar', ['-xf', imgs.file, '-C', x, `blobs/sha256/${layerHex}`]);
    expect(sha(join(x, 'blobs/sha256', layerHex))).toBe(layerHex);
    const root = join(tmp, 'rootfs');
    mkdirSync(root);
    execFileSync('tar', ['-xf', join(x, 'blobs/sha256', layerHex), '-C', root]);
    expect(execFileSync(join(root, 'bin/busybox'), ['echo', 'layer ok'], { encoding: 'utf8' })).toBe('layer ok\n');
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toMatch(/^root:x:0:0/);
  });

  it('refuses to build with a missing artifact or a broken template, naming it', async () => {
    await expect(buildDemoBundle({ ...common, k3sDir: join(tmp, 'nowhere'), out: join(tmp, 'x.tar.gz') })).rejects.toMatchObject({
      code: 'bundle.build_source_missing',
      message: expect.stringMatching(/^spec\.k3s\.binary in bundle\.yaml refers to k3s\/k3s/),
    });
    const src = join(tmp, 'src-broken');
    cpSync(DEMO_SRC, src, { recursive: true });
    writeFileSync(join(src, 'values/api.yaml.njk'), 'a: 1\n{% if %}\n');
    const images = join(tmp, 'imgs2');
    await buildDemoImages({ outDir: images });
    await expect(buildBundle({ dir: src, ...common, add: { images }, out: join(tmp, 'y.tar.gz') })).rejects.toMatchObject({
      code: 'bundle.values_render',
      message: expect.stringMatching(/^values\/api\.yaml\.njk:2: /),
    });
    await expect(buildBundle({ dir: src, ...common, add: { images }, out: join(src, 'inside.tar.gz') })).rejects.toMatchObject({ code: 'bundle.build_output_inside' });
  });
});
