import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The user-data folder, the same one Electron's app.getPath('userData') gives for the
 * product name "Outpost", so the desktop app, the web mode and the CLI share one state.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.OUTPOST_HOME) return env.OUTPOST_HOME;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Outpost');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Outpost');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Outpost');
}
