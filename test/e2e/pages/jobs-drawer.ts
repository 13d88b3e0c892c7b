// Page object: the jobs drawer opened from the header's jobs indicator.
import type { Locator, Page } from 'playwright-core';

export class JobsDrawer {
  readonly root: Locator;
  readonly items: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('jobs-drawer');
    this.items = this.root.getByTestId('job-item');
  }

  /** The expanded job cards (progress bar and live log). */
  get cards(): Locator {
    return this.root.locator('[data-testid^="job-"][data-kind]');
  }

  async states(): Promise<string[]> {
    return this.items.evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''));
  }

  async logText(index = 0): Promise<string> {
    return this.cards.nth(index).getByTestId('job-log').innerText();
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.root.waitFor({ state: 'hidden' });
  }
}
