import { fileURLToPath } from 'node:url';
import { startWebServer } from '../../core/api/web-server';
import type { Command } from '../context';

export function rendererDir(): string {
  return process.env.OUTPOST_RENDERER_DIR ?? fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
}

export const serveCommand: Command = {
  name: 'serve', summary: 'Serve the UI on 127.0.0.1 (web mode)', usage: 'outpost serve [--port N]',
  options: { port: { type: 'string' } },
  async run(ctx) {
    const core = await ctx.core();
    const server = await startWebServer({ api: core.api, events: core.events, staticDir: rendererDir(), port: ctx.flags.port ? Number(ctx.flags.port) : 0 });
    ctx.out({ url: server.url, port: server.port }, () => ctx.t('cli:serving', { url: server.url }));
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
  },
};
