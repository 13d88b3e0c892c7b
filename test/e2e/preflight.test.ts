// The preflight journey, in Chromium against the web mode and real sshd hosts with their own /etc:
// a CentOS 7 host whose port 6443 is already taken by another process, and an Ubuntu 22.04 host.
// Probe them from the UI and read what they are, run the preflight with the demo bundle's spec
// loaded from its file, read the host × check grid and a cell's details, export the HTML report,
// re-run for one host, override the block with a reason, and look at it all in English and Chinese.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRunNamespaces, canStartHosts, haveChromium, occupyPort, startHosts, type Service, type TestHost, type TestHosts } from '../harness';
import { ROOT, startApp, type App, takeShot } from './fixture';
import { Shell, SiteDetailPage, SitesPage } from './pages';
import { PreflightPage } from './pages/preflight-page';

const SITE = 'Harbor Logistics — staging';
const SPEC = path.join(ROOT, 'bundles/demo/preflight.yaml');
const FIXTURES = path.join(ROOT, 'test/fixtures/os-release');
const OVERRIDE = "Port 6443 is held by the customer's old test cluster, removed before the install (ticket OPS-4711).";

/** Lets the namespace hosts reach each other through the root namespace, as hosts on one LAN would. */
async function route(...hs: TestHost[]): Promise<void> {
  for (const h of hs) {
    const gw = h.address.split('.').map(Number);
    gw[3] -= 1;
    await h.exec(`ip route add 169.254.0.0/16 via ${gw.join('.')}`);
  }
}

// The /etc overlays need each host in its own namespaces.
describe.skipIf(!haveChromium() || !canStartHosts() || !canRunNamespaces())('journey: probe and preflight of a site', () => {
  let hosts: TestHosts;
  let app: App;
  let shell: Shell;
  let pf: PreflightPage;
  let listener: Service;
  let prevForward: string | undefined;
  const shots: string[] = [];
  const shoot = (name: string, opts: { overlay?: boolean } = {}) => takeShot(app.page, () => shell.settle(), shots, name, opts);

  beforeAll(async () => {
    [hosts, app] = await Promise.all([
      startHosts([
        { name: 'cos-1', hostname: 'cos-1', etcDir: path.join(FIXTURES, 'centos-7/etc'), etcRemove: ['debian_version'] },
        { name: 'ubu-1', hostname: 'ubu-1', etcDir: path.join(FIXTURES, 'ubuntu-22.04/etc') },
      ]),
      startApp(),
    ]);
    prevForward = execSync('sysctl -n net.ipv4.ip_forward').toString().trim();
    execSync('sysctl -qw net.ipv4.ip_forward=1');
    await route(hosts.host('cos-1'), hosts.host('ubu-1'));
    // Something else already listens on the Kubernetes API port of the CentOS host.
    listener = await occupyPort(hosts.host('cos-1'), 6443, { name: 'busybox' });
    shell = new Shell(app.page);
    pf = new PreflightPage(app.page);
    await new SitesPage(app.page).root.waitFor();
  });

  afterAll(async () => {
    await listener?.stop();
    await app?.close();
    await hosts?.stop();
    if (prevForward !== undefined) execSync(`sysctl -qw net.ipv4.ip_forward=${prevForward}`);
  });

  it('creates a site with the two hosts (both k3s servers, passwordless sudo)', async () => {
    await new SitesPage(app.page).createSite(SITE, 'Two servers in the DMZ, rack C-4');
    const detail = new SiteDetailPage(app.page);
    for (const name of ['cos-1', 'ubu-1']) {
      const h = hosts.host(name);
      await detail.addHost({ name, address: h.address, port: h.port, user: hosts.users.nopass, auth: 'key', keyPath: hosts.clientKeyPath, sudo: 'nopasswd', role: 'server' });
    }
    await shell.navigate('preflight');
    expect(await pf.root.getByTestId('empty-title').innerText()).toBe('Nothing probed yet');
    expect(await pf.root.getByTestId('preflight-site').innerText()).toBe(SITE);
    expect(await pf.exportButton.isDisabled()).toBe(true);
  });

  it('probes the hosts and shows what each one is', async () => {
    expect(await pf.probe()).toBe('succeeded');
    expect(await pf.jobLog()).toContain('CentOS Linux 7 (Core)');
    expect(await pf.os('cos-1')).toEqual({ name: 'CentOS Linux 7 (Core)', family: 'rhel' });
    expect(await pf.os('ubu-1')).toEqual({ name: 'Ubuntu 22.04.4 LTS', family: 'debian' });
    const cos = await pf.factsRow('cos-1').innerText();
    expect(cos).toContain('RHEL family');
    expect(cos).toMatch(/x86_64|aarch64/);
    expect(cos).toMatch(/\d+ CPUs?/);
    expect(cos).toMatch(/GiB memory, .* available/);
    expect(await pf.factsRow('cos-1').getByTestId('facts-ports-summary').innerText()).toMatch(/6443\/tcp\s+busybox/);
    expect(await pf.factsRow('ubu-1').getByTestId('facts-ports-summary').innerText()).not.toContain('6443');
    expect(await pf.factsRow('ubu-1').innerText()).toContain('Debian family');

    // Everything the probe found, expanded under the row: ports with their process, disks, middleware.
    const detail = await pf.expandFacts('cos-1');
    const ports = await detail.getByTestId('facts-ports').innerText();
    expect(ports).toMatch(/6443\/tcp\s+0\.0\.0\.0\s+busybox\s+\d+/);
    expect(ports).toMatch(/22\/tcp.*sshd/s);
    expect(await detail.getByTestId('facts-disks').innerText()).toMatch(/\/\s.*GiB/s);
    expect(await detail.getByTestId('facts-system').innerText()).toContain('centos · 7 · Core');
    const mw = (await app.core.api.probe.results({ siteId: (await app.core.api.sites.list())[0].id })).find((p) => p.facts.host === hosts.host('cos-1').address)!.facts.middleware;
    for (const m of mw.filter((x) => x.version)) expect(await detail.getByTestId('facts-middleware').innerText()).toContain(m.version!);
    await shoot('en-preflight-1-host-facts');

    // The raw output, for support.
    const raw = await pf.openRawOutput('cos-1');
    expect(await raw.innerText()).toContain('ID="centos"');
    await shoot('en-preflight-2-raw-output', { overlay: true });
    await pf.closeModalWithEscape('raw-output');
  });

  it('runs the preflight with the demo spec loaded from its file and a middleware requirement', async () => {
    const dialog = await pf.openRun();
    // No bundle in the library yet: the picker says so and the spec stands on its own.
    expect(await dialog.bundleChoices()).toContain('No bundle in the library yet');
    await dialog.loadSpecFile(SPEC);
    expect(await dialog.specText()).toBe(fs.readFileSync(SPEC, 'utf8'));
    await dialog.addRequirements(['mysql >= 5.7']);
    expect(await dialog.requirements()).toEqual(['mysql >= 5.7']);
    await shoot('en-preflight-3-run-dialog', { overlay: true });
    expect(await pf.runJob('preflight.run', () => dialog.submit())).toBe('succeeded');
    await pf.grid.waitFor();

    // The port-taken host fails both 6443 checks — the spec's and Outpost's, which names the process…
    expect(await pf.cellStatus('ts.3.tcpPortStatus', 'cos-1')).toBe('fail');
    expect(await pf.cell('ts.3.tcpPortStatus', 'cos-1').innerText()).toContain('Port 6443 is already in use (another Kubernetes or k3s?).');
    expect(await pf.cellStatus('outpost.port.tcp.6443', 'cos-1')).toBe('fail');
    expect(await pf.cell('outpost.port.tcp.6443', 'cos-1').innerText()).toMatch(/already in use by busybox \(pid \d+/);
    // …the other host passes them.
    expect(await pf.cellStatus('ts.3.tcpPortStatus', 'ubu-1')).toBe('pass');
    expect(await pf.cellStatus('outpost.port.tcp.6443', 'ubu-1')).toBe('pass');
    // Other rows: the spec's CPU check on both, and the site-wide middleware check in its own section.
    expect(await pf.cellStatus('ts.0.cpu', 'cos-1')).toBe('pass');
    expect(await pf.cellStatus('outpost.port.tcp.10250', 'cos-1')).toBe('pass');
    expect(await pf.cellStatus('outpost.middleware.mysql', 'site')).toBe('pass');
    expect(await pf.cell('outpost.middleware.mysql', 'site').innerText()).toContain('MariaDB');
    expect(await pf.grid.getByTestId('pf-section-site').innerText()).toBe('Checks on the whole site');
    const ids = await pf.rowIds();
    expect(ids.slice(0, 5)).toEqual(['ts.0.cpu', 'ts.1.memory', 'ts.2.diskUsage', 'ts.3.tcpPortStatus', 'ts.4.tcpPortStatus']);
    expect(ids.at(-1)).toBe('outpost.middleware.mysql');
    expect(await pf.hostHeader('cos-1').innerText()).toContain('2 fail');

    const rec = (await app.core.api.preflight.latest({ siteId: (await app.core.api.sites.list())[0].id }))!;
    expect(await pf.summaryCounts()).toEqual(rec.report.summary);
    expect(rec.report.summary.fail).toBe(2);
    expect(await pf.bannerState()).toBe('blocked');
    expect(await pf.banner.innerText()).toContain('2 checks failed or could not be run');
    await shoot('en-preflight-4-grid-blocked');
  });

  it('opens a cell from the keyboard: what was found and how to fix it', async () => {
    const d = await pf.openCell('outpost.port.tcp.6443', 'cos-1');
    expect(d.title).toBe('Port 6443/tcp free (Kubernetes API)');
    expect(d.host).toBe('cos-1');
    expect(d.message).toMatch(/^Port 6443\/tcp is already in use by busybox \(pid \d+, on 0\.0\.0\.0\)\.$/);
    expect(d.fix).toBe('Stop or move busybox, or change the port the bundle uses for Kubernetes API.');
    expect(d.id).toBe('outpost.port.tcp.6443');
    expect(await pf.details.getByTestId('pf-details-others').innerText()).toContain('Port 6443/tcp is free.');
    await shoot('en-preflight-5-cell-details', { overlay: true });
    await pf.closeDetails();

    // The vendor's own check: its words as written, and no fix given.
    const v = await pf.openCell('ts.3.tcpPortStatus', 'cos-1');
    expect(v.title).toBe('Kubernetes API port 6443');
    expect(v.fix).toBe('Nothing to fix.');
    expect(await pf.details.innerText()).toContain("The bundle's spec (tcpPortStatus analyzer)");
    await pf.closeDetails();

    // Arrow keys move between cells.
    await pf.cell('ts.3.tcpPortStatus', 'cos-1').focus();
    await app.page.keyboard.press('ArrowRight');
    expect(await app.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pf-cell-ts.3.tcpPortStatus-ubu-1');
    await app.page.keyboard.press('ArrowDown');
    expect(await app.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pf-cell-ts.4.tcpPortStatus-ubu-1');
  });

  it('exports the report as HTML and JSON downloads', async () => {
    const html = await pf.export('html');
    expect(html.suggestedFilename()).toMatch(/^preflight-Harbor_Logistics_staging-.*\.html$/);
    const text = fs.readFileSync((await html.path())!, 'utf8');
    expect(text).toMatch(/^<!doctype html>/i);
    expect(text).toContain(hosts.host('cos-1').address);
    expect(text).toContain('busybox');
    const json = await pf.export('json');
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    expect(JSON.parse(fs.readFileSync((await json.path())!, 'utf8')).summary.fail).toBe(2);
  });

  it('re-runs for one host: one preflight that probes only that host again, with the same spec', async () => {
    const since = new Date().toISOString();
    expect(await pf.rerunHost('ubu-1')).toBe('succeeded');
    const jobs = (await app.core.api.jobs.list()).filter((j) => j.startedAt >= since).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    expect(jobs.map((j) => [j.kind, j.state])).toEqual([['preflight.run', 'succeeded']]);
    const ubu = (await app.core.api.sites.get({ id: jobs[0].siteId! })).hosts.find((h) => h.name === 'ubu-1')!;
    expect(jobs[0].params.hostIds).toEqual([ubu.id]);
    expect(jobs[0].params.spec).toBe(fs.readFileSync(SPEC, 'utf8'));
    expect(jobs[0].params.require).toEqual(['mysql >= 5.7']);
    // Only ubu-1 was probed again: its facts are newer than the run, cos-1's are older.
    const probes = await app.core.api.probe.results({ siteId: jobs[0].siteId! });
    expect(probes.find((p) => p.hostId === ubu.id)!.facts.probedAt >= since).toBe(true);
    const others = probes.filter((p) => p.hostId !== ubu.id);
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((p) => p.facts.probedAt < since)).toBe(true);
    expect(await pf.cellStatus('outpost.port.tcp.6443', 'cos-1')).toBe('fail');
    expect(await pf.bannerState()).toBe('blocked');
  });

  it('overrides the block only with a reason, then says who, when and why', async () => {
    expect(await pf.override('too short')).toEqual(['Give a reason of at least 10 characters.']);
    expect(await pf.override(OVERRIDE)).toEqual([]);
    await app.page.waitForFunction(() => document.querySelector('[data-testid="preflight-banner"]')?.getAttribute('data-state') === 'overridden');
    const audit = (await app.core.api.audit.list({ limit: 5 })).find((e) => e.action === 'preflight.override')!;
    expect(audit.detail).toBe(OVERRIDE);
    expect(await pf.banner.getByTestId('preflight-override-reason').innerText()).toBe(OVERRIDE);
    expect(await pf.banner.innerText()).toContain(`${audit.actor} overrode the preflight on`);
    expect(await pf.page.getByTestId('preflight-override').count()).toBe(0);
    await shoot('en-preflight-6-grid-overridden');
  });

  it('speaks Chinese: statuses, Outpost’s messages translated, the vendor’s as written', async () => {
    await shell.switchLanguage('zh-CN');
    expect(await shell.pageTitle.innerText()).toContain('预检');
    expect(await pf.page.getByTestId('tab-checks').innerText()).toContain('检查项');
    expect(await pf.banner.getByTestId('preflight-banner-title').innerText()).toBe('已强制放行 — 尽管有检查失败，仍可继续安装');
    const port = await pf.cell('outpost.port.tcp.6443', 'cos-1').innerText();
    expect(port).toContain('失败');
    expect(port).toMatch(/busybox/);
    expect(port).toMatch(/[\u4e00-\u9fff]{2}/);
    expect(await pf.cell('ts.3.tcpPortStatus', 'cos-1').innerText()).toContain('Port 6443 is already in use (another Kubernetes or k3s?).');
    expect(await pf.grid.getByTestId('pf-section-site').innerText()).toBe('整个站点的检查');
    await shoot('zh-preflight-4-grid-overridden');

    const d = await pf.openCell('outpost.port.tcp.6443', 'cos-1');
    expect(d.title).toBe('端口 6443/tcp 空闲（Kubernetes API）');
    expect(d.fix).toMatch(/busybox/);
    expect(d.fix).toMatch(/[\u4e00-\u9fff]{4}/);
    await shoot('zh-preflight-5-cell-details', { overlay: true });
    await pf.closeDetails();

    await pf.tab('facts');
    expect(await pf.factsRow('cos-1').innerText()).toContain('RHEL 系');
    await shoot('zh-preflight-1-host-facts');
    await pf.tab('checks');
    const html = await pf.export('html');
    expect(fs.readFileSync((await html.path())!, 'utf8')).toMatch(/[\u4e00-\u9fff]/);
    expect(shots).toHaveLength(9);
  });

  it('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
