// Page object: the sites list and the site form.
import type { Locator, Page } from 'playwright-core';

export class SitesPage {
  readonly root: Locator;
  readonly createButton: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-sites');
    this.createButton = page.getByTestId('site-create');
    this.empty = page.getByTestId('sites-empty');
  }

  row(name: string): Locator {
    return this.page.getByTestId(`site-row-${name}`);
  }

  /** Opens the "new site" form (returns with the dialog open, for screenshots). */
  async openCreate(): Promise<Locator> {
    await this.createButton.click();
    const form = this.page.getByTestId('site-form');
    await form.locator('#site_name').waitFor();
    return form;
  }

  /** Creates a site from the keyboard (Enter submits); the app then opens it. */
  async createSite(name: string, description = ''): Promise<void> {
    const form = await this.openCreate();
    if (description) await form.locator('#site_description').fill(description);
    await form.locator('#site_name').fill(name);
    await form.locator('#site_name').press('Enter');
    await this.page.getByTestId('page-site').waitFor();
    await this.page.getByTestId('site-name').filter({ hasText: name }).waitFor();
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByTestId('site-open').click();
    await this.page.getByTestId('site-name').filter({ hasText: name }).waitFor();
  }

  async rename(name: string, newName: string): Promise<void> {
    await this.row(name).getByTestId('site-rename').click();
    const input = this.page.getByTestId('site-form').locator('#site_name');
    await input.fill(newName);
    await input.press('Enter');
    await this.row(newName).waitFor();
  }

  async remove(name: string): Promise<void> {
    await this.row(name).getByTestId('site-delete').click();
    await this.page.getByTestId('confirm-ok').click();
    await this.row(name).waitFor({ state: 'detached' });
  }
}
