// Page object: the application frame (navigation, header, banners) — Rancher Desktop's e2e/pages style.
import type { Locator, Page } from 'playwright-core';
import { JobsDrawer } from './jobs-drawer';

export type PageKey = 'sites' | 'bundles' | 'preflight' | 'install' | 'health' | 'reports' | 'audit';
export const PAGE_KEYS: PageKey[] = ['sites', 'bundles', 'preflight', 'install', 'health', 'reports', 'audit'];

export class Shell {
  readonly appName: Locator;
  readonly pageTitle: Locator;
  readonly siteSelector: Locator;
  readonly jobsIndicator: Locator;
  readonly banner: Locator;

  constructor(readonly page: Page) {
    this.appName = page.getByTestId('app-name');
    this.pageTitle = page.getByTestId('page-title');
    this.siteSelector = page.getByTestId('site-selector');
    this.jobsIndicator = page.getByTestId('jobs-indicator');
    this.banner = page.getByTestId('connection-banner');
  }

  navItem(key: PageKey): Locator {
    return this.page.getByTestId(`nav-${key}`);
  }

  /** Opens a screen from the left navigation and waits until it is shown. */
  async navigate(key: PageKey): Promise<void> {
    await this.navItem(key).click();
    await this.page.getByTestId(`page-${key}`).waitFor();
  }

  /** Switches the UI language with the header switch and waits for the page to speak it. */
  async switchLanguage(lang: 'en' | 'zh-CN'): Promise<void> {
    await this.page.getByTestId(`language-${lang}`).click();
    await this.page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  async language(): Promise<string> {
    return this.page.evaluate(() => document.documentElement.lang);
  }

  async runningJobs(): Promise<number> {
    return Number(await this.jobsIndicator.getAttribute('data-running'));
  }

  async currentSiteName(): Promise<string> {
    return (await this.siteSelector.locator('.ant-select-content, .ant-select-selection-item').first().innerText()).trim();
  }

  async openJobs(): Promise<JobsDrawer> {
    await this.jobsIndicator.click();
    const drawer = new JobsDrawer(this.page);
    await drawer.root.waitFor();
    return drawer;
  }

  /** Settles animations and the toast area before a screenshot. */
  async settle(): Promise<void> {
    await this.page.evaluate(() => document.querySelectorAll('.ant-message-notice').forEach((n) => n.remove()));
    await this.page.mouse.move(0, 0);
    await this.page.waitForTimeout(350);
  }
}
