// The bundle journey, in Chromium against the web mode: a USB stick (a folder bind-mounted under
// /mnt) holds two versions of the demo product and an unsigned build. The engineer trusts the
// vendor key, scans the stick, loads 1.0.0 (copied and verified, with the progress bar) for the
// site, loads 1.1.0 and sees what it would change (k3s, the demo-api chart, its values template),
// is asked for a reason before loading the unsigned build, and checks a damaged copy by its path.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoBundle, demoSourceV110 } from '../../bundles/demo/build';
import { buildDemoImages } from '../../bundles/demo/build-images';
import { buildBundle, generateKeyPair } from '../../electron/core/bundle';
import { haveChromium } from '../harness';
import { ROOT, startApp, type App, takeShot } from './fixture';
import { AuditPage, Shell } from './pages';
import { BundlesPage } from './pages/bundles-page';

const STANDIN = path.join(ROOT, 'test/fixtures/k3s-standin');
const SITE = 'Contoso Plant 7';
const vendor = generateKeyPair({ comment: 'Outpost Demo Vendor release key' });

/** A folder bind-mounted under /mnt looks like a USB stick to Outpost (no udev here). */
function mountStick(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const mnt = `/mnt/outpost-usb-${process.pid}`;
  fs.mkdirSync(mnt, { recursive: true });
  try {
    execFileSync('mount', ['--bind', dir, mnt], { stdio: 'pipe' });
    return mnt;
  } catch {
    fs.rmdirSync(mnt);
    return undefined;
  }
}

function unmountStick(mnt: string): void {
  try {
    execFileSync('umount', [mnt], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', mnt], { stdio: 'pipe' });
  }
  fs.rmdirSync(mnt);
}

describe.skipIf(!haveChromium())('journey: bundles from a USB stick, verified, diffed, used for a site', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-bundles-'));
  const stick = path.join(tmp, 'stick');
  let mnt: string | undefined;
  /** Where the bundles are as Outpost sees them: on the mounted stick, or the plain folder without root. */
  let media = stick;
  let app: App;
  let shell: Shell;
  let bundles: BundlesPage;
  const shots: string[] = [];
  const shoot = (name: string, opts: { overlay?: boolean } = {}) => takeShot(app.page, () => shell.settle(), shots, name, opts);

  beforeAll(async () => {
    fs.mkdirSync(path.join(stick, 'acme'), { recursive: true });
    // 1.0.0 as the vendor ships it.
    await buildDemoBundle({ k3sDir: STANDIN, helm: path.join(STANDIN, 'helm'), key: vendor.secretKey, out: path.join(stick, 'acme', 'outpost-demo-1.0.0.tar.gz') });
    // 1.1.0: a newer k3s (the stand-in reports it too), a new demo-api chart version and values template.
    const k3s = path.join(tmp, 'k3s-v1.31.2');
    fs.cpSync(STANDIN, k3s, { recursive: true });
    const k3sBin = path.join(k3s, 'k3s');
    fs.writeFileSync(k3sBin, fs.readFileSync(k3sBin, 'utf8').replace('v1.30.4+k3s1', 'v1.31.2+k3s1'), { mode: 0o755 });
    const src = demoSourceV110(path.join(tmp, 'src-1.1.0'), 'maintenanceWindow: "Sun 02:00-04:00"');
    const images = path.join(tmp, 'images');
    await buildDemoImages({ outDir: images });
    await buildBundle({ dir: src, k3sDir: k3s, helm: path.join(STANDIN, 'helm'), key: vendor.secretKey, add: { images }, out: path.join(stick, 'outpost-demo-1.1.0'), format: 'folder' });
    // A nightly build nobody signed.
    const nightly = path.join(tmp, 'src-nightly');
    fs.cpSync(path.join(ROOT, 'bundles/demo'), nightly, { recursive: true });
    fs.writeFileSync(path.join(nightly, 'bundle.yaml'), fs.readFileSync(path.join(nightly, 'bundle.yaml'), 'utf8').replace('version: 1.0.0', 'version: 1.2.0-rc.1'));
    fs.mkdirSync(path.join(stick, 'nightly'), { recursive: true });
    await buildBundle({ dir: nightly, k3sDir: STANDIN, helm: path.join(STANDIN, 'helm'), add: { images }, out: path.join(stick, 'nightly', 'outpost-demo-unsigned.tar') });
    mnt = mountStick(stick);
    if (mnt) media = mnt;

    app = await startApp();
    shell = new Shell(app.page);
    bundles = new BundlesPage(app.page);
    await app.core.api.sites.save({ name: SITE, description: 'Packaging line, building 3' });
    await shell.navigate('bundles');
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (mnt) unmountStick(mnt);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts empty, and trusts the vendor key through the UI', async () => {
    expect(await bundles.root.getByTestId('empty-title').innerText()).toBe('No bundle loaded yet');
    expect(await shell.currentSiteName()).toBe(SITE);
    await shoot('en-bundles-1-empty');
    await bundles.addTrustedKey(vendor.publicKey);
    const rows = await bundles.keyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Outpost Demo Vendor release key');
    expect(rows[0]).toContain(vendor.keyId);
    expect((await app.core.api.settings.get()).trustedVendorKeys.map((k) => k.id)).toEqual([vendor.keyId]);
  });

  it('sees the stick as media and finds the three bundles on it by scanning', async () => {
    if (mnt) {
      await bundles.media.getByTestId('media-refresh').click();
      await app.page.locator(`[data-testid="media"][data-mount="${mnt}"]`).waitFor();
      expect(await bundles.mediaMounts()).toContain(mnt);
      const r = await bundles.scan();
      expect(r).toMatchObject({ state: 'succeeded', kind: 'bundles.scan' });
    } else {
      // Without root there is no mount: the typed path and "Scan here" do the same.
      await bundles.typePath(stick);
      await bundles.runJob(() => bundles.media.getByTestId('path-scan').click());
    }
    expect(await bundles.found.locator('tbody tr[data-row-key]').count()).toBe(3);
    expect(await bundles.foundSignature(bundles.foundRow('outpost-demo', '1.0.0'))).toBe('valid');
    expect(await bundles.foundSignature(bundles.foundRow('outpost-demo', '1.1.0'))).toBe('valid');
    expect(await bundles.foundSignature(bundles.foundRow('outpost-demo', '1.2.0-rc.1'))).toBe('unsigned');
    expect(await bundles.foundRow('outpost-demo', '1.1.0').innerText()).toContain('v1.31.2+k3s1');
    await shoot('en-bundles-2-scanned');
  });

  it('loads 1.0.0 into the library, verified with the progress bar, and uses it for the site', async () => {
    const dialog = await bundles.openLoad(bundles.foundRow('outpost-demo', '1.0.0'));
    expect(await dialog.getAttribute('data-needs-reason')).toBe('false');
    expect(await dialog.getByTestId('signature-badge').getAttribute('data-status')).toBe('valid');
    await shoot('en-bundles-3-load-dialog', { overlay: true });
    const r = await bundles.submitLoad({ mode: 'copy' });
    expect(r).toEqual({ state: 'succeeded', kind: 'bundles.load', percent: 100 });
    expect(await bundles.job.getByTestId('load-result').innerText()).toContain('outpost-demo 1.0.0 was copied to the library and verified.');
    // The job reported its bytes: the copy, then the extraction-and-check of every file.
    const [job] = (await app.core.api.jobs.list()).filter((j) => j.kind === 'bundles.load');
    expect(job.progress?.bytesTotal).toBeGreaterThan(1_000_000);
    expect(job.progress?.bytesDone).toBe(job.progress?.bytesTotal);
    await shoot('en-bundles-4-loaded');

    const row = bundles.libraryRow('outpost-demo', '1.0.0');
    await row.waitFor();
    expect(await row.getByTestId('library-location').getAttribute('data-location')).toBe('library');
    expect(await row.getByTestId('signature-badge').getAttribute('data-status')).toBe('valid');
    await bundles.useForSite('outpost-demo', '1.0.0');
    const [site] = await app.core.api.sites.list();
    expect(site).toMatchObject({ name: SITE, bundleVersion: '1.0.0', bundleDigest: await row.getAttribute('data-digest') });
    expect(await bundles.root.getByTestId('empty-title').count()).toBe(0);
  });

  it('loads 1.1.0 in place and shows what it would change for the site', async () => {
    await bundles.openLoad(bundles.foundRow('outpost-demo', '1.1.0'));
    const r = await bundles.submitLoad({ mode: 'in-place' });
    expect(r).toMatchObject({ state: 'succeeded', percent: 100 });
    expect(await bundles.job.getByTestId('load-result').innerText()).toContain('outpost-demo 1.1.0 was verified and is used where it lies.');
    const row = bundles.libraryRow('outpost-demo', '1.1.0');
    await row.waitFor();
    expect(await row.getByTestId('library-location').getAttribute('data-location')).toBe('in-place');
    await shoot('en-bundles-5-library');

    const detail = await bundles.openDetail('outpost-demo', '1.1.0');
    expect(await detail.title()).toBe('outpost-demo 1.1.0');
    expect(await detail.root.getByTestId('detail-site').innerText()).toContain(`${SITE} uses version 1.0.0`);
    expect(await detail.root.getByTestId('compare-title').innerText()).toBe(`What changes for ${SITE}`);
    await detail.waitDiff();
    expect(await detail.k3s()).toEqual({ changed: true, text: 'v1.30.4+k3s1 v1.31.2+k3s1' });
    const api = await detail.chart('demo-api');
    expect(api.change).toBe('changed');
    expect(api.text).toMatch(/1\.0\.0\s*1\.1\.0/);
    expect(api.text).toContain('Values template');
    expect((await detail.chart('demo-db')).change).toBe('unchanged');
    expect(await detail.valuesDiff('demo-api')).toContain('+maintenanceWindow: "Sun 02:00-04:00"');
    const files = (await app.core.api.bundles.diff({ from: (await app.core.api.sites.list())[0].bundleDigest!, to: (await detail.root.getAttribute('data-digest'))! })).files;
    expect(files.changed).toEqual(expect.arrayContaining(['k3s/k3s', 'bundle.yaml', 'charts/demo-api/Chart.yaml', 'values/api.yaml.njk']));
    expect(await detail.diff.getByTestId('diff-files-count').innerText()).toContain(String(files.changed.length + files.added.length + files.removed.length));
    await shoot('en-bundles-6-diff');

    await shell.switchLanguage('zh-CN');
    expect(await detail.root.getByTestId('compare-title').innerText()).toBe(`对 ${SITE} 的变更`);
    expect(await detail.diff.locator('tr[data-testid="diff-chart-demo-api"]').innerText()).toContain('变更');
    await shoot('zh-bundles-6-diff');
    await shell.switchLanguage('en');
  });

  it('asks for a reason before loading an unsigned bundle, and audits it', async () => {
    await shell.navigate('bundles');
    const unsigned = bundles.foundRow('outpost-demo', '1.2.0-rc.1');
    const dialog = await bundles.openLoad(unsigned);
    expect(await dialog.getAttribute('data-needs-reason')).toBe('true');
    expect(await dialog.getByTestId('load-untrusted').innerText()).toContain('This bundle is not signed');
    expect(await app.page.getByTestId('load-ok').innerText()).toBe('Load without trusted signature');
    // No reason, no load.
    const jobsBefore = (await app.core.api.jobs.list()).length;
    await app.page.getByTestId('load-ok').click();
    await dialog.getByText('Give a reason: it is recorded in the audit log.').waitFor();
    expect(await app.core.api.jobs.list()).toHaveLength(jobsBefore);
    await shoot('en-bundles-7-reason-required', { overlay: true });

    const reason = 'Nightly build for the acceptance test; checksums confirmed by phone with the vendor (ticket 4711)';
    const r = await bundles.submitLoad({ mode: 'copy', reason });
    expect(r).toMatchObject({ state: 'succeeded', kind: 'bundles.load' });
    const entries = await app.core.api.audit.list();
    const allowed = entries.find((e) => e.action === 'bundle.allow_untrusted');
    expect(allowed).toMatchObject({ outcome: 'info' });
    expect(allowed?.detail).toContain(reason);
    expect(allowed?.detail).toContain('signature unsigned');
    const unsignedRecord = (await app.core.api.bundles.list()).find((b) => b.signature === 'unsigned');
    expect(unsignedRecord?.trustOverride?.reason).toBe(reason);

    await shell.navigate('audit');
    expect(await new AuditPage(app.page).actions()).toEqual(expect.arrayContaining(['bundle.allow_untrusted', 'bundle.load', 'site.use_bundle', 'bundle.trust_key']));
  });

  it('checks a bundle by its typed path and names the damaged file', async () => {
    const copy = path.join(tmp, 'copied-by-hand');
    fs.cpSync(path.join(stick, 'outpost-demo-1.1.0'), copy, { recursive: true });
    const file = path.join(copy, 'values', 'db.yaml.njk');
    const bytes = fs.readFileSync(file);
    bytes[3] ^= 0x20;
    fs.writeFileSync(file, bytes);
    await shell.navigate('bundles');
    await bundles.typePath(copy);
    const r = await bundles.runJob(() => bundles.media.getByTestId('path-verify').click());
    expect(r).toMatchObject({ state: 'succeeded', kind: 'bundles.verify' });
    const report = bundles.job.getByTestId('verify-report');
    expect(await report.getAttribute('data-ok')).toBe('false');
    expect(await report.getByTestId('problem').getAttribute('data-file')).toBe('values/db.yaml.njk');
    expect(await report.innerText()).toContain('values/db.yaml.njk is corrupted: its SHA-256 does not match SHA256SUMS');
    await shoot('en-bundles-8-damaged');
  });

  it('speaks Simplified Chinese on the whole screen', async () => {
    await shell.switchLanguage('zh-CN');
    expect(await shell.pageTitle.innerText()).toBe('离线包');
    expect(await bundles.media.getByTestId('bundles-scan').innerText()).toBe('扫描离线包');
    expect(await bundles.job.getByTestId('verify-report').innerText()).toContain('未通过校验');
    expect(await bundles.libraryRow('outpost-demo', '1.0.0').getByTestId('library-site-tag').innerText()).toBe('当前站点正在使用');
    await shoot('zh-bundles-8-damaged');
    const dialog = await bundles.openLoad(bundles.foundRow('outpost-demo', '1.2.0-rc.1'));
    expect(await dialog.getByTestId('load-untrusted').innerText()).toContain('此离线包没有签名');
    await shoot('zh-bundles-7-reason-dialog', { overlay: true });
    await app.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await shell.switchLanguage('en');
    expect(shots.filter((s) => /\/zh-bundles/.test(s))).toHaveLength(3);
  });

  it('logged no console errors', () => {
    // Chromium 156 rejects the IPv6 literal the web server lists in its CSP (electron/core/api/web-server.ts);
    // that warning is the server's, not this screen's, and shows on every page.
    expect(app.consoleErrors.filter((e) => !/Content Security Policy directive 'connect-src' contains an invalid source: 'ws:\/\/\[::1\]/.test(e))).toEqual([]);
  });
});
