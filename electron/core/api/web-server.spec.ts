import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../create-core';
import { startWebServer, type WebServer } from './web-server';
import { createApiProxy } from './client';
import { wsCall, type WsLike } from './ws-client';
import { methodNames } from './contract';

let core: Core;
let server: WebServer;

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    }).on('error', reject);
  });
}

function open(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-web-'));
  const ui = join(dir, 'ui');
  mkdirSync(ui);
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Outpost</title>');
  core = await createCore({ dataDir: join(dir, 'data'), mode: 'web' });
  server = await startWebServer({ api: core.api, events: core.events, staticDir: ui });
});
afterAll(async () => { await server.close(); await core.close(); });

describe('web mode server', () => {
  it('refuses to listen anywhere but loopback', async () => {
    await expect(startWebServer({ api: core.api, events: core.events, staticDir: '.', host: '0.0.0.0' })).rejects.toMatchObject({ code: 'web.not_loopback' });
  });

  it('prints a 127.0.0.1 URL with the token in the fragment', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[A-Za-z0-9_-]{32}$`));
  });

  it('serves the UI with security headers, and rejects foreign Host headers (DNS rebinding)', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Outpost</title>');
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
    expect((await get('/../../etc/passwd')).body).not.toContain('root:');
  });

  it('refuses WebSocket clients without the token or from another origin', async () => {
    await expect(open('')).rejects.toThrow(/403/);
    await expect(open('?token=wrong')).rejects.toThrow(/403/);
    await expect(open(`?token=${server.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    const ok = await open(`?token=${server.token}`, `http://127.0.0.1:${server.port}`);
    ok.close();
  });

  it('carries calls, whole errors and events over the WebSocket', async () => {
    const ws = await open(`?token=${server.token}`);
    const events: string[] = [];
    const api = createApiProxy(wsCall(ws as unknown as WsLike, (name) => events.push(name)));
    const site = await api.sites.save({ name: 'Bank of Somewhere' });
    expect((await api.sites.list()).map((s) => s.name)).toEqual(['Bank of Somewhere']);
    await expect(api.sites.save({ name: 'bank of somewhere' })).rejects.toMatchObject({ code: 'sites.name_taken', details: { field: 'name' } });
    await expect(api.hosts.save({ siteId: site.id, address: 'bad host!', user: 'root', auth: 'agent' })).rejects.toMatchObject({
      code: 'api.invalid_arguments', details: { issues: [{ path: 'address', message: 'not a host name or IP address' }] },
    });
    const bad = await wsCall(ws as unknown as WsLike)('nope.nothing', {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'api.unknown_method' } });
    expect(events).toContain('store.changed');
    ws.close();
  });

  it('derives every channel name from the contract', () => {
    expect(methodNames).toContain('hosts.trustKey');
    expect(new Set(methodNames).size).toBe(methodNames.length);
  });
});

describe('app.pickPath', () => {
  it('says a native dialog is not available in web mode', async () => {
    expect(await core.api.app.pickPath({ kind: 'folder' })).toEqual({ supported: false, path: null });
  });
});

describe('app.pickPath with a shell dialog', () => {
  it('returns what the desktop shell picked', async () => {
    const c = await createCore({ dataDir: mkdtempSync(join(tmpdir(), 'outpost-pick-')), mode: 'electron', pickPath: async ({ kind }) => (kind === 'file' ? '/media/usb/demo.tar.gz' : null) });
    expect(await c.api.app.pickPath({ kind: 'file' })).toEqual({ supported: true, path: '/media/usb/demo.tar.gz' });
    expect(await c.api.app.pickPath({ kind: 'folder' })).toEqual({ supported: true, path: null });
    await c.close();
  });
});
