// Page object: the Preflight screen — probe, run with a spec, the host × check grid, details,
// export, override, re-run for one host, and the host facts with their raw output.
import type { Download, Locator, Page } from 'playwright-core';

export type CellStatus = 'pass' | 'warn' | 'fail' | 'unsupported' | 'error' | 'na';

export class PreflightRunDialog {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('run-modal');
  }

  /** Loads a spec through the "Load from file…" input, as a user picking the file would. */
  async loadSpecFile(file: string): Promise<void> {
    await this.root.getByTestId('run-spec-file').setInputFiles(file);
    await this.root.getByTestId('run-spec-name').waitFor();
  }

  async specText(): Promise<string> {
    return this.root.getByTestId('run-spec').inputValue();
  }

  /** Types each requirement into the tags field and confirms it with Enter. */
  async addRequirements(reqs: string[]): Promise<void> {
    const input = this.root.locator('[data-testid="run-require"] input');
    for (const r of reqs) {
      await input.fill(r);
      await input.press('Enter');
    }
  }

  async requirements(): Promise<string[]> {
    return this.root.locator('[data-testid="run-require"] .ant-select-selection-item-content').allInnerTexts();
  }

  /** The bundle field's text once the library has loaded (its help says when the library is empty). */
  async bundleChoices(): Promise<string> {
    await this.root.locator('[data-testid="run-bundle"][data-loaded="true"]').waitFor();
    return this.root.locator('.ant-form-item').filter({ has: this.page.getByTestId('run-bundle') }).innerText();
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('run-ok').click();
    await this.root.waitFor({ state: 'detached' });
  }
}

export class PreflightPage {
  readonly root: Locator;
  readonly probeButton: Locator;
  readonly runButton: Locator;
  readonly exportButton: Locator;
  readonly jobPanel: Locator;
  readonly grid: Locator;
  readonly banner: Locator;
  readonly summary: Locator;
  readonly factsTable: Locator;
  readonly details: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-preflight');
    this.probeButton = page.getByTestId('preflight-probe');
    this.runButton = page.getByTestId('preflight-run');
    this.exportButton = page.getByTestId('preflight-export');
    this.jobPanel = page.getByTestId('preflight-job');
    this.grid = page.getByTestId('preflight-grid');
    this.banner = page.getByTestId('preflight-banner');
    this.summary = page.getByTestId('preflight-summary');
    this.factsTable = page.getByTestId('facts-table');
    this.details = page.getByTestId('pf-details');
  }

  private async shownJobId(): Promise<string | null> {
    return this.page.evaluate(() => document.querySelector('[data-testid="preflight-job"] .job-card')?.getAttribute('data-testid') ?? null);
  }

  /** Runs `start`, then waits until the job panel shows a new job of `kind` that has ended; returns its state. */
  async runJob(kind: 'probe.run' | 'preflight.run', start: () => Promise<void>, timeoutMs = 120_000): Promise<string> {
    const before = await this.shownJobId();
    await start();
    const h = await this.page.waitForFunction(({ before: b, kind: k }) => {
      const panel = document.querySelector('[data-testid="preflight-job"]');
      const id = panel?.querySelector('.job-card')?.getAttribute('data-testid');
      const state = panel?.getAttribute('data-state');
      return id && id !== b && panel?.getAttribute('data-kind') === k && state !== 'running' && !document.querySelector('[data-testid="preflight-chain"]') ? state : false;
    }, { before, kind }, { timeout: timeoutMs });
    return (await h.jsonValue()) as string;
  }

  async probe(): Promise<string> {
    return this.runJob('probe.run', () => this.probeButton.click());
  }

  async jobLog(): Promise<string> {
    return this.jobPanel.getByTestId('job-log').innerText();
  }

  async openRun(): Promise<PreflightRunDialog> {
    await this.runButton.click();
    const d = new PreflightRunDialog(this.page);
    await d.root.getByTestId('run-spec').waitFor();
    return d;
  }

  async tab(name: 'checks' | 'facts'): Promise<void> {
    await this.page.getByTestId(`tab-${name}`).click();
    await (name === 'checks' ? this.grid : this.factsTable).waitFor();
  }

  // ------------------------------------------------------------------ host facts

  factsRow(host: string): Locator {
    return this.page.getByTestId(`facts-row-${host}`);
  }

  async os(host: string): Promise<{ name: string; family: string }> {
    const row = this.factsRow(host);
    return { name: await row.getByTestId('facts-os').innerText(), family: (await row.getByTestId('facts-family').getAttribute('data-family')) ?? '' };
  }

  /** Expands a host's row and returns its detail panel (system, disks, ports, middleware, warnings). */
  async expandFacts(host: string): Promise<Locator> {
    await this.factsRow(host).locator('.ant-table-row-expand-icon').click();
    const detail = this.page.locator('.ant-table-expanded-row').filter({ has: this.page.getByTestId('facts-detail') }).last();
    await detail.waitFor();
    return detail.getByTestId('facts-detail');
  }

  async openRawOutput(host: string): Promise<Locator> {
    await this.page.getByTestId(`facts-raw-${host}`).click();
    const raw = this.page.getByTestId('raw-output-text');
    await raw.waitFor();
    return raw;
  }

  async closeModalWithEscape(testId: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId(testId).waitFor({ state: 'detached' });
  }

  // ------------------------------------------------------------------ grid

  /** A host's column header (name, address, counts, re-run). */
  hostHeader(host: string): Locator {
    return this.grid.locator('.ant-table-header').getByTestId(`pf-host-${host}`);
  }

  cell(checkId: string, host: string): Locator {
    return this.grid.getByTestId(`pf-cell-${checkId}-${host}`);
  }

  async cellStatus(checkId: string, host: string): Promise<CellStatus> {
    return (await this.cell(checkId, host).getAttribute('data-status')) as CellStatus;
  }

  /** The ids of the grid's check rows, top to bottom. */
  async rowIds(): Promise<string[]> {
    return this.grid.locator('[data-testid^="pf-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('pf-row-'.length)));
  }

  /** Opens a cell's details from the keyboard: focus, Enter. */
  async openCell(checkId: string, host: string): Promise<{ title: string; host: string; message: string; fix: string; id: string }> {
    await this.cell(checkId, host).focus();
    await this.page.keyboard.press('Enter');
    await this.details.getByTestId('pf-details-message').waitFor();
    return {
      title: await this.details.getByTestId('pf-details-title').innerText(),
      host: await this.details.getByTestId('pf-details-host').innerText(),
      message: await this.details.getByTestId('pf-details-message').innerText(),
      fix: await this.details.getByTestId('pf-details-fix').innerText(),
      id: await this.details.getByTestId('pf-details-id').innerText(),
    };
  }

  async closeDetails(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.details.waitFor({ state: 'hidden' });
  }

  async summaryCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const k of ['pass', 'warn', 'fail', 'error', 'unsupported']) out[k] = Number(await this.summary.getByTestId(`summary-${k}`).getAttribute('data-count'));
    return out;
  }

  async bannerState(): Promise<string> {
    return (await this.banner.getAttribute('data-state')) ?? '';
  }

  // ------------------------------------------------------------------ actions

  /** Export → JSON or HTML; resolves with the browser's download. */
  async export(format: 'json' | 'html'): Promise<Download> {
    await this.exportButton.click();
    const item = this.page.getByTestId(`export-${format}`);
    await item.waitFor();
    const [download] = await Promise.all([this.page.waitForEvent('download'), item.click()]);
    return download;
  }

  /** Override with a reason; returns the validation errors shown (none when it went through). */
  async override(reason: string): Promise<string[]> {
    if (!(await this.page.getByTestId('override-reason').isVisible().catch(() => false))) {
      await this.page.getByTestId('preflight-override').click();
    }
    const field = this.page.getByTestId('override-reason');
    await field.fill(reason);
    await this.page.getByTestId('override-ok').click();
    const modal = this.page.getByTestId('override-modal');
    const outcome = await Promise.race([
      modal.waitFor({ state: 'detached' }).then(() => 'closed' as const),
      modal.locator('.ant-form-item-explain-error').first().waitFor().then(() => 'error' as const),
    ]);
    return outcome === 'closed' ? [] : modal.locator('.ant-form-item-explain-error').allInnerTexts();
  }

  /** "Re-run for this host" from the host's column header: the site's preflight, probing that host again. */
  async rerunHost(host: string): Promise<string> {
    return this.runJob('preflight.run', async () => {
      await this.hostHeader(host).getByTestId(`pf-rerun-${host}`).click();
    });
  }
}
