// Page object: screens that show an empty state with first steps (Bundles, Preflight, Install, Health, Reports).
import type { Locator, Page } from 'playwright-core';

export class EmptyStatePage {
  readonly root: Locator;

  constructor(readonly page: Page, key: string) {
    this.root = page.getByTestId(`page-${key}`);
  }

  async texts(): Promise<{ title: string; emptyTitle: string; emptyText: string; steps: string[] }> {
    return {
      title: await this.root.getByTestId('page-title').innerText(),
      emptyTitle: await this.root.getByTestId('empty-title').innerText(),
      emptyText: await this.root.getByTestId('empty-text').innerText(),
      steps: await this.root.locator('.first-steps li').allInnerTexts(),
    };
  }
}
