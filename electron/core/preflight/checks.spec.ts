import { describe, expect, it } from 'vitest';
import type { HostFacts, Middleware } from '../probe';
import { satisfiesVersion, compareVersions } from '../probe';
import { runPreflight } from './run';
import { fakeFacts } from './test-facts';
import type { CheckResult, PreflightReport, PreflightRequirements, Reachability, ReachabilityEntry } from './types';

const NO_SUDO: PreflightRequirements = { sudo: { required: false }, uniqueHostnames: false };

function results(r: PreflightReport, host: string, prefix: string): CheckResult[] {
  return r.hosts.find((h) => h.host === host)!.results.filter((x) => x.id.startsWith(prefix));
}

const mw = (name: string, version: string | null, extra: Partial<Middleware> = {}): Middleware =>
  ({ name, version, source: 'binary', running: true, port: null, ports: [], path: null, package: null, ...extra });

describe('versions', () => {
  it('compares the version strings middleware prints', () => {
    expect(satisfiesVersion('10.11.6-MariaDB-0+deb12u1', '>= 5.7')).toBe(true);
    expect(satisfiesVersion('5.6.51', '>= 5.7')).toBe(false);
    expect(satisfiesVersion('15.18 (Debian 15.18-0+deb12u1)', '>= 15, < 16')).toBe(true);
    expect(satisfiesVersion('15.18', '>=16 || 15.x')).toBe(true);
    expect(satisfiesVersion('1.8.0_392', '>= 11', { java: true })).toBe(false);
    expect(satisfiesVersion('1.8.0_392', '>= 1.8', { java: true })).toBe(true);
    expect(satisfiesVersion('17.0.15', '>= 1.8', { java: true })).toBe(true);
    expect(satisfiesVersion('V10', '>= 10')).toBe(true);
    expect(satisfiesVersion('v1.30.4+k3s1', '>= 1.30.0')).toBe(true);
    expect(satisfiesVersion('1:10.11.19-0+deb12u1', '< 10.12')).toBe(true);
    expect(satisfiesVersion('unknown', '>= 1')).toBeNull();
    expect(compareVersions('22.03', '22.3')).toBe(0);
    expect(() => satisfiesVersion('1.0', '>= banana')).toThrow();
  });
});

describe('middleware', () => {
  const db = fakeFacts('db', { middleware: [mw('mariadb', '10.11.6-MariaDB-0+deb12u1', { port: 3306, ports: [3306] })] });
  const app1 = fakeFacts('app1', { middleware: [mw('jdk', '17.0.15')] });
  const app2 = fakeFacts('app2', { middleware: [mw('jdk', '1.8.0_392'), mw('mysql', '8.0.36', { clientOnly: true })] });

  it('site-wide (any host): MariaDB satisfies mysql >= 5.7 and the host is named', () => {
    const r = runPreflight({ facts: [db, app1, app2], requirements: { ...NO_SUDO, middleware: [{ name: 'mysql', version: '>= 5.7' }] } });
    expect(r.site).toEqual([expect.objectContaining({ id: 'outpost.middleware.mysql', status: 'pass', message: expect.objectContaining({ params: expect.objectContaining({ hosts: 'db' }) }) })]);
  });

  it('site-wide: too old everywhere names what was found; missing everywhere says so; a client alone does not count', () => {
    const old = fakeFacts('db', { middleware: [mw('mysql', '5.6.51')] });
    let r = runPreflight({ facts: [old, app2], requirements: { ...NO_SUDO, middleware: [{ name: 'mysql', version: '>= 5.7' }] } });
    expect(r.site[0]).toMatchObject({ status: 'fail', message: { key: 'preflight.middleware.tooOldOn', params: { seen: 'mysql 5.6.51 (db)' } } });
    r = runPreflight({ facts: [app2], requirements: { ...NO_SUDO, middleware: [{ name: 'mysql' }, { name: 'redis', required: false }] } });
    expect(r.site.map((x) => [x.id, x.status])).toEqual([['outpost.middleware.mysql', 'fail'], ['outpost.middleware.redis', 'pass']]);
    expect(r.site[0].fix).toBeDefined();
  });

  it('per host (every): jdk >= 11 on every app host', () => {
    const r = runPreflight({ facts: [app1, app2, db], requirements: { ...NO_SUDO, middleware: [{ name: 'java', version: '>= 11', scope: 'every', hosts: ['app1', 'app2'] }] } });
    expect(results(r, 'app1', 'outpost.middleware')[0].status).toBe('pass');
    expect(results(r, 'app2', 'outpost.middleware')[0]).toMatchObject({ status: 'fail', message: { key: 'preflight.middleware.tooOld' } });
    expect(results(r, 'db', 'outpost.middleware')).toEqual([]);
  });

  it('running, and versions the probe could not read', () => {
    const stopped = fakeFacts('db', { middleware: [mw('postgresql', '15.18', { running: false })] });
    const r = runPreflight({ facts: [stopped], requirements: { ...NO_SUDO, middleware: [{ name: 'postgres', version: '>= 13', scope: 'every', running: true }] } });
    expect(results(r, 'db', 'outpost.middleware')[0]).toMatchObject({ status: 'fail', message: { key: 'preflight.middleware.notRunning' } });
    const portOnly = fakeFacts('db', { middleware: [mw('redis', null, { source: 'port', port: 6379 })] });
    const r2 = runPreflight({ facts: [portOnly], requirements: { ...NO_SUDO, middleware: [{ name: 'redis', version: '>= 6', scope: 'every' }] } });
    expect(results(r2, 'db', 'outpost.middleware')[0].status).toBe('warn');
  });
});

describe('ports the bundle needs', () => {
  it('taken ports name the process; k3s ports held by k3s itself are fine', () => {
    const h = fakeFacts('s1', { ports: [
      { proto: 'tcp', address: '0.0.0.0', port: 3306, process: 'mysqld', pid: 1203 },
      { proto: 'tcp', address: '::', port: 6443, process: 'k3s-server', pid: 55 },
      { proto: 'tcp', address: '0.0.0.0', port: 80, process: null, pid: null },
    ] });
    const r = runPreflight({ facts: [h], requirements: { ...NO_SUDO, k3s: { servers: ['s1'] }, ports: [{ port: 3306, purpose: 'database' }, { port: 80, purpose: 'ingress' }, { port: 8080 }] } });
    const byId = Object.fromEntries(results(r, 's1', 'outpost.port').map((x) => [x.id, x]));
    expect(byId['outpost.port.tcp.3306']).toMatchObject({ status: 'fail', message: { key: 'preflight.port.taken', params: { process: 'mysqld', pid: 1203 } } });
    expect(byId['outpost.port.tcp.3306'].fix).toMatchObject({ params: { process: 'mysqld', purpose: 'database' } });
    expect(byId['outpost.port.tcp.80']).toMatchObject({ status: 'fail', message: { key: 'preflight.port.takenUnknown' } });
    expect(byId['outpost.port.tcp.6443']).toMatchObject({ status: 'pass', message: { key: 'preflight.port.ownK3s' } });
    expect(byId['outpost.port.tcp.8080'].status).toBe('pass');
    expect(byId['outpost.port.udp.8472'].status).toBe('pass');
    expect(byId['outpost.port.tcp.2379']).toBeUndefined(); // single server: no embedded etcd
  });
});

describe('k3s reachability', () => {
  const hosts = ['s1', 's2', 's3', 'a1'].map((h) => fakeFacts(h));
  const req: PreflightRequirements = { ...NO_SUDO, k3s: { servers: ['s1', 's2', 's3'], agents: ['a1'] } };
  const all = (status: Reachability[number]['status']): Reachability => hosts.flatMap((from) => hosts.filter((to) => to !== from).flatMap((to) =>
    [...[6443, 10250, 2379, 2380].map((port): ReachabilityEntry => ({ from: from.host, to: to.host, port, proto: 'tcp', status })),
      { from: from.host, to: to.host, port: 8472, proto: 'udp', status: 'connected' } as ReachabilityEntry]));

  it('HA servers need 6443, 10250, 8472/udp and etcd 2379–2380 from the right peers', () => {
    const r = runPreflight({ facts: hosts, reachability: all('connected'), requirements: req });
    expect(results(r, 's1', 'outpost.reach').map((x) => `${x.id}:${x.status}`)).toEqual([
      'outpost.reach.tcp.6443:pass', 'outpost.reach.tcp.10250:pass', 'outpost.reach.udp.8472:pass', 'outpost.reach.tcp.2379:pass', 'outpost.reach.tcp.2380:pass',
    ]);
    expect(results(r, 'a1', 'outpost.reach').map((x) => x.id)).toEqual(['outpost.reach.tcp.10250', 'outpost.reach.udp.8472']);
  });

  it('says which source cannot connect, and marks unmeasured pairs', () => {
    const reach = all('connected').map((e) => (e.from === 'a1' && e.to === 's2' && e.port === 6443 ? { ...e, status: 'connection-timeout' as const } : e))
      .filter((e) => !(e.proto === 'udp' && e.to === 's3'));
    const r = runPreflight({ facts: hosts, reachability: reach, requirements: req });
    expect(results(r, 's2', 'outpost.reach.tcp.6443')[0]).toMatchObject({ status: 'fail', message: { params: { from: 'a1', status: 'connection-timeout' } } });
    expect(results(r, 's3', 'outpost.reach.udp.8472')[0]).toMatchObject({ status: 'warn', message: { key: 'preflight.reach.unmeasuredFrom' } });
  });

  it('matches targets by address as well as host key', () => {
    const reach = all('connected').map((e) => ({ ...e, to: hosts.find((h) => h.host === e.to)!.addresses[0].address }));
    const r = runPreflight({ facts: hosts, reachability: reach, requirements: req });
    expect(results(r, 's1', 'outpost.reach').every((x) => x.status === 'pass')).toBe(true);
  });
});

describe('hostnames, clocks, sudo', () => {
  it('duplicate hostnames fail on both hosts and name the other', () => {
    const r = runPreflight({ facts: [fakeFacts('10.0.0.1', { hostname: 'localhost.localdomain' }), fakeFacts('10.0.0.2', { hostname: 'localhost.localdomain' }), fakeFacts('10.0.0.3', { hostname: 'node3' })], requirements: { sudo: { required: false } } });
    expect(results(r, '10.0.0.1', 'outpost.hostname')[0]).toMatchObject({ status: 'fail', message: { params: { others: '10.0.0.2' } } });
    expect(results(r, '10.0.0.3', 'outpost.hostname')[0].status).toBe('pass');
  });

  const at = (host: string, skew: number | null): HostFacts => fakeFacts(host, { time: { ...fakeFacts(host).time, skewSeconds: skew } });

  it('blames the host that is off (> 30 s fail), not the ones in step', () => {
    const r = runPreflight({ facts: [at('a', 0.3), at('b', 45.2), at('c', -0.4)], requirements: NO_SUDO });
    expect(results(r, 'b', 'outpost.clock')[0]).toMatchObject({ status: 'fail', message: { key: 'preflight.clock.ahead', params: { other: 'c' } } });
    expect(results(r, 'a', 'outpost.clock')[0].status).toBe('pass');
    expect(results(r, 'c', 'outpost.clock')[0].status).toBe('pass');
  });

  it('two hosts: this laptop breaks the tie; 2–30 s is a warning; unknown is an error', () => {
    const r = runPreflight({ facts: [at('a', 0.1), at('b', -5)], requirements: NO_SUDO });
    expect(results(r, 'b', 'outpost.clock')[0]).toMatchObject({ status: 'warn', message: { key: 'preflight.clock.behind' } });
    expect(results(r, 'a', 'outpost.clock')[0].status).toBe('pass');
    const u = runPreflight({ facts: [at('a', 0.1), at('b', null)], requirements: NO_SUDO });
    expect(results(u, 'b', 'outpost.clock')[0].status).toBe('error');
    expect(results(runPreflight({ facts: [at('a', 99)], requirements: NO_SUDO }), 'a', 'outpost.clock')).toEqual([]);
  });

  it('sudo: works, needs a password (stored or not), requiretty, denied', () => {
    const s = (status: NonNullable<HostFacts['sudo']>['status'], passwordAvailable = false) =>
      results(runPreflight({ facts: [fakeFacts('h', { sudo: { uid: 1000, user: 'ops', passwordless: status === 'nopasswd', status } })], requirements: { sudo: { passwordAvailable } } }), 'h', 'outpost.sudo')[0];
    expect(s('nopasswd').status).toBe('pass');
    expect(s('password').status).toBe('warn');
    expect(s('password', true).status).toBe('pass');
    expect(s('tty-required')).toMatchObject({ status: 'fail', fix: { key: 'preflight.sudo.fixTty' } });
    expect(s('denied').status).toBe('fail');
  });
});

describe('disk plan', () => {
  it('sums the needs per filesystem (longest mount prefix) against its free space', () => {
    const h = fakeFacts('h'); // '/' 40 GiB free of 50, '/var/lib/rancher' 180 GiB free of 200
    const G = 2 ** 30;
    const r = runPreflight({ facts: [h], requirements: { ...NO_SUDO, disk: [
      { path: '/var/lib/rancher/k3s', bytes: 30 * G, purpose: 'k3s' },
      { path: '/var/lib/rancher/k3s/agent/images', bytes: 100 * G, purpose: 'images' },
      { path: '/opt/acme/charts', bytes: 25 * G, purpose: 'charts' },
      { path: '/opt/acme/data', bytes: 20 * G, purpose: 'data' },
    ] } });
    const d = Object.fromEntries(results(r, 'h', 'outpost.disk').map((x) => [x.id, x]));
    expect(d['outpost.disk./var/lib/rancher']).toMatchObject({ status: 'pass', message: { params: { need: '130.0 GiB' } } });
    expect(d['outpost.disk./']).toMatchObject({ status: 'fail', message: { key: 'preflight.disk.short', params: { need: '45.0 GiB', free: '40.0 GiB' } }, fix: { params: { missing: '5.0 GiB' } } });
    const tight = runPreflight({ facts: [h], requirements: { ...NO_SUDO, disk: [{ path: '/srv', bytes: 37 * G }] } });
    expect(results(tight, 'h', 'outpost.disk')[0].status).toBe('warn');
  });
});
