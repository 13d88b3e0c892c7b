import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/create-core';
import { createApiProxy } from '../../electron/core/api/client';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import type { OutpostApi } from '../../electron/core/api/contract';
import type { Host } from '../../electron/core/api/types';
import { startHosts, startBlackholes, canStartHosts, type TestHosts, type Blackholes } from '../harness/ssh-hosts';

const PLANTED = 'planted-Secret-7f3a9';

let hosts: TestHosts;
let holes: Blackholes;
let core: Core;
let api: OutpostApi;
let dataDir: string;
let siteId: string;
const replies: unknown[] = [];
const events: unknown[] = [];

async function testHosts(ids: string[], site_ = siteId): Promise<Host[]> {
  const { jobId } = await api.hosts.test({ siteId: site_, hostIds: ids });
  replies.push(await core.jobs.wait(jobId));
  const site = await api.sites.get({ id: site_ });
  replies.push(site);
  return ids.map((id) => site.hosts.find((h) => h.id === id)!);
}

describe.skipIf(!canStartHosts())('sites and hosts over real SSH', () => {
  beforeAll(async () => {
    hosts = await startHosts([{ name: 'alpha', hostname: 'alpha-db' }, { name: 'beta', hostname: 'beta-app' }]);
    holes = await startBlackholes();
    dataDir = mkdtempSync(join(tmpdir(), 'outpost-ssh-'));
    core = await createCore({ dataDir, mode: 'cli', sshTimeoutMs: 8000 });
    core.events.on((_n, p) => events.push(p));
    // Everything goes through the validating dispatcher, as it does from the UI.
    const call = createDispatcher(core.api);
    api = createApiProxy(async (m, a) => { const r = await call(m, a); replies.push(r); return r; });
    siteId = (await api.sites.save({ name: 'Integration site' })).id;
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    await holes?.stop();
    await hosts?.stop();
  });

  it('connects by key and by password as a sudo user, pinning host keys on first use', async () => {
    const [a, b] = hosts.hosts;
    const byKey = await api.hosts.save({ siteId, name: 'db', address: a.address, port: a.port, user: hosts.users.key, auth: 'key', keyPath: hosts.clientKeyPath });
    const byPw = await api.hosts.save({ siteId, name: 'app', address: b.address, port: b.port, user: hosts.users.password.user, auth: 'password', password: hosts.users.password.password, sudo: 'password' });
    const nopass = await api.hosts.save({ siteId, name: 'app-nopass', address: b.address, port: b.port + 0, user: hosts.users.nopass, auth: 'key', keyPath: hosts.clientKeyPath, sudo: 'nopasswd' })
      .catch((e) => e);
    // Same address and port as "app": refused as a duplicate, with the field named.
    expect(nopass).toMatchObject({ code: 'hosts.duplicate', details: { field: 'address' } });
    expect(byPw.hasPassword).toBe(true);
    expect(JSON.stringify(byPw)).not.toContain(hosts.users.password.password);

    const [ka, pb] = await testHosts([byKey.id, byPw.id]);
    expect(ka.lastTest).toMatchObject({ ok: true, pinnedNow: true, remote: { uid: expect.any(Number), sudo: 'not-configured' } });
    expect(ka.hostKey?.fingerprint).toBe(a.hostKeyFingerprint);
    expect(pb.lastTest).toMatchObject({ ok: true, remote: { sudo: 'ok' } });
    expect(pb.hostKey?.fingerprint).toBe(b.hostKeyFingerprint);
    expect(ka.hostKey?.algorithm).toBe('ssh-ed25519');

    // A second test keeps the pin and does not re-pin.
    const [again] = await testHosts([byKey.id]);
    expect(again.lastTest).toMatchObject({ ok: true, pinnedNow: false });
  });

  it('refuses a changed host key until the engineer trusts the new one', async () => {
    const a = hosts.host('alpha');
    const site = await api.sites.get({ id: siteId });
    const db = site.hosts.find((h) => h.name === 'db')!;
    const oldPin = db.hostKey!.fingerprint;
    const newFp = await a.regenerateHostKey();
    expect(newFp).not.toBe(oldPin);

    const [refused] = await testHosts([db.id]);
    expect(refused.lastTest?.ok).toBe(false);
    expect(refused.lastTest?.error).toMatchObject({ code: 'ssh.host_key_changed', details: { expected: oldPin, offered: newFp } });
    expect(refused.lastTest?.error?.message).toMatch(/different host key/);
    expect(refused.hostKey?.fingerprint).toBe(oldPin);

    await expect(api.hosts.trustKey({ id: db.id, fingerprint: oldPin })).rejects.toMatchObject({ code: 'hosts.key_not_offered' });
    const trusted = await api.hosts.trustKey({ id: db.id, fingerprint: newFp });
    expect(trusted.hostKey?.fingerprint).toBe(newFp);
    const [ok] = await testHosts([db.id]);
    expect(ok.lastTest?.ok).toBe(true);
    expect(core.audit.list({ limit: 50 }).some((e) => e.action === 'host.trust_key' && e.detail?.includes(newFp))).toBe(true);
  });

  it('gives a clear error for each kind of broken target and leaves the store intact', async () => {
    const b = hosts.host('beta');
    const cases: [string, { address: string; port: number }, Record<string, unknown>, string][] = [
      ['wrong password', { address: b.address, port: b.port }, { user: hosts.users.password.user, auth: 'password', password: `${PLANTED}-wrong` }, 'ssh.auth_failed'],
      ['refused', holes.refused, { user: 'root', auth: 'password', password: PLANTED }, 'ssh.connection_refused'],
      ['timeout', holes.timeout, { user: 'root', auth: 'password', password: PLANTED }, 'ssh.timeout'],
      ['http', holes.http, { user: 'root', auth: 'password', password: PLANTED }, 'ssh.not_ssh'],
      ['drops', holes.bannerThenClose, { user: 'root', auth: 'password', password: PLANTED }, 'ssh.connection_lost'],
    ];
    if (holes.unreachable) cases.push(['unreachable', holes.unreachable, { user: 'root', auth: 'password', password: PLANTED }, 'ssh.unreachable']);
    const before = (await api.sites.get({ id: siteId })).hosts.map((h) => ({ id: h.id, hostKey: h.hostKey }));
    // A host is one machine per site, so the wrong-password case (same machine as "app") gets its own site.
    const other = (await api.sites.save({ name: 'Broken targets' })).id;
    const ids: string[] = [];
    for (const [name, ep, auth] of cases) {
      ids.push((await api.hosts.save({ siteId: other, name: `bad-${name}`, address: ep.address, port: ep.port, ...auth } as never)).id);
    }
    const results = await testHosts(ids, other);
    cases.forEach(([name, , , code], i) => {
      expect({ name, code: results[i].lastTest?.error?.code }).toEqual({ name, code });
      expect(results[i].lastTest?.error?.message.length).toBeGreaterThan(20);
      expect(results[i].hostKey).toBeUndefined();
    });
    const after = (await api.sites.get({ id: siteId })).hosts;
    for (const h of before) expect(after.find((x) => x.id === h.id)?.hostKey).toEqual(h.hostKey);
    expect(JSON.parse(readFileSync(join(dataDir, 'outpost.json'), 'utf8')).schemaVersion).toBeGreaterThan(0);
    expect((await api.audit.verify()).ok).toBe(true);
  });

  it('sudo with a wrong password is reported as a sudo failure', async () => {
    const b = hosts.host('beta');
    const own = (await api.sites.save({ name: 'Sudo site' })).id;
    const h = await api.hosts.save({ siteId: own, name: 'sudo-wrong', address: b.address, port: b.port, user: hosts.users.key, auth: 'key', keyPath: hosts.clientKeyPath, sudo: 'password', password: `${PLANTED}-sudo` });
    const [r] = await testHosts([h.id], own);
    expect(r.lastTest).toMatchObject({ ok: false, error: { code: 'ssh.sudo_failed' }, remote: { sudo: 'failed' } });
  });

  it('never lets a planted secret reach the store file, logs, events or API replies', async () => {
    await core.store.flush();
    const files = readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f), 'utf8'));
    for (const text of [...files, JSON.stringify(replies), JSON.stringify(events), JSON.stringify(await api.jobs.list()), JSON.stringify(await api.audit.list({ limit: 1000 }))]) {
      expect(text).not.toContain(PLANTED);
      expect(text).not.toContain(hosts.users.password.password);
    }
    // The secrets are there, encrypted: the wrong-password host can still be re-tested.
    expect(readFileSync(join(dataDir, 'outpost.json'), 'utf8')).toMatch(/"passwordEnc": "gcm1:/);
  });
});
