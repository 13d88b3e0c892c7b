import { execSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/create-core';
import { createApiProxy } from '../../electron/core/api/client';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import type { OutpostApi } from '../../electron/core/api/contract';
import type { CheckResult } from '../../electron/core/preflight';
import { canStartHosts, startHosts, type TestHosts } from '../harness/ssh-hosts';

let hosts: TestHosts;
let core: Core;
let api: OutpostApi;
let dataDir: string;
let siteId: string;
let prevForward = '0';
const spec = readFileSync('bundles/demo/preflight.yaml', 'utf8');

/** Lets two namespace hosts reach each other through the root namespace (as hosts on one LAN). */
async function route(...hs: TestHosts['hosts']) {
  for (const h of hs) {
    const gw = h.address.split('.').map(Number);
    gw[3] -= 1;
    await h.exec(`ip route add 169.254.0.0/16 via ${gw.join('.')}`);
  }
}

const find = (results: CheckResult[], id: string) => results.find((r) => r.id === id);

describe.skipIf(!canStartHosts())('preflight of a site over SSH', () => {
  beforeAll(async () => {
    hosts = await startHosts([{ name: 'srv', hostname: 'k3s-server' }, { name: 'agt', hostname: 'k3s-agent' }, { name: 'lone', hostname: 'k3s-lonely' }]);
    if (hosts.isolated) {
      prevForward = execSync('sysctl -n net.ipv4.ip_forward').toString().trim();
      execSync('sysctl -qw net.ipv4.ip_forward=1');
      await route(hosts.host('srv'), hosts.host('agt'));
    }
    dataDir = mkdtempSync(join(tmpdir(), 'outpost-pf-'));
    core = await createCore({ dataDir, mode: 'cli', sshTimeoutMs: 8000 });
    api = createApiProxy(createDispatcher(core.api));
    siteId = (await api.sites.save({ name: 'Preflight site' })).id;
    for (const h of hosts.hosts) {
      await api.hosts.save({ siteId, name: h.name, address: h.address, port: h.port, user: hosts.users.nopass, auth: 'key', keyPath: hosts.clientKeyPath, sudo: 'nopasswd', role: h.name === 'srv' ? 'server' : 'agent' });
    }
  }, 120_000);

  afterAll(async () => {
    if (prevForward !== undefined && hosts?.isolated) execSync(`sysctl -qw net.ipv4.ip_forward=${prevForward}`);
    await core?.close();
    await hosts?.stop();
  });

  it('probes, measures k3s reachability between the hosts, evaluates the bundle spec and keeps the result', async () => {
    const { jobId } = await api.preflight.run({ siteId, spec, require: ['postgresql >= 13', 'redis >= 99'] });
    const job = await core.jobs.wait(jobId);
    expect(job.state).toBe('succeeded');
    const rec = (await api.preflight.latest({ siteId }))!;
    expect(rec.blocking).toBe(true);
    const byName = Object.fromEntries(rec.report.hosts.map((h) => [h.host, h.results]));
    const srv = byName[hosts.host('srv').address];
    const lone = byName[hosts.host('lone').address];
    // Vendor analyzers, as written in the spec.
    expect(find(srv, 'ts.0.cpu')).toMatchObject({ status: 'pass', title: 'CPU cores' });
    expect(srv.find((r) => r.title === 'Kubernetes API port 6443')).toMatchObject({ status: 'pass', message: 'Port 6443 is free.' });
    // Our checks: sudo as root, unique hostnames, a real TCP path agent -> server:6443.
    expect(find(srv, 'outpost.sudo')?.status).toBe('pass');
    if (hosts.isolated) {
      expect(find(srv, 'outpost.hostname')?.status).toBe('pass');
      const apiFlow = find(srv, 'outpost.reach.tcp.6443')!;
      expect(apiFlow.status).toBe('fail'); // the unrouted host cannot reach it…
      expect(JSON.stringify(apiFlow.message)).toContain(hosts.host('lone').address);
      expect(JSON.stringify(apiFlow.message)).not.toContain(hosts.host('agt').address); // …the routed agent can
      expect(find(lone, 'outpost.reach.tcp.10250')?.status).toBe('fail');
    }
    expect(rec.report.site.find((r) => r.id.includes('postgresql'))?.status).toBe('pass');
    expect(rec.report.site.find((r) => r.id.includes('redis'))?.status).toBe('fail');
    // The probe facts were kept too, and the reachability commands are in the audit log.
    expect((await api.probe.results({ siteId })).filter((p) => p.facts.ok)).toHaveLength(3);
    expect(core.audit.list({ limit: 200 }).some((e) => e.detail?.startsWith('reachability check'))).toBe(true);
  });

  it('exports JSON and HTML reports, in either language', async () => {
    const json = await api.preflight.export({ siteId, format: 'json' });
    expect(json.filename).toMatch(/^preflight-Preflight_site-.*\.json$/);
    expect(JSON.parse(json.content).summary.fail).toBeGreaterThan(0);
    const html = await api.preflight.export({ siteId, format: 'html', lang: 'zh-CN' });
    expect(html.mime).toBe('text/html');
    expect(html.content).toContain(hosts.host('srv').address);
    expect(html.content).toMatch(/[\u4e00-\u9fff]/);
  });

  it('lets the engineer override a blocking result only with a reason, which is audited', async () => {
    await expect(api.preflight.override({ siteId, reason: 'ok' })).rejects.toMatchObject({ code: 'api.invalid_arguments' });
    const rec = await api.preflight.override({ siteId, reason: 'Redis is provided by the customer outside the cluster' });
    expect(rec.blocking).toBe(false);
    expect(rec.override?.reason).toMatch(/customer/);
    expect(core.audit.list({ limit: 5 })[0]).toMatchObject({ action: 'preflight.override', detail: 'Redis is provided by the customer outside the cluster' });
  });

  it('the CLI exits like troubleshoot: 3 on a fail, 2 on a broken spec', async () => {
    await core.store.flush();
    const cli = (args: string[]) => spawnSync(process.execPath, ['bin/outpost.mjs', ...args], { encoding: 'utf8', env: { ...process.env, OUTPOST_HOME: dataDir, OUTPOST_LANG: 'en' } });
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: troubleshoot.sh/v1beta2\nkind: HostPreflight\nspec:\n  analyzers:\n    - cpu:\n        outcomes: nope\n');
    const broken = cli(['preflight', '--site', 'Preflight site', '--spec', bad, '--json']);
    expect(broken.status).toBe(2);
    expect(JSON.parse(broken.stdout).error.code).toBe('preflight.spec_invalid');
    const h = hosts.host('srv');
    const one = cli(['preflight', '--spec', 'bundles/demo/preflight.yaml', '--require', 'redis >= 99', '-i', hosts.clientKeyPath, '--sudo', `${hosts.users.nopass}@${h.address}`, '--json']);
    expect(one.status).toBe(3);
    expect(JSON.parse(one.stdout).summary.fail).toBeGreaterThan(0);
  });
});

