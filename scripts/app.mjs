// `npm run app`: installs what is missing, builds, and starts Outpost — the Electron app where
// its binary exists and a display is available, otherwise the same UI in web mode.
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? '1' };
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync('node_modules/.package-lock.json')) {
  console.log('Installing dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
run(process.execPath, ['scripts/build.mjs']);

function electronBinary() {
  try {
    // The electron package exports the binary's path, and throws when the binary was never downloaded.
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

const bin = electronBinary();
const hasDisplay = process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (bin && hasDisplay && !process.argv.includes('--web')) {
  spawn(bin, ['.'], { stdio: 'inherit', env }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(bin ? 'No display: starting the web mode.' : "Electron's binary is not installed here: starting the same UI in web mode.");
  spawn(process.execPath, ['bin/outpost.mjs', 'serve', ...process.argv.slice(2).filter((a) => a !== '--web')], { stdio: 'inherit', env })
    .on('exit', (code) => process.exit(code ?? 0));
}
