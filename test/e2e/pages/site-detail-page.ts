// Page object: one site — hosts table, host form, import, connection test, host-key alerts.
import type { Locator, Page } from 'playwright-core';

export interface HostFormValues {
  name?: string;
  address: string;
  port?: number;
  user: string;
  auth: 'key' | 'password' | 'agent';
  keyPath?: string;
  passphrase?: string;
  password?: string;
  sudo?: 'none' | 'nopasswd' | 'password';
  role?: 'server' | 'agent';
}

export type HostStatus = 'ok' | 'failed' | 'key-changed' | 'untested';

export class HostForm {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('host-form');
  }

  field(name: string): Locator {
    return this.root.locator(`#host_${name}`);
  }

  async waitOpen(): Promise<void> {
    await this.field('address').waitFor();
  }

  async chooseAuth(auth: HostFormValues['auth']): Promise<void> {
    await this.field('auth').click();
    const dropdown = this.page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.getByTestId(`auth-option-${auth}`).click();
    await dropdown.waitFor({ state: 'hidden' });
  }

  async chooseRadio(field: 'sudo' | 'role', value: string): Promise<void> {
    await this.field(field).locator('label').filter({ has: this.page.locator(`input[value="${value}"]`) }).click();
  }

  async fill(v: HostFormValues): Promise<void> {
    await this.field('address').fill(v.address);
    if (v.port !== undefined) await this.field('port').fill(String(v.port));
    if (v.name !== undefined) await this.field('name').fill(v.name);
    await this.field('user').fill(v.user);
    await this.chooseAuth(v.auth);
    if (v.sudo) await this.chooseRadio('sudo', v.sudo);
    if (v.role) await this.chooseRadio('role', v.role);
    if (v.keyPath !== undefined) await this.field('keyPath').fill(v.keyPath);
    if (v.passphrase !== undefined) await this.field('passphrase').fill(v.passphrase);
    if (v.password !== undefined) await this.field('password').fill(v.password);
  }

  /** Submits with Enter from a text field, as a keyboard user would. */
  async submitWithEnter(): Promise<void> {
    await this.field('user').press('Enter');
    await this.root.waitFor({ state: 'detached' });
  }

  async errors(): Promise<string[]> {
    return this.root.locator('.ant-form-item-explain-error').allInnerTexts();
  }

  async cancelWithEscape(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.root.waitFor({ state: 'detached' });
  }
}

export class SiteDetailPage {
  readonly root: Locator;
  readonly name: Locator;
  readonly testButton: Locator;
  readonly testPanel: Locator;
  readonly hostsTable: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-site');
    this.name = page.getByTestId('site-name');
    this.testButton = page.getByTestId('hosts-test');
    this.testPanel = page.getByTestId('test-panel');
    this.hostsTable = page.getByTestId('hosts-table');
  }

  row(name: string): Locator {
    return this.page.getByTestId(`host-row-${name}`);
  }

  async openAddHost(): Promise<HostForm> {
    await this.page.getByTestId('host-add').click();
    const form = new HostForm(this.page);
    await form.waitOpen();
    return form;
  }

  async openEditHost(name: string): Promise<HostForm> {
    await this.page.getByTestId(`host-edit-${name}`).click();
    const form = new HostForm(this.page);
    await form.waitOpen();
    return form;
  }

  async addHost(v: HostFormValues & { name: string }): Promise<void> {
    const form = await this.openAddHost();
    await form.fill(v);
    await form.submitWithEnter();
    await this.row(v.name).waitFor();
  }

  async hostStatus(name: string): Promise<HostStatus> {
    return (await this.page.getByTestId(`host-status-${name}`).getAttribute('data-status')) as HostStatus;
  }

  async hostStatusText(name: string): Promise<string> {
    return this.page.getByTestId(`host-status-${name}`).innerText();
  }

  async fingerprint(name: string): Promise<string> {
    return (await this.page.getByTestId(`host-fingerprint-${name}`).getAttribute('data-fingerprint')) ?? '';
  }

  async fingerprintText(name: string): Promise<string> {
    return this.page.getByTestId(`host-fingerprint-${name}`).innerText();
  }

  /** Starts "Test connections" (all hosts, or the selected rows) and waits for the job to end. */
  async testConnections(opts: { timeoutMs?: number } = {}): Promise<string> {
    // The panel may still show the previous (finished) test: wait until it shows the new job.
    const shown = () => document.querySelector('[data-testid="test-panel"] .job-card')?.getAttribute('data-testid') ?? null;
    const before = await this.page.evaluate(shown);
    await this.testButton.click();
    await this.page.waitForFunction((b) => {
      const id = document.querySelector('[data-testid="test-panel"] .job-card')?.getAttribute('data-testid') ?? null;
      return !!id && id !== b;
    }, before, { timeout: 10_000 }).catch(() => undefined);
    return this.waitTestDone(opts.timeoutMs);
  }

  async waitTestDone(timeoutMs = 90_000): Promise<string> {
    const h = await this.page.waitForFunction(() => {
      const s = document.querySelector('[data-testid="test-panel"]')?.getAttribute('data-state');
      return s && s !== 'running' ? s : false;
    }, undefined, { timeout: timeoutMs });
    // The table reloads after the job's final event; wait until no host shows "testing".
    await this.page.waitForFunction(() => !document.querySelector('[data-testing="true"]'), undefined, { timeout: 10_000 });
    return (await h.jsonValue()) as string;
  }

  async testLog(): Promise<string> {
    return this.testPanel.getByTestId('job-log').innerText();
  }

  keyAlert(name: string): Locator {
    return this.page.getByTestId(`host-key-alert-${name}`);
  }

  async keyAlertFingerprints(name: string): Promise<{ expected: string; offered: string }> {
    const a = this.keyAlert(name);
    return {
      expected: (await a.getByTestId('host-key-expected').innerText()).trim(),
      offered: (await a.getByTestId('host-key-offered').innerText()).trim(),
    };
  }

  /** "I have verified the new key": returns the fingerprint the confirmation showed, then confirms. */
  async trustNewKey(name: string, opts: { beforeConfirm?: () => Promise<void> } = {}): Promise<string> {
    await this.page.getByTestId(`trust-key-${name}`).click();
    const shown = (await this.page.getByTestId('trust-key-fingerprint').innerText()).trim();
    await opts.beforeConfirm?.();
    await this.page.getByTestId('trust-key-ok').click();
    await this.keyAlert(name).waitFor({ state: 'detached' });
    return shown;
  }

  async selectRows(names: string[]): Promise<void> {
    for (const n of names) await this.row(n).locator('input[type="checkbox"]').check();
  }

  async openImport(): Promise<Locator> {
    await this.page.getByTestId('hosts-import').click();
    const text = this.page.getByTestId('import-text');
    await text.waitFor();
    return text;
  }

  /** Pastes an inventory and imports it; returns the counts the result shows. */
  async importText(text: string, format: 'CSV' | 'YAML' = 'CSV'): Promise<{ added: number; updated: number; errors: number; errorRows: string[] }> {
    const area = await this.openImport();
    await this.page.locator('.ant-modal .ant-segmented-item').filter({ hasText: format }).click();
    await area.fill(text);
    await this.page.getByTestId('import-run').click();
    const result = this.page.getByTestId('import-result');
    await result.waitFor();
    const num = async (id: string) => Number((await result.getByTestId(id).locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
    const errorRows = await result.locator('[data-testid="import-error-table"] tbody tr').allInnerTexts();
    return { added: await num('import-added'), updated: await num('import-updated'), errors: await num('import-errors'), errorRows };
  }

  async closeImport(): Promise<void> {
    await this.page.getByTestId('import-done').click();
    await this.page.getByTestId('import-result').waitFor({ state: 'detached' });
  }
}
