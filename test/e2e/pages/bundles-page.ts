// Page objects: the Bundles screen (media, scan, load dialog, job panel, library, trusted keys)
// and one bundle's detail page with its diff against the site's bundle.
import type { Locator, Page } from 'playwright-core';

export type JobOutcome = { state: string; kind: string; percent: number };

export class BundlesPage {
  readonly root: Locator;
  readonly media: Locator;
  readonly found: Locator;
  readonly library: Locator;
  readonly keys: Locator;
  readonly job: Locator;
  readonly loadDialog: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-bundles');
    this.media = page.getByTestId('bundles-media');
    this.found = page.getByTestId('found-table');
    this.library = page.getByTestId('library-table');
    this.keys = page.getByTestId('trusted-keys');
    this.job = page.getByTestId('bundle-job');
    this.loadDialog = page.getByTestId('load-dialog');
  }

  /** Mount points shown as media. */
  async mediaMounts(): Promise<string[]> {
    await this.media.waitFor();
    return this.media.getByTestId('media').evaluateAll((els) => els.map((e) => e.getAttribute('data-mount') ?? ''));
  }

  async addTrustedKey(publicKey: string, name?: string): Promise<void> {
    await this.keys.getByTestId('key-add').click();
    await this.page.getByTestId('key-text').fill(publicKey);
    if (name) await this.page.getByTestId('key-name').fill(name);
    await this.page.getByTestId('key-add-ok').click();
    await this.page.getByTestId('key-form').waitFor({ state: 'detached' });
  }

  async keyRows(): Promise<string[]> {
    return this.keys.locator('tbody tr[data-row-key]').allInnerTexts();
  }

  private async currentJobId(): Promise<string | null> {
    return (await this.job.count()) ? this.job.getAttribute('data-job-id') : null;
  }

  /** Does `action`, then waits for the job panel to show a new job that has ended, with its progress bar's last state. */
  async runJob(action: () => Promise<void>): Promise<JobOutcome> {
    const before = await this.currentJobId();
    await action();
    const handle = await this.page.waitForFunction((prev) => {
      const el = document.querySelector('[data-testid="bundle-job"]');
      if (!el || el.getAttribute('data-job-id') === prev || el.getAttribute('data-state') === 'running') return null;
      const bar = el.querySelector('[data-testid="bundle-progress"]');
      return { state: el.getAttribute('data-state') ?? '', kind: el.getAttribute('data-kind') ?? '', percent: Number(bar?.getAttribute('data-percent') ?? -1) };
    }, before, { timeout: 60_000 });
    return (await handle.jsonValue()) as JobOutcome;
  }

  async scan(): Promise<JobOutcome> {
    const r = await this.runJob(() => this.media.getByTestId('bundles-scan').click());
    await this.found.waitFor();
    return r;
  }

  foundRow(name: string, version: string, path?: string): Locator {
    const rows = this.found.locator(`tr[data-testid="found-${name}-${version}"]`);
    return path ? rows.and(this.page.locator(`[data-path="${path}"]`)) : rows;
  }

  async foundSignature(row: Locator): Promise<string> {
    return (await row.getByTestId('signature-badge').getAttribute('data-status')) ?? '';
  }

  /** Opens the load dialog for a found bundle and waits until it knows what it loads. */
  async openLoad(row: Locator): Promise<Locator> {
    await row.getByTestId('found-load').click();
    await this.loadDialog.getByTestId('load-name').waitFor();
    return this.loadDialog;
  }

  async typePath(path: string): Promise<void> {
    await this.media.getByTestId('bundles-path').fill(path);
  }

  /** Submits the open load dialog: copy or in place, with a reason when one is asked for. */
  async submitLoad(opts: { mode: 'copy' | 'in-place'; reason?: string }): Promise<JobOutcome> {
    await this.loadDialog.getByTestId(opts.mode === 'copy' ? 'load-copy' : 'load-in-place').click();
    if (opts.reason !== undefined) await this.loadDialog.getByTestId('load-reason').fill(opts.reason);
    return this.runJob(() => this.page.getByTestId('load-ok').click());
  }

  libraryRow(name: string, version: string): Locator {
    return this.library.locator(`tr[data-testid="library-${name}-${version}"]`);
  }

  async useForSite(name: string, version: string): Promise<void> {
    const row = this.libraryRow(name, version);
    await row.getByTestId('library-use').click();
    await row.getByTestId('library-site-tag').waitFor();
  }

  async openDetail(name: string, version: string): Promise<BundleDetailPage> {
    await this.libraryRow(name, version).getByTestId('library-open').click();
    const d = new BundleDetailPage(this.page);
    await d.root.waitFor();
    return d;
  }
}

export class BundleDetailPage {
  readonly root: Locator;
  readonly diff: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-bundle');
    this.diff = page.getByTestId('bundle-diff');
  }

  async title(): Promise<string> {
    return this.root.getByTestId('bundle-title').innerText();
  }

  async waitDiff(): Promise<void> {
    await this.diff.waitFor({ timeout: 30_000 });
  }

  async k3s(): Promise<{ changed: boolean; text: string }> {
    const el = this.diff.getByTestId('diff-k3s');
    return { changed: (await el.getAttribute('data-changed')) === 'true', text: (await el.innerText()).replace(/\s+/g, ' ').trim() };
  }

  async chart(release: string): Promise<{ change: string; text: string }> {
    const row = this.diff.locator(`tr[data-testid="diff-chart-${release}"]`);
    return { change: (await row.getAttribute('data-change')) ?? '', text: (await row.innerText()).replace(/\s+/g, ' ').trim() };
  }

  async valuesDiff(release: string): Promise<string> {
    return this.diff.getByTestId(`diff-values-${release}`).innerText();
  }
}
