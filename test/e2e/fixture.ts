// The e2e fixture: the real core and the web mode in this process, the built UI in Chromium.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { screenshot } from '../harness/browser';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createCore, type Core } from '../../electron/core/create-core';
import { startWebServer, type WebServer } from '../../electron/core/api/web-server';
import { launchBrowser, newPage } from '../harness';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STATIC_DIR = path.join(ROOT, 'dist/renderer');

/** The built UI; built once when missing (the suite does not rebuild it on every run). */
export function ensureRendererBuilt(): void {
  if (fs.existsSync(path.join(STATIC_DIR, 'index.html'))) return;
  execSync('npm run build:renderer', { cwd: ROOT, stdio: 'inherit' });
}

export interface App {
  dataDir: string;
  core: Core;
  server: WebServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** console.error lines and uncaught page errors, to assert a clean run. */
  consoleErrors: string[];
  /** Stops the web server and starts it again on the same port and token (the UI must reconnect). */
  restartServer(opts?: { downMs?: number }): Promise<void>;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  close(): Promise<void>;
}

export async function startApp(opts: { viewport?: { width: number; height: number } } = {}): Promise<App> {
  ensureRendererBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-e2e-'));
  const core = await createCore({ dataDir, mode: 'web' });
  let server = await startWebServer({ api: core.api, events: core.events, staticDir: STATIC_DIR });
  const { port, token } = server;
  const browser = await launchBrowser();
  const { context, page } = await newPage(browser, { viewport: opts.viewport ?? { width: 1440, height: 900 } });
  const consoleErrors: string[] = [];
  // A refused WebSocket while the server is down is expected; everything else is a bug.
  let serverDown = false;
  page.on('console', (m) => { if (m.type() === 'error' && !(serverDown && /WebSocket|ERR_CONNECTION_REFUSED/.test(m.text()))) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(server.url);

  const app: App = {
    dataDir, core, browser, context, page, consoleErrors,
    get server() { return server; },
    async stopServer() {
      serverDown = true;
      await server.close();
    },
    async startServer() {
      server = await startWebServer({ api: core.api, events: core.events, staticDir: STATIC_DIR, port, token });
      setTimeout(() => { serverDown = false; }, 20_000);
    },
    async restartServer({ downMs = 1500 } = {}) {
      await app.stopServer();
      await new Promise((r) => setTimeout(r, downMs));
      await app.startServer();
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close().catch(() => undefined);
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return app;
}

/**
 * One screenshot of a journey, added to `shots` so the test can check every screen was shot:
 * screens full-page from the top, dialogs and drawers (fixed overlays) as the viewport the user sees.
 */
export async function takeShot(page: Page, settle: () => Promise<void>, shots: string[], name: string, opts: { overlay?: boolean } = {}): Promise<void> {
  await settle();
  if (!opts.overlay) await page.evaluate(() => window.scrollTo(0, 0));
  shots.push(await screenshot(page, name, { fullPage: !opts.overlay }));
}
