import { afterEach, describe, expect, it, vi } from 'vitest';

// The Electron path: the preload's bridge returns Replies; the renderer's `api` throws on errors
// with the code intact and fans events out to every subscriber.
describe('api transport in Electron', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('uses window.outpost when the preload exposes it', async () => {
    let emit: (name: string, payload: unknown) => void = () => {};
    const bridge = {
      sites: {
        list: vi.fn(async () => ({ ok: true, value: [{ id: 's1', name: 'Plant 3' }] })),
        get: vi.fn(async (args: unknown) => ({ ok: false, error: { code: 'sites.not_found', message: 'That site does not exist.', details: args } })),
      },
      onEvent: (cb: (name: string, payload: unknown) => void) => { emit = cb; return () => {}; },
    };
    vi.stubGlobal('window', { outpost: bridge });
    const { api, onEvent, getConnection, isElectron } = await import('./api');

    expect(isElectron).toBe(true);
    expect(getConnection()).toEqual({ status: 'open' });
    await expect(api.sites.list()).resolves.toEqual([{ id: 's1', name: 'Plant 3' }]);
    await expect(api.sites.get({ id: 'nope' })).rejects.toMatchObject({ name: 'OutpostError', code: 'sites.not_found', details: { id: 'nope' } });
    expect(bridge.sites.get).toHaveBeenCalledWith({ id: 'nope' });

    const seen: unknown[] = [];
    const off = onEvent((name, payload) => seen.push([name, payload]));
    emit('store.changed', { collection: 'hosts' });
    off();
    emit('store.changed', { collection: 'sites' });
    expect(seen).toEqual([['store.changed', { collection: 'hosts' }]]);
  });

  it('answers an unknown method with a Reply error instead of crashing', async () => {
    vi.stubGlobal('window', { outpost: { onEvent: () => () => {} } });
    const { api } = await import('./api');
    await expect(api.audit.verify()).rejects.toMatchObject({ code: 'api.unknown_method' });
  });
});
