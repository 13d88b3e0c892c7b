import http from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { OutpostError } from './errors';
import { createDispatcher } from './dispatcher';
import type { OutpostApi } from './contract';
import type { EventHub } from './events';
import { WS_PATH, type ClientFrame, type ServerFrame } from './wire';

export interface WebServerOptions {
  api: OutpostApi;
  events: EventHub;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  host?: string;
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

function sameToken(a: string | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The loopback web mode: the built UI over HTTP and the API over a WebSocket, on 127.0.0.1
 * only, guarded by a random per-launch token and by Host/Origin checks (DNS rebinding and
 * cross-site pages cannot reach it).
 */
export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new OutpostError('web.not_loopback', `The web mode only listens on loopback (127.0.0.1 or ::1), not ${host}.`, { host });
  }
  const token = o.token ?? randomBytes(24).toString('base64url');
  const call = createDispatcher(o.api);
  const root = resolve(o.staticDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

  const server = http.createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The UI is not built. Run `npm run build` (or `npm run app`).');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': `default-src 'self'; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'`,
    });
    if (req.method === 'HEAD') res.end(); else createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const origin = req.headers.origin;
    const originOk = origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (url.pathname !== WS_PATH || !allowedHosts().has(req.headers.host ?? '') || !originOk || !sameToken(url.searchParams.get('token'), token)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const clients = new Set<WebSocket>();
  const send = (ws: WebSocket, f: ServerFrame) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(f)); };
  const off = o.events.on((name, payload) => { for (const ws of clients) send(ws, { t: 'event', name, payload }); });

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', async (data) => {
      let frame: ClientFrame;
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (frame?.t !== 'call' || typeof frame.id !== 'number' || typeof frame.method !== 'string') return;
      send(ws, { t: 'reply', id: frame.id, reply: await call(frame.method, frame.args) });
    });
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, host, () => res());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === '::1' ? '[::1]' : '127.0.0.1';
  return {
    port,
    token,
    // The token rides in the fragment: browsers never send it to the server or in Referer.
    url: `http://${shownHost}:${port}/#token=${token}`,
    async close() {
      off();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
