// Page object: the audit log and its integrity check.
import type { Locator, Page } from 'playwright-core';

export class AuditPage {
  readonly root: Locator;
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('page-audit');
    this.table = page.getByTestId('audit-table');
  }

  /** Action codes of the rows on the first page, newest first. */
  async actions(): Promise<string[]> {
    await this.table.locator('tbody tr[data-row-key]').first().waitFor();
    return this.table.locator('tbody tr[data-row-key] td:nth-child(3)').allInnerTexts();
  }

  async verify(): Promise<{ ok: boolean; text: string }> {
    await this.page.getByTestId('audit-verify').click();
    const r = this.page.getByTestId('audit-verify-result');
    await r.waitFor();
    return { ok: (await r.getAttribute('data-ok')) === 'true', text: await r.innerText() };
  }
}
