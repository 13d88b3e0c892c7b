// The Playwright harness against Debian's chromium: launch, a page, a screenshot.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { hasChromium, launchBrowser, newPage, screenshot } from '../harness';

describe.skipIf(!hasChromium())('browser harness', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('renders a page in a fresh context and writes a screenshot', async () => {
    const { context, page } = await newPage(browser);
    await page.setContent('<h1 id="t">Outpost 前哨</h1>');
    expect(await page.textContent('#t')).toBe('Outpost 前哨');
    const file = await screenshot(page, 'harness-smoke');
    expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    await context.close();
  });

  it('contexts do not share storage', async () => {
    const a = await newPage(browser);
    const b = await newPage(browser);
    await a.context.addCookies([{ name: 'k', value: 'v', url: 'http://127.0.0.1/' }]);
    expect(await b.context.cookies('http://127.0.0.1/')).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });
});
