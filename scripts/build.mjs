// Builds what the app runs: the renderer (Vite) and the Electron main/preload bundles (esbuild).
// The CLI and web mode run the TypeScript sources through tsx and need only the renderer.
import { build } from 'esbuild';
import { cpSync, rmSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const only = process.argv[2];
if (only !== 'electron') {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
if (only !== 'renderer') {
  rmSync('dist/electron', { recursive: true, force: true });
  mkdirSync('dist/electron', { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };
  // Native and optional modules stay in node_modules, where electron-builder packs them.
  const external = ['electron', 'ssh2', 'cpu-features', 'systeminformation', '@kubernetes/client-node'];
  await build({ ...common, entryPoints: ['electron/main/index.ts'], outfile: 'dist/electron/main.mjs', format: 'esm', external,
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  // Sandboxed preloads must be a single CommonJS file.
  await build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] });
  cpSync('electron/core/i18n/locales', 'dist/electron/locales', { recursive: true });
}
console.log('build: ok');
