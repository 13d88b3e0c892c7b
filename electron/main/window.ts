import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The main window, locked down: isolated, sandboxed, no Node in the renderer, no navigation away. */
export function createMainWindow(opts: { rendererDir: string; preload: string; title: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: opts.title,
    show: false,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const indexUrl = pathToFileURL(join(opts.rendererDir, 'index.html')).toString();
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Documentation links open in the system browser; nothing opens inside the app.
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => { if (!url.startsWith(indexUrl)) e.preventDefault(); });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(indexUrl);
  return win;
}
