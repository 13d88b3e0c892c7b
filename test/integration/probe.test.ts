// The probe over real SSH, through the product path (core API → job → HostSession → `sh -s`, through
// sudo where the host has it), against namespace hosts that carry the release files of the
// distributions customers run, real middleware on one of them, a port taken on another, and the
// ways real sites break a probe: hosts that do not answer, a missing `ss`, an appliance whose login
// shell is not a shell, a locked account, and a Chinese-speaking user environment.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiProxy } from '../../electron/core/api/client';
import type { OutpostApi } from '../../electron/core/api/contract';
import { createDispatcher } from '../../electron/core/api/dispatcher';
import { createCore, type Core } from '../../electron/core/create-core';
import { parsePreflightSpec, runPreflight, type CheckResult, type PreflightReport } from '../../electron/core/preflight';
import type { HostFacts } from '../../electron/core/probe';
import {
  canRunNamespaces, canStartHosts, occupyPort, run, startBlackholes, startHosts, startMiddleware,
  type Blackholes, type HostSpec, type Service, type TestHost, type TestHosts,
} from '../harness';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/os-release');

interface Distro { dir: string; name: string; hostname: string; id: string; versionId: string; family: 'rhel' | 'debian'; pretty: RegExp; debian?: boolean }

// Kylin SP1 and SP2 share a hostname on purpose: cloned VMs are the usual way sites end up with two.
const DISTROS: Distro[] = [
  { dir: 'centos-7', name: 'c7', hostname: 'cos7-db01', id: 'centos', versionId: '7', family: 'rhel', pretty: /^CentOS Linux 7 \(Core\)$/ },
  { dir: 'rhel-8', name: 'rhel8', hostname: 'rhel8-app01', id: 'rhel', versionId: '8.9', family: 'rhel', pretty: /Red Hat Enterprise Linux 8\.9/ },
  { dir: 'rocky-9', name: 'rocky9', hostname: 'rocky9-app02', id: 'rocky', versionId: '9.3', family: 'rhel', pretty: /Rocky Linux 9\.3/ },
  { dir: 'ubuntu-22.04', name: 'u2204', hostname: 'ubuntu-web01', id: 'ubuntu', versionId: '22.04', family: 'debian', pretty: /Ubuntu 22\.04/, debian: true },
  { dir: 'debian-12', name: 'deb12', hostname: 'deb12-db02', id: 'debian', versionId: '12', family: 'debian', pretty: /bookworm/, debian: true },
  { dir: 'kylin-v10-sp1', name: 'ky1', hostname: 'kylin-node', id: 'kylin', versionId: 'V10', family: 'rhel', pretty: /Kylin Linux Advanced Server V10 \(Tercel\)/ },
  { dir: 'kylin-v10-sp2', name: 'ky2', hostname: 'kylin-node', id: 'kylin', versionId: 'V10', family: 'rhel', pretty: /Kylin Linux Advanced Server V10 \(Sword\)/ },
  { dir: 'uos-20', name: 'uos', hostname: 'uos-app03', id: 'uos', versionId: '20', family: 'debian', pretty: /UnionTech OS Server 20/, debian: true },
  { dir: 'uos-20-e', name: 'uose', hostname: 'uos-e-app04', id: 'uos', versionId: '20', family: 'rhel', pretty: /UOS Server 20/ },
  { dir: 'openeuler-22.03', name: 'oe', hostname: 'euler-mq01', id: 'openeuler', versionId: '22.03', family: 'rhel', pretty: /openEuler 22\.03 LTS/ },
];

// Extra login users (the harness gives them the run's key).
const CLI_USER = 'optprcli'; // login shell: a script that answers like a switch's CLI
const FALSE_USER = 'optprfalse'; // login shell: /bin/false
const ZH_USER = 'optprzh'; // LANG/LC_ALL=zh_CN.UTF-8 and a df that speaks Chinese whatever LC_ALL says

// Needs the namespace hosts (their own hostnames and /etc, sshd on port 22); the loopback fallback
// shares this machine's /etc, so there is nothing distribution-specific to probe.
const isolated = canStartHosts() && (await canRunNamespaces());

let th: TestHosts;
let holes: Blackholes;
let mw: Awaited<ReturnType<typeof startMiddleware>>;
let squatter: Service;
let core: Core;
let api: OutpostApi;
let tmp: string;
let siteId: string;
let zhLocale = false;
const hostIds = new Map<string, string>(); // harness host name / blackhole name → saved host id
let facts: Map<string, HostFacts>; // same keys
let probeSeconds = 0;

/** useradd, retried while another test process holds the passwd lock (as the harness does). */
async function ensureUser(name: string): Promise<void> {
  if ((await run('id', ['-u', name])).code === 0) return;
  for (let i = 0; ; i++) {
    const r = await run('useradd', ['-m', '-s', '/bin/bash', name]);
    if (r.code === 0 || r.code === 9) return;
    if (i > 20) throw new Error(`useradd ${name}: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 50 + i * 20));
  }
}

/** A real zh_CN.UTF-8 locale in a private LOCPATH (no change to the machine's locales). */
async function makeZhLocale(dir: string): Promise<boolean> {
  if (!fs.existsSync('/usr/share/i18n/locales/zh_CN')) return false;
  const r = await run('localedef', ['-i', 'zh_CN', '-f', 'UTF-8', path.join(dir, 'zh_CN.UTF-8')], { timeoutMs: 30_000 });
  return fs.existsSync(path.join(dir, 'zh_CN.UTF-8', 'LC_CTYPE')) || r.code === 0;
}

/** Hides binaries inside one host only: an overlay on /usr/bin with whiteouts (the files are really gone there). */
async function hideBinaries(h: TestHost, names: string[]): Promise<void> {
  const d = path.join(tmp, `usrbin-${h.name}`);
  await h.exec(`mkdir -p ${d}/u ${d}/w && mount -t overlay overlay -o lowerdir=/usr/bin,upperdir=${d}/u,workdir=${d}/w /usr/bin && rm -f ${names.map((n) => `/usr/bin/${n}`).join(' ')}`);
}

const resultsOf = (r: PreflightReport, hostKey: string) => r.hosts.find((h) => h.host === hostKey)!.results;
const byId = (rs: CheckResult[], id: string) => rs.find((r) => r.id === id);
const text = (m: CheckResult['message']) => (typeof m === 'string' ? m : m.text);
const escapeRx = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(!isolated)('probe over real SSH (namespace hosts)', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'opt-probe-'));
    fs.chmodSync(tmp, 0o755);
    const locDir = path.join(tmp, 'locale');
    const zhBin = path.join(tmp, 'zh-bin');
    fs.mkdirSync(locDir);
    fs.mkdirSync(zhBin);
    const [zh] = await Promise.all([makeZhLocale(locDir), ...[CLI_USER, FALSE_USER, ZH_USER].map(ensureUser)]);
    zhLocale = zh;
    // A df that ignores the script's LC_ALL=C (as some vendor builds of tools do): with a real zh_CN locale it is the
    // real df speaking Chinese, otherwise its header is rewritten the way zh_CN coreutils prints it.
    fs.writeFileSync(path.join(zhBin, 'df'), zhLocale
      ? '#!/bin/sh\nLC_ALL=zh_CN.UTF-8 LANG=zh_CN.UTF-8 LANGUAGE=zh_CN exec /usr/bin/df "$@"\n'
      : "#!/bin/sh\n/usr/bin/df \"$@\" | sed '1s/.*/文件系统                 1024的块     已用     可用 容量 挂载点/'\n", { mode: 0o755 });
    // The appliance: a login shell that refuses every command like a switch does, 'sh -s' included.
    const cli = path.join(tmp, 'appliance-cli');
    fs.writeFileSync(cli, "#!/bin/sh\necho \"% Invalid input detected at '^' marker.\"\nwhile IFS= read -r line; do echo \"% Invalid input detected at '^' marker.\"; done\nexit 0\n", { mode: 0o755 });
    // Those two hosts get their own /etc/passwd (an overlay, like the release files), so only they change.
    const odd = path.join(tmp, 'etc-odd');
    fs.mkdirSync(odd);
    fs.writeFileSync(path.join(odd, 'passwd'), fs.readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => {
      const f = l.split(':');
      if (f[0] === CLI_USER) f[6] = cli;
      if (f[0] === FALSE_USER) f[6] = '/bin/false';
      return f.join(':');
    }).join('\n'));

    const specs: HostSpec[] = DISTROS.map((d) => ({
      name: d.name, hostname: d.hostname, etcDir: path.join(FIXTURES, d.dir, 'etc'), etcRemove: d.debian ? [] : ['debian_version'],
      users: d.name === 'uos' ? [ZH_USER] : undefined,
      extraSshdConfig: d.name === 'uos'
        ? `Match User ${ZH_USER}\n  SetEnv LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN LOCPATH=${locDir} PATH=${zhBin}:/usr/local/bin:/usr/bin:/bin\n`
        : undefined,
    }));
    specs.push({ name: 'switch', hostname: 'core-sw01', etcDir: odd, users: [CLI_USER] });
    specs.push({ name: 'locked', hostname: 'locked01', etcDir: odd, users: [FALSE_USER] });
    [th, holes] = await Promise.all([startHosts(specs), startBlackholes()]);

    // Real PostgreSQL, Redis, nginx and MariaDB on the Debian host; a legacy app squatting on 8080 on
    // Rocky; CentOS without ss and netstat (a minimal install), Kylin SP2 without ss.
    [mw, squatter] = await Promise.all([
      startMiddleware(th.host('deb12')),
      occupyPort(th.host('rocky9'), 8080, { name: 'legacy-app' }),
      hideBinaries(th.host('c7'), ['ss', 'netstat']),
      hideBinaries(th.host('ky2'), ['ss']),
    ]);

    core = await createCore({ dataDir: path.join(tmp, 'data'), mode: 'cli', sshTimeoutMs: 4000 });
    api = createApiProxy(createDispatcher(core.api));
    siteId = (await api.sites.save({ name: 'Probe site' })).id;
    const key = { auth: 'key' as const, keyPath: th.clientKeyPath };
    const save = async (name: string, input: Omit<Parameters<OutpostApi['hosts']['save']>[0], 'siteId' | 'name'>) => {
      hostIds.set(name, (await api.hosts.save({ siteId, name, ...input })).id);
    };
    for (const h of th.hosts) {
      const at = { address: h.address, port: h.port };
      if (h.name === 'uos') await save(h.name, { ...at, user: ZH_USER, ...key });
      else if (h.name === 'u2204') await save(h.name, { ...at, user: th.users.password.user, auth: 'password', password: th.users.password.password, sudo: 'password' });
      else if (h.name === 'switch') await save(h.name, { ...at, user: CLI_USER, ...key });
      else if (h.name === 'locked') await save(h.name, { ...at, user: FALSE_USER, ...key });
      else await save(h.name, { ...at, user: th.users.nopass, ...key, sudo: 'nopasswd' });
    }
    await save('refused', { ...holes.refused, user: 'root', ...key });
    await save('timeout', { ...holes.timeout, user: 'root', ...key });
    if (holes.unreachable) await save('unreachable', { ...holes.unreachable, user: 'root', ...key });

    const t0 = performance.now();
    const { jobId } = await api.probe.run({ siteId });
    const job = await core.jobs.wait(jobId);
    probeSeconds = (performance.now() - t0) / 1000;
    expect(job.state).toBe('succeeded');
    const records = await api.probe.results({ siteId });
    facts = new Map([...hostIds].map(([name, id]) => [name, records.find((r) => r.hostId === id)!.facts]));
  }, 120_000);

  afterAll(async () => {
    await core?.close();
    await Promise.all([mw?.stop(), squatter?.stop()]);
    await Promise.all([th?.stop(), holes?.stop()]);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const f = (name: string) => facts.get(name)!;

  it('probes every host in one job, in parallel', () => {
    console.log(`probe of ${hostIds.size} hosts (${th.hosts.length} sshd, ${hostIds.size - th.hosts.length} dead): ${probeSeconds.toFixed(2)} s`);
    expect(facts.size).toBe(hostIds.size);
    // The slowest dead host (no ARP answer ~3 s, or the 4 s SSH timeout) bounds the job, not the sum.
    expect(probeSeconds).toBeLessThan(15);
  });

  it('reads each distribution from its own release files, with its own hostname', () => {
    for (const d of DISTROS) {
      const x = f(d.name);
      expect({ host: d.name, ok: x.ok, error: x.error }).toEqual({ host: d.name, ok: true, error: null });
      expect(x.hostname).toBe(d.hostname);
      expect(x.os, d.name).toMatchObject({ id: d.id, versionId: d.versionId, family: d.family, source: 'os-release' });
      expect(x.os!.prettyName, d.name).toMatch(d.pretty);
    }
    expect(f('ky1').os?.servicePack).toBe('SP1');
    expect(f('ky2').os?.servicePack).toBe('SP2');
  });

  it('gets the machine facts right on every host', async () => {
    const mounts = (await th.host('rhel8').exec('cat /proc/self/mounts')).stdout;
    const cgroupInHosts = /^\S+ \/sys\/fs\/cgroup cgroup2 /m.test(mounts) ? 'v2' : / cgroup2 /.test(mounts) && / cgroup /.test(mounts) ? 'hybrid' : / cgroup /.test(mounts) ? 'v1' : null;
    const kernel = os.release();
    const root = fs.statfsSync('/');
    for (const d of DISTROS) {
      const x = f(d.name);
      expect(x.kernel, d.name).toBe(kernel);
      expect(x.arch).toBe(process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : x.arch);
      expect(x.cpu?.count).toBe(os.cpus().length);
      expect(x.memory?.totalBytes).toBe(os.totalmem());
      const slash = x.mounts.find((m) => m.mountpoint === '/');
      expect(slash, d.name).toBeDefined();
      expect(Math.abs(slash!.totalBytes - root.blocks * root.bsize)).toBeLessThanOrEqual(1024);
      expect(slash!.inodesTotal).toBe(root.files);
      expect(x.blockDevices.length).toBeGreaterThan(0);
      expect(x.sysctls['vm.max_map_count']).toBe(fs.readFileSync('/proc/sys/vm/max_map_count', 'utf8').trim());
      expect(Object.keys(x.kernelModules)).toEqual(expect.arrayContaining(['overlay', 'br_netfilter']));
      // `ip netns exec` mounts a fresh /sys for the namespace, which hides the cgroup mounts from the hosts.
      expect(x.cgroupVersion).toBe(cgroupInHosts);
      expect(Math.abs(x.time.skewSeconds!)).toBeLessThan(2);
      // Hosts whose login user has no sudo see only their own processes' sockets.
      const sshd = x.ports.find((p) => p.proto === 'tcp' && p.port === 22);
      expect(sshd, d.name).toMatchObject({ address: '0.0.0.0' });
      if (d.name !== 'uos') expect(sshd!.process, d.name).toMatch(/^sshd/);
    }
    // Through sudo: root; with a password for sudo on Ubuntu, none on the others.
    expect(f('u2204').sudo).toMatchObject({ uid: 0, status: 'root' });
    expect(f('rocky9').sudo).toMatchObject({ uid: 0, status: 'root', user: 'root' });
    expect(f('uos').sudo).toMatchObject({ status: 'password', user: ZH_USER });
  });

  it('finds the middleware running on the Debian host, with versions and owning processes', () => {
    const x = f('deb12');
    const want: Array<[string, Service, number, string]> = [
      ['postgresql', mw.postgresql, 5432, 'postgres'], ['redis', mw.redis, 6379, 'redis-server'],
      ['nginx', mw.nginx, 80, 'nginx'], ['mariadb', mw.mariadb, 3306, 'mariadbd'],
    ];
    for (const [name, svc, port, proc] of want) {
      const m = x.middleware.find((y) => y.name === name);
      expect(m, name).toMatchObject({ running: true, port, package: expect.any(String) });
      expect(m!.version, name).toMatch(new RegExp(`^${escapeRx(svc.version)}`));
      expect(m!.path, name).toBeTruthy();
      expect(x.ports.find((p) => p.proto === 'tcp' && p.port === port)?.process).toBe(proc);
    }
    // Elsewhere the same packages are installed (the hosts share this machine's /usr) but nothing listens.
    const pg = f('rhel8').middleware.find((m) => m.name === 'postgresql');
    expect(pg).toMatchObject({ port: null, ports: [], version: expect.stringMatching(new RegExp(`^${escapeRx(mw.postgresql.version)}`)) });
  });

  it('falls back to netstat without ss, and to /proc/net without either, still naming owners', () => {
    expect(f('ky2').portsSource).toBe('netstat');
    expect(f('c7').portsSource).toBe('proc');
    for (const name of ['ky2', 'c7']) {
      expect(f(name).ports.find((p) => p.proto === 'tcp' && p.port === 22), name).toMatchObject({ address: '0.0.0.0', process: 'sshd', pid: expect.any(Number) });
    }
    expect(f('rocky9').portsSource).toBe('ss');
    expect(f('rocky9').ports.find((p) => p.port === 8080)).toMatchObject({ process: 'legacy-app', pid: squatter.pid });
  });

  it('in a Chinese user environment: English from the script, the localized df still read', () => {
    const x = f('uos');
    expect(x.ok).toBe(true);
    expect(x.raw).toContain('文件系统'); // the df that ignores LC_ALL really spoke Chinese
    expect(x.mounts.find((m) => m.mountpoint === '/')?.totalBytes).toBe(f('deb12').mounts.find((m) => m.mountpoint === '/')?.totalBytes);
    expect(x.os).toMatchObject({ id: 'uos', family: 'debian' });
    expect(x.time.epoch).toBeGreaterThan(1_700_000_000);
    expect(x.sysctls['net.ipv4.ip_forward']).toMatch(/^[01]$/);
    expect(x.warnings.filter((w) => !['services', 'timedatectl.show'].includes(w.section))).toEqual([]);
    if (zhLocale) expect(x.raw).toMatch(/1024的块|1K-块/);
  });

  it('gives a clear failed entry, never an exception, for hosts that cannot be probed', () => {
    const dead: Array<[string, string]> = [['refused', 'ssh.connection_refused'], ['timeout', 'ssh.timeout']];
    if (holes.unreachable) dead.push(['unreachable', 'ssh.unreachable']);
    for (const [name, code] of dead) {
      expect(f(name), name).toMatchObject({ ok: false, error: { code }, os: null, ports: [] });
      expect(f(name).error!.message.length, name).toBeGreaterThan(20);
    }
    // A login shell that is not a shell: the script never ran; what it said instead is kept.
    const sw = f('switch');
    expect(sw).toMatchObject({ ok: false, error: { code: 'probe.no_output' } });
    expect(sw.error!.message).toContain('% Invalid input');
    expect(sw.error!.message).toMatch(/POSIX shell/);
    expect(sw.raw).toContain('% Invalid input detected');
    const locked = f('locked');
    expect(locked).toMatchObject({ ok: false, error: { code: 'probe.no_output', details: { exitCode: 1 } } });
    expect(locked.error!.message).toMatch(/exit code 1/);
  });

  it('preflight: hostOS, the taken port (naming the process), middleware versions and unique hostnames', () => {
    const spec = parsePreflightSpec(`apiVersion: troubleshoot.sh/v1beta2
kind: HostPreflight
metadata: { name: probe-integration }
spec:
  collectors:
    - tcpPortStatus: { collectorName: ingress, port: 8080 }
  analyzers:
    - hostOS:
        checkName: Supported OS
        outcomes:
          - fail: { when: "codename == Tercel", message: Kylin V10 SP1 is not supported; upgrade to SP2 or later. }
          - warn: { when: "centos >= 7", message: CentOS 7 is end of life. }
          - pass: { when: "family == rhel && version >= 8", message: Supported RHEL-family release. }
          - pass: { when: "ubuntu >= 22.04", message: Supported Ubuntu. }
          - pass: { when: "family == debian && version >= 12", message: Supported Debian-family release. }
          - fail: { message: Unsupported OS. }
    - tcpPortStatus:
        checkName: Ingress port 8080
        collectorName: ingress
        outcomes:
          - fail: { when: address-in-use, message: Port 8080 is taken. }
          - pass: { when: connected, message: Port 8080 is free. }
          - fail: { message: Port 8080 cannot be checked. }
`);
    const all = [...facts.values()];
    const deb = f('deb12').host;
    const report = runPreflight({
      spec,
      facts: all,
      requirements: {
        ports: [{ port: 8080, purpose: 'ingress' }],
        middleware: [
          { name: 'postgresql', version: '>= 13', scope: 'every', hosts: [deb], running: true },
          { name: 'mysql', version: '>= 10.5', scope: 'every', hosts: [deb], running: true }, // MariaDB counts as MySQL
          { name: 'redis', version: '>= 99' },
        ],
      },
    });
    const os = (name: string) => byId(resultsOf(report, f(name).host), 'ts.0.hostOS');
    expect(os('ky1')).toMatchObject({ status: 'fail', message: 'Kylin V10 SP1 is not supported; upgrade to SP2 or later.' });
    expect(os('c7')).toMatchObject({ status: 'warn' });
    for (const name of ['rhel8', 'rocky9', 'ky2', 'uose', 'oe', 'u2204', 'deb12', 'uos']) expect(os(name)?.status, name).toBe('pass');

    const rocky = resultsOf(report, f('rocky9').host);
    expect(byId(rocky, 'ts.1.tcpPortStatus')).toMatchObject({ status: 'fail', message: 'Port 8080 is taken.' });
    const port = byId(rocky, 'outpost.port.tcp.8080')!;
    expect(port.status).toBe('fail');
    expect(text(port.message)).toContain('legacy-app');
    expect(text(port.message)).toContain(`pid ${squatter.pid}`);
    expect(byId(resultsOf(report, f('rhel8').host), 'outpost.port.tcp.8080')?.status).toBe('pass');
    expect(byId(resultsOf(report, f('c7').host), 'outpost.port.tcp.8080')?.status).toBe('pass'); // via /proc/net

    const debResults = resultsOf(report, deb);
    expect(byId(debResults, 'outpost.middleware.postgresql')).toMatchObject({ status: 'pass' });
    expect(text(byId(debResults, 'outpost.middleware.postgresql')!.message)).toContain(`postgresql ${mw.postgresql.version}`);
    expect(text(byId(debResults, 'outpost.middleware.mysql')!.message)).toMatch(/^MariaDB 10\./);
    expect(byId(debResults, 'outpost.middleware.mysql')?.status).toBe('pass');
    const redis = report.site.find((r) => r.id === 'outpost.middleware.redis')!;
    expect(redis.status).toBe('fail');
    expect(text(redis.message)).toContain(mw.redis.version);

    const dup = byId(resultsOf(report, f('ky1').host), 'outpost.hostname')!;
    expect(dup.status).toBe('fail');
    expect(text(dup.message)).toContain(f('ky2').host);
    for (const name of ['c7', 'rhel8', 'rocky9', 'deb12', 'oe']) expect(byId(resultsOf(report, f(name).host), 'outpost.hostname')?.status, name).toBe('pass');
    // Hosts the probe could not read are an error row with the reason, not missing from the report.
    for (const name of ['switch', 'refused']) {
      expect(resultsOf(report, f(name).host)).toEqual([expect.objectContaining({ id: 'outpost.probe', status: 'error' })]);
    }
  });

  it('outpost probe --json: one object per host in the documented shape; exit 1 when a host failed', async () => {
    const home = path.join(tmp, 'cli-home');
    const rocky = th.host('rocky9');
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['bin/outpost.mjs', 'probe', `${th.users.nopass}@${rocky.address}`, `root@${holes.refused.address}:${holes.refused.port}`, '-i', th.clientKeyPath, '--sudo', '--json'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, OUTPOST_HOME: home, OUTPOST_LANG: 'en' }, timeout: 60_000,
    });
    console.log(`outpost probe (CLI, 2 hosts): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    expect(r.status, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as HostFacts[];
    expect(out).toHaveLength(2);
    for (const x of out) {
      expect(Object.keys(x)).toEqual(expect.arrayContaining(['host', 'ok', 'error', 'os', 'kernel', 'arch', 'cpu', 'memory', 'mounts', 'ports', 'middleware', 'raw']));
    }
    const [good, bad] = out;
    expect(good).toMatchObject({
      host: rocky.address, ok: true, error: null,
      kernel: os.release(), cpu: { count: os.cpus().length }, memory: { totalBytes: os.totalmem() },
    });
    expect(good.os).toMatchObject({ id: 'rocky', versionId: '9.3', prettyName: expect.stringMatching(/Rocky Linux 9\.3/), family: 'rhel' });
    expect(good.mounts.some((m) => m.mountpoint === '/')).toBe(true);
    expect(good.ports).toContainEqual(expect.objectContaining({ port: 8080, process: 'legacy-app' }));
    expect(good.middleware.map((m) => m.name)).toEqual(expect.arrayContaining(['postgresql', 'redis', 'nginx', 'mariadb']));
    expect(good.raw).toMatch(/^@@OUTPOST:[A-Za-z0-9]+:probe:\d+@@/m);
    expect(bad).toMatchObject({ host: `${holes.refused.address}:${holes.refused.port}`, ok: false, error: { code: 'ssh.connection_refused', message: expect.any(String) }, os: null, middleware: [] });
  });
});
