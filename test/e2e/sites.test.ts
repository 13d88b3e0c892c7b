// The first field journey, in Chromium against the web mode and real sshd hosts: create a site,
// add a host by key and one by password with sudo, test the connections (keys pinned on first
// use), see a changed host key refused with a clear message, trust it once verified, and look at
// every screen in English and in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canStartHosts, haveChromium, startHosts, type TestHost, type TestHosts } from '../harness';
import { startApp, type App, takeShot } from './fixture';
import { AuditPage, EmptyStatePage, Shell, SiteDetailPage, SitesPage } from './pages';

const SITE = 'Northwind Bank — production';

describe.skipIf(!haveChromium() || !canStartHosts())('journey: a site, two hosts, a changed host key', () => {
  let hosts: TestHosts;
  let web: TestHost;
  let db: TestHost;
  let app: App;
  let shell: Shell;
  let sites: SitesPage;
  let detail: SiteDetailPage;
  const shots: string[] = [];
  const shoot = (name: string, opts: { overlay?: boolean } = {}) => takeShot(app.page, () => shell.settle(), shots, name, opts);

  beforeAll(async () => {
    [hosts, app] = await Promise.all([startHosts([{ name: 'web-1' }, { name: 'db-1' }]), startApp()]);
    web = hosts.host('web-1');
    db = hosts.host('db-1');
    shell = new Shell(app.page);
    sites = new SitesPage(app.page);
    detail = new SiteDetailPage(app.page);
    await sites.root.waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await hosts?.stop();
  });

  it('creates a site and adds a host by key and a host by password with sudo', async () => {
    await shoot('en-journey-1-sites-empty');
    await sites.createSite(SITE, 'Shanghai data centre, rack B-12');
    expect(await shell.currentSiteName()).toBe(SITE);

    await detail.addHost({
      name: 'web-1', address: web.address, port: web.port, user: hosts.users.key,
      auth: 'key', keyPath: hosts.clientKeyPath, sudo: 'none', role: 'server',
    });
    // The second host: the form is left filled in for its screenshot, then submitted with Enter.
    const form = await detail.openAddHost();
    await form.fill({
      name: 'db-1', address: db.address, port: db.port, user: hosts.users.password.user,
      auth: 'password', password: hosts.users.password.password, sudo: 'password', role: 'agent',
    });
    await shoot('en-journey-2-host-form-add', { overlay: true });
    await form.submitWithEnter();
    await detail.row('db-1').waitFor();

    expect(await detail.row('web-1').innerText()).toContain(`${web.address}:${web.port}`);
    expect(await detail.row('db-1').innerText()).toContain(`${db.address}:${db.port}`);
    expect(await detail.hostStatus('web-1')).toBe('untested');
    expect(await detail.fingerprintText('web-1')).toBe('Not pinned yet');
    const [site] = await app.core.api.sites.list();
    const stored = (await app.core.api.sites.get({ id: site.id })).hosts;
    expect(stored.map((h) => [h.name, h.user, h.auth, h.sudo, h.role, h.hasPassword])).toEqual([
      ['web-1', 'optkey', 'key', 'none', 'server', false],
      ['db-1', 'optpass', 'password', 'password', 'agent', true],
    ]);
  });

  it('tests the connections: both OK, host keys pinned on first use', async () => {
    expect(await detail.testConnections()).toBe('succeeded');
    expect(await detail.hostStatus('web-1')).toBe('ok');
    expect(await detail.hostStatus('db-1')).toBe('ok');
    expect(await detail.fingerprint('web-1')).toBe(web.hostKeyFingerprint);
    expect(await detail.fingerprint('db-1')).toBe(db.hostKeyFingerprint);
    expect(await detail.fingerprintText('db-1')).toContain('Pinned on first use');
    // db-1 logs in as a sudo user whose sudo asks for the password: Outpost typed it.
    expect(await detail.hostStatusText('db-1')).toContain('sudo works');
    expect(await detail.hostStatusText('web-1')).toContain('no sudo');
    const log = await detail.testLog();
    expect(log).toContain(`web-1: ok`);
    expect(log).toContain(`key ${db.hostKeyFingerprint}, pinned now`);
    expect(await app.page.getByTestId('stat-ok').innerText()).toContain('2');
    await shoot('en-journey-3-hosts-ok');
  });

  it('shows the connection test in the jobs drawer with progress and its live log', async () => {
    expect(await shell.runningJobs()).toBe(0);
    const drawer = await shell.openJobs();
    expect(await drawer.states()).toEqual(['succeeded']);
    expect(await drawer.root.innerText()).toContain('Test SSH connections (all hosts)');
    expect(await drawer.logText(0)).toContain('db-1: ok');
    await shoot('en-journey-4-jobs-drawer', { overlay: true });
    await drawer.close();
  });

  it('refuses a changed host key with a clear message, and connects again once the new key is trusted', async () => {
    const oldFp = db.hostKeyFingerprint;
    const newFp = await db.regenerateHostKey();
    expect(newFp).not.toBe(oldFp);

    expect(await detail.testConnections()).toBe('succeeded');
    expect(await detail.hostStatus('web-1')).toBe('ok');
    expect(await detail.hostStatus('db-1')).toBe('key-changed');
    expect(await detail.hostStatusText('db-1')).toContain('Host key changed');
    const alert = detail.keyAlert('db-1');
    expect(await alert.getByTestId('host-key-alert-title').innerText())
      .toBe(`db-1 (${db.address}:${db.port}) offered a different host key — Outpost refused to connect`);
    expect(await alert.getByTestId('host-key-alert-text').innerText())
      .toBe(`${db.address}:${db.port} offered a different host key (${newFp}) than the pinned one (${oldFp}). Verify it with the server's administrator before trusting it.`);
    expect(await alert.innerText()).toContain('an attacker intercepting the connection');
    const fps = await detail.keyAlertFingerprints('db-1');
    expect(fps.expected).toBe(oldFp);
    expect(fps.offered).toBe(`${newFp} (ssh-ed25519)`);
    // The pinned key has not moved: the refusal changed nothing.
    expect(await detail.fingerprint('db-1')).toBe(oldFp);
    await shoot('en-journey-5-host-key-changed');

    const shown = await detail.trustNewKey('db-1', { beforeConfirm: () => shoot('en-journey-6-trust-key-dialog', { overlay: true }) });
    expect(shown).toBe(newFp);
    await app.page.waitForFunction(
      (fp) => document.querySelector('[data-testid="host-fingerprint-db-1"]')?.getAttribute('data-fingerprint') === fp, newFp);
    expect(await detail.hostStatus('db-1')).toBe('untested');

    // Test only the host that changed (row selection).
    await detail.selectRows(['db-1']);
    expect(await detail.testButton.innerText()).toBe('Test 1 selected');
    expect(await detail.testConnections()).toBe('succeeded');
    expect(await detail.testPanel.innerText()).toContain('Test SSH connection (1 host)');
    expect(await detail.hostStatus('db-1')).toBe('ok');
    expect(await detail.fingerprint('db-1')).toBe(newFp);
    expect(await detail.keyAlert('db-1').count()).toBe(0);
  });

  it('records every step in the audit log, whose hash chain verifies', async () => {
    await shell.navigate('audit');
    const audit = new AuditPage(app.page);
    const actions = await audit.actions();
    expect(actions).toEqual(expect.arrayContaining(['site.create', 'host.add', 'host.pin_key', 'ssh.connection_test', 'host.trust_key']));
    expect(await audit.table.getByText('Refused', { exact: true }).count()).toBeGreaterThanOrEqual(1);
    const v = await audit.verify();
    expect(v.ok).toBe(true);
    expect(v.text).toContain(`The audit log is intact: ${(await app.core.api.audit.list()).length} entries`);
  });

  it('looks right on every screen in English and in Simplified Chinese', async () => {
    const emptyScreens = ['bundles', 'preflight', 'install', 'health', 'reports'] as const;
    const shootScreens = async (lang: 'en' | 'zh') => {
      await shell.navigate('sites');
      await sites.row(SITE).waitFor();
      await shoot(`${lang}-01-sites`);
      await sites.open(SITE);
      await detail.row('db-1').waitFor();
      await shoot(`${lang}-02-site-detail`);
      const form = await detail.openEditHost('db-1');
      await shoot(`${lang}-03-host-form-edit`, { overlay: true });
      await form.cancelWithEscape();
      for (const [i, key] of emptyScreens.entries()) {
        await shell.navigate(key);
        await shoot(`${lang}-0${4 + i}-${key}`);
      }
      await shell.navigate('audit');
      await new AuditPage(app.page).verify();
      await shoot(`${lang}-09-audit`);
      const drawer = await shell.openJobs();
      await shoot(`${lang}-10-jobs-drawer`, { overlay: true });
      await drawer.close();
    };

    await shootScreens('en');
    await shell.switchLanguage('zh-CN');
    expect((await app.core.api.settings.get()).language).toBe('zh-CN');
    expect(await shell.pageTitle.innerText()).toBe('审计日志');
    expect(await shell.navItem('sites').innerText()).toBe('站点');
    for (const key of emptyScreens) {
      await shell.navigate(key);
      const t = await new EmptyStatePage(app.page, key).texts();
      expect(t.emptyText, key).toMatch(/[\u4e00-\u9fff]{4}/);
      expect(t.steps.every((s) => /[\u4e00-\u9fff]/.test(s)), key).toBe(true);
    }

    // The host-key story once more, in Chinese, so the alert's wording is checked in both languages.
    await shell.navigate('sites');
    await sites.open(SITE);
    const oldFp = web.hostKeyFingerprint;
    const newFp = await web.regenerateHostKey();
    expect(await detail.testConnections()).toBe('succeeded');
    expect(await detail.hostStatus('web-1')).toBe('key-changed');
    expect(await detail.hostStatusText('web-1')).toContain('主机密钥已变更');
    const alert = detail.keyAlert('web-1');
    expect(await alert.getByTestId('host-key-alert-title').innerText()).toBe(`web-1（${web.address}:${web.port}）提供了不同的主机密钥 — Outpost 已拒绝连接`);
    expect(await alert.getByTestId('host-key-alert-text').innerText())
      .toBe(`${web.address}:${web.port} 提供的主机密钥（${newFp}）与已固定的密钥（${oldFp}）不同。请先与服务器管理员核实后再信任。`);
    expect(await app.page.getByTestId('trust-key-web-1').innerText()).toBe('我已核实新密钥');
    expect(await detail.testButton.innerText()).toBe('测试连接');
    await shoot('zh-journey-5-host-key-changed');
    expect(await detail.trustNewKey('web-1', { beforeConfirm: () => shoot('zh-journey-6-trust-key-dialog', { overlay: true }) })).toBe(newFp);
    expect(await detail.testConnections()).toBe('succeeded');
    expect(await detail.hostStatus('web-1')).toBe('ok');
    expect(await detail.hostStatusText('web-1')).toContain('正常');
    expect(await detail.fingerprintText('db-1')).not.toContain('Pinned');

    await shootScreens('zh');
    expect(shots.filter((s) => /\/zh-/.test(s))).toHaveLength(12);
    expect(shots.filter((s) => /\/en-/.test(s))).toHaveLength(16);
  });

  it('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
