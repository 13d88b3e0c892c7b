import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Paths from this file's folder (import.meta.dirname: no node: import in the renderer tree).
const here = import.meta.dirname;

// One build serves the Electron renderer (file://) and the web mode (http://127.0.0.1), so
// asset URLs are relative and nothing is fetched from the network at run time.
export default defineConfig({
  root: here,
  base: './',
  plugins: [
    react(),
    // Module scripts from file:// (Electron) have an opaque origin; a CORS-mode request buys nothing there.
    { name: 'outpost-no-crossorigin', transformIndexHtml: (html) => html.replace(/ crossorigin(?=[ >])/g, '') },
  ],
  build: {
    outDir: `${here}/../dist/renderer`,
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 4096,
    sourcemap: false,
  },
  // The locale catalogs live in electron/core/i18n/locales, outside the renderer root.
  server: { fs: { allow: [`${here}/..`] } },
});
