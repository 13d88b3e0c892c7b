// The UI without SSH targets: shell, sites, host form validation, import, languages, audit,
// and the web mode's token and reconnect behaviour. Runs wherever Chromium is installed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium, screenshot, startBlackholes, type Blackholes } from '../harness';
import { startApp, type App } from './fixture';
import { AuditPage, EmptyStatePage, PAGE_KEYS, Shell, SiteDetailPage, SitesPage } from './pages';

describe.skipIf(!haveChromium())('web UI: shell, sites, languages', () => {
  let app: App;
  let shell: Shell;
  let blackholes: Blackholes;

  beforeAll(async () => {
    [app, blackholes] = await Promise.all([startApp(), startBlackholes()]);
    shell = new Shell(app.page);
    await new SitesPage(app.page).root.waitFor();
  });

  afterAll(async () => {
    await app?.close();
    await blackholes?.stop();
  });

  it('opens on Sites with the token taken out of the address bar', async () => {
    const { page } = app;
    expect(page.url()).not.toContain('token=');
    expect(await page.evaluate(() => sessionStorage.getItem('outpost.token'))).toBe(app.server.token);
    expect(await shell.appName.innerText()).toBe('Outpost');
    expect(await shell.pageTitle.innerText()).toBe('Sites');
    expect(await new SitesPage(page).empty.innerText()).toBe('No sites yet');
    expect(await shell.runningJobs()).toBe(0);
    expect(await page.title()).toBe('Sites · Outpost');
  });

  it('creates and renames a site from the keyboard and makes it current', async () => {
    const sites = new SitesPage(app.page);
    await sites.createSite('Contoso Plant 3', 'Line control network, building C');
    const detail = new SiteDetailPage(app.page);
    expect(await detail.name.innerText()).toBe('Contoso Plant 3');
    expect(await detail.page.getByText('Line control network, building C').count()).toBe(1);
    expect(await shell.currentSiteName()).toBe('Contoso Plant 3');
    await expect(app.core.api.sites.list()).resolves.toHaveLength(1);

    await shell.navigate('sites');
    await sites.rename('Contoso Plant 3', 'Contoso Plant 4');
    expect((await app.core.api.sites.list()).map((s) => s.name)).toEqual(['Contoso Plant 4']);
  });

  it('validates the host form, keeps secrets write-only, and closes on Escape', async () => {
    const sites = new SitesPage(app.page);
    await sites.open('Contoso Plant 4');
    const detail = new SiteDetailPage(app.page);
    const form = await detail.openAddHost();
    await form.fill({ address: 'bad host!', user: '-x', auth: 'password' });
    await form.field('user').press('Enter');
    await app.page.waitForFunction(() => document.querySelectorAll('[data-testid="host-form"] .ant-form-item-explain-error').length >= 3);
    const errors = await form.errors();
    expect(errors).toContain('Enter an IP address or a host name (letters, digits, dots, colons, hyphens).');
    expect(errors).toContain('Enter a valid Linux user name.');
    expect(errors).toContain('Enter the password; it is stored encrypted on this laptop.');
    await form.cancelWithEscape();

    // A valid host saved with a password, then reopened: the password shows as stored, never as text.
    await detail.addHost({ name: 'plc-gw', address: '10.20.30.40', port: 2222, user: 'deploy', auth: 'password', password: 'Pa55word!', sudo: 'password', role: 'agent' });
    expect(await detail.row('plc-gw').innerText()).toContain('10.20.30.40:2222');
    expect(await detail.hostStatus('plc-gw')).toBe('untested');
    const edit = await detail.openEditHost('plc-gw');
    expect(await edit.field('password').inputValue()).toBe('');
    expect(await edit.field('password').getAttribute('placeholder')).toBe('•••••• stored');
    await edit.cancelWithEscape();
    const [stored] = (await app.core.api.sites.get({ id: (await app.core.api.sites.list())[0].id })).hosts;
    expect(stored).toMatchObject({ name: 'plc-gw', port: 2222, user: 'deploy', auth: 'password', sudo: 'password', role: 'agent', hasPassword: true });
    expect(JSON.stringify(stored)).not.toContain('Pa55word!');
  });

  it('imports hosts from CSV and names the line that failed', async () => {
    const detail = new SiteDetailPage(app.page);
    const r = await detail.importText([
      'name,address,port,user,auth,keyPath,password,sudo,role',
      'hmi-1,10.20.30.41,22,root,key,/home/eng/.ssh/id_ed25519,,none,server',
      'hmi-2,10.20.30.42,22,ops,password,,Secret-1,password,agent',
      'broken,not a host,22,root,key,/k,,none,server',
      'plc-gw,10.20.30.40,2222,deploy,password,,Other-2,password,server',
    ].join('\n'));
    expect(r).toMatchObject({ added: 2, updated: 1, errors: 1 });
    expect(r.errorRows).toHaveLength(1);
    expect(r.errorRows[0]).toMatch(/^4\s/);
    expect(r.errorRows[0]).toContain('address');
    await detail.closeImport();
    for (const n of ['hmi-1', 'hmi-2', 'plc-gw']) await detail.row(n).waitFor();
    expect(await detail.row('plc-gw').innerText()).toContain('Server');
  });

  it('imports a YAML inventory picked as a file', async () => {
    const detail = new SiteDetailPage(app.page);
    await detail.openImport();
    await app.page.locator('.ant-modal input[type="file"]').setInputFiles({
      name: 'inventory.yaml',
      mimeType: 'application/yaml',
      buffer: Buffer.from('hosts:\n  - name: hmi-3\n    address: 10.20.30.43\n    user: root\n    keyPath: /home/eng/.ssh/id_ed25519\n'),
    });
    expect(await app.page.getByTestId('import-text').inputValue()).toContain('hmi-3');
    expect(await app.page.locator('.ant-modal .ant-segmented-item-selected').innerText()).toBe('YAML');
    await app.page.getByTestId('import-run').click();
    await app.page.getByTestId('import-result').waitFor();
    expect(await app.page.getByTestId('import-added').innerText()).toContain('1');
    await detail.closeImport();
    await detail.row('hmi-3').waitFor();
  });

  it('shows a running test to a screen opened late, and cancels it from the jobs drawer', async () => {
    const detail = new SiteDetailPage(app.page);
    // Accepts TCP and never speaks: the SSH handshake waits until its timeout.
    const { address, port } = blackholes.silent;
    await detail.addHost({ name: 'silent-1', address, port, user: 'root', auth: 'password', password: 'x' });
    await detail.selectRows(['silent-1']);
    await detail.testButton.click();
    await app.page.waitForFunction(() => document.querySelector('[data-testid="test-panel"]')?.getAttribute('data-state') === 'running');

    await app.page.reload();
    await detail.testPanel.waitFor();
    expect(await detail.testPanel.getAttribute('data-state')).toBe('running');
    expect(await detail.testLog()).toContain(`Connecting to root@${address}:${port}`);
    await app.page.waitForFunction(() => document.querySelector('[data-testid="jobs-indicator"]')?.getAttribute('data-running') === '1');
    expect(await shell.jobsIndicator.innerText()).toContain('1 job running');

    const drawer = await shell.openJobs();
    expect(await drawer.states()).toContain('running');
    await drawer.root.getByTestId('job-cancel').click();
    await app.page.waitForFunction(() => !document.querySelector('[data-testid="jobs-drawer"] [data-testid="job-item"][data-state="running"]'));
    expect((await drawer.states())[0]).toBe('cancelled');
    await drawer.close();
    expect(await detail.waitTestDone()).toBe('cancelled');
    expect(await shell.runningJobs()).toBe(0);
    await app.page.getByTestId('host-delete-silent-1').click();
    await app.page.locator('.ant-popconfirm .ant-btn-dangerous').click();
    await detail.row('silent-1').waitFor({ state: 'detached' });
  });

  it('shows the empty states of the screens still to come, in plain words', async () => {
    const expected: Record<string, string> = {
      bundles: 'Load an offline bundle from a USB stick',
      preflight: 'Probe the hosts to see what each server really is',
      install: 'The install starts once the preflight passes',
      health: 'After the install, Outpost inspects the site',
      reports: 'A report collects the site',
    };
    for (const [key, start] of Object.entries(expected)) {
      await shell.navigate(key as 'bundles');
      const t = await new EmptyStatePage(app.page, key).texts();
      expect(t.emptyText.startsWith(start)).toBe(true);
      expect(t.steps).toHaveLength(3);
    }
  });

  it('switches to Simplified Chinese, saves it in the settings and keeps it after a reload', async () => {
    await shell.navigate('sites');
    await shell.switchLanguage('zh-CN');
    expect(await shell.pageTitle.innerText()).toBe('站点');
    expect(await shell.navItem('audit').innerText()).toBe('审计日志');
    expect((await app.core.api.settings.get()).language).toBe('zh-CN');
    // antd's own strings follow (the table's empty text lives in antd's locale).
    await shell.navigate('bundles');
    expect((await new EmptyStatePage(app.page, 'bundles').texts()).emptyTitle).toBe('尚未加载离线包');

    await app.page.reload();
    await app.page.getByTestId('page-bundles').waitFor();
    expect(await shell.language()).toBe('zh-CN');
    expect(await shell.pageTitle.innerText()).toBe('离线包');
    expect(await shell.banner.count()).toBe(0);

    for (const key of PAGE_KEYS) {
      await shell.navigate(key);
      const title = await shell.pageTitle.innerText();
      expect(title, key).toMatch(/[\u4e00-\u9fff]/);
    }
    // antd's own strings switch too (ConfigProvider locale): the audit table's page-size changer.
    await shell.navigate('audit');
    expect(await app.page.locator('.ant-pagination').innerText()).toContain('条/页');
    await shell.switchLanguage('en');
    expect((await app.core.api.settings.get()).language).toBe('en');
  });

  it('says when the connection to the core is lost, and recovers by itself', async () => {
    await shell.navigate('sites');
    await app.stopServer();
    await shell.banner.waitFor({ timeout: 10_000 });
    expect(await shell.banner.innerText()).toContain('Disconnected from Outpost');
    await shell.settle();
    await screenshot(app.page, 'en-11-disconnected');
    // Changes made meanwhile (here by the CLI or another window) show up after the reconnect.
    await app.core.api.sites.save({ name: 'Added while offline' });
    await app.startServer();
    await shell.banner.waitFor({ state: 'detached', timeout: 20_000 });
    await new SitesPage(app.page).row('Added while offline').waitFor({ timeout: 10_000 });
  });

  it('lists the audit trail and verifies its hash chain', async () => {
    await shell.navigate('audit');
    const audit = new AuditPage(app.page);
    const actions = await audit.actions();
    expect(actions).toEqual(expect.arrayContaining(['site.create', 'site.update', 'host.add', 'host.update']));
    const v = await audit.verify();
    expect(v.ok).toBe(true);
    const entries = (await app.core.api.audit.list()).length;
    expect(v.text).toContain(`The audit log is intact: ${entries} entries`);
  });

  it('deletes a site after confirmation', async () => {
    await shell.navigate('sites');
    const sites = new SitesPage(app.page);
    await sites.remove('Added while offline');
    expect((await app.core.api.sites.list()).map((s) => s.name)).toEqual(['Contoso Plant 4']);
  });

  it('logged no console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
