import { app, BrowserWindow, dialog, Menu, safeStorage } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCore } from '../core/create-core';
import { keyFileBox } from '../core/secrets';
import { safeStorageBox } from './safe-storage-box';
import { wireIpc } from './ipc';
import { createMainWindow } from './window';

// The Electron shell only wires transports and OS services to the core; no domain logic here.
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
process.env.OUTPOST_LOCALES_DIR ??= join(here, 'locales');

app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const fileBox = keyFileBox(dataDir);
  const secrets = safeStorage.isEncryptionAvailable() ? safeStorageBox(fileBox) : fileBox;
  const core = await createCore({
    dataDir, mode: 'electron', secrets,
    // Bundles and .tar.gz archives both: a folder or a file, as the engineer asks.
    pickPath: async ({ kind, title }) => {
      const r = await dialog.showOpenDialog({ title, properties: [kind === 'folder' ? 'openDirectory' : 'openFile'], filters: kind === 'file' ? [{ name: 'Bundles', extensions: ['tar', 'gz', 'tgz'] }] : undefined });
      return r.canceled ? null : r.filePaths[0] ?? null;
    },
  });
  const indexUrl = pathToFileURL(join(rendererDir, 'index.html')).toString();
  const ipc = wireIpc(core, (url) => url.startsWith(indexUrl));
  Menu.setApplicationMenu(null);

  const open = () => ipc.attach(createMainWindow({ rendererDir, preload: join(here, 'preload.cjs'), title: 'Outpost' }).webContents);
  open();
  app.on('activate', () => { if (BrowserWindow.getAllWindows().length === 0) open(); });
  app.on('window-all-closed', () => { if (process.platform !== 'darwin') app.quit(); });
  app.on('before-quit', () => { void core.close(); });
}

void start();
