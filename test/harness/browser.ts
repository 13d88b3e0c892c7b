// Playwright on Debian's chromium (playwright cannot download its own browsers here).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.OUTPOST_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/screenshots');

// No traffic beyond loopback: switch off everything chromium would fetch by itself.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasChromium(): boolean {
  return fs.existsSync(CHROMIUM_PATH);
}

export function launchBrowser(opts: { headless?: boolean; slowMo?: number } = {}): Promise<Browser> {
  const headless = opts.headless ?? true;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    slowMo: opts.slowMo,
    args: headless ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--headless'),
  });
}

/** A fresh context (own cookies and storage) and page: one per test. */
export async function newPage(browser: Browser, opts: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...opts });
  return { context, page: await context.newPage() };
}

/** Full-page PNG at test-results/screenshots/<name>.png; returns its path. */
/** Full-page by default; `fullPage: false` for dialogs and drawers (fixed overlays), as the user sees them. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? true });
  return file;
}
