// Checks the test harness itself against real sshd, PAM, sudo and middleware, so later
// integration tests can trust what it hands them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canRunNamespaces,
  canStartHosts,
  haveSudo,
  mysqlHandshakeVersion,
  occupyPort,
  runOk,
  sshConnect,
  startBlackholes,
  startHosts,
  startMiddleware,
  tcpAnswer,
  tcpConnectable,
  type Blackholes,
  type TestHost,
  type TestHosts,
} from '../harness';

const hostsOk = canStartHosts();
const isolated = hostsOk && (await canRunNamespaces());
const whyNot = 'needs root and /usr/sbin/sshd';

const CENTOS_OS_RELEASE = `NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
`;

const keyLogin = (h: TestHost) => sshConnect(h, { username: h.users.key, privateKeyPath: h.clientKeyPath });

describe.skipIf(!hostsOk)(`ssh test hosts (${hostsOk ? (isolated ? 'namespaces' : 'loopback fallback') : whyNot})`, () => {
  let hs: TestHosts;
  let etcDir: string;

  beforeAll(async () => {
    etcDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opt-fixture-'));
    fs.writeFileSync(path.join(etcDir, 'os-release'), CENTOS_OS_RELEASE);
    fs.writeFileSync(path.join(etcDir, 'redhat-release'), 'CentOS Linux release 7.9.2009 (Core)\n');
    hs = await startHosts([
      { name: 'deb-a', hostname: 'opt-deb-a' },
      { name: 'deb-b', hostname: 'opt-deb-b' },
      { name: 'centos', hostname: 'opt-centos7', etcDir, etcRemove: ['debian_version'] },
    ]);
    console.log(`hosts up: setup ${hs.setupMs} ms, per host ${hs.hosts.map((h) => `${h.name} ${h.startMs} ms`).join(', ')}`);
  });

  afterAll(async () => {
    await hs?.stop();
    fs.rmSync(etcDir, { recursive: true, force: true });
  });

  it('each host answers key auth with its own hostname and /etc', async () => {
    const seen = [];
    for (const h of hs.hosts) {
      const s = await keyLogin(h);
      const r = await s.exec('hostname; cat /etc/os-release; test -e /etc/debian_version && echo deb || echo nodeb');
      s.end();
      expect(r.code).toBe(0);
      seen.push({ host: h, out: r.stdout });
    }
    if (!isolated) return; // the fallback shares this machine's hostname and /etc
    const [a, b, c] = seen;
    expect(a!.out.split('\n')[0]).toBe('opt-deb-a');
    expect(b!.out.split('\n')[0]).toBe('opt-deb-b');
    expect(c!.out.split('\n')[0]).toBe('opt-centos7');
    expect(a!.out).toContain('ID=debian');
    expect(a!.out.trim().endsWith('\ndeb')).toBe(true);
    expect(c!.out).toContain(CENTOS_OS_RELEASE.trim());
    expect(c!.out).not.toContain('ID=debian');
    expect(c!.out.trim().endsWith('\nnodeb')).toBe(true);
    // The overlay stays inside the host: this machine still sees Debian.
    expect(fs.readFileSync('/etc/os-release', 'utf8')).toContain('ID=debian');
    expect(fs.existsSync('/etc/debian_version')).toBe(true);
    expect((await hs.host('centos').exec('cat /etc/redhat-release')).stdout).toContain('CentOS Linux release 7.9');
  });

  it('hosts have distinct addresses and port 22 when isolated', () => {
    expect(new Set(hs.hosts.map((h) => h.address)).size).toBe(3);
    if (isolated) for (const h of hs.hosts) expect(h.port).toBe(22);
  });

  it("ssh2's hostVerifier sees the harness's fingerprint, which is ssh-keygen's", async () => {
    for (const h of hs.hosts) {
      const s = await keyLogin(h);
      s.end();
      expect(s.hostKeyFingerprint).toBe(h.hostKeyFingerprint);
      expect(await runOk('ssh-keygen', ['-lf', `${h.hostKeyPath}.pub`])).toContain(` ${h.hostKeyFingerprint} `);
    }
  });

  it('password login works for the password user, not for a wrong password or the key-only user', async () => {
    const h = hs.hosts[0]!;
    const s = await sshConnect(h, { username: h.users.password.user, password: h.users.password.password });
    expect((await s.exec('id -un')).stdout.trim()).toBe(h.users.password.user);
    s.end();
    await expect(sshConnect(h, { username: h.users.password.user, password: 'wrong' })).rejects.toMatchObject({ level: 'client-authentication' });
    await expect(sshConnect(h, { username: h.users.key, password: h.users.password.password })).rejects.toMatchObject({ level: 'client-authentication' });
  });

  it.skipIf(!haveSudo())('sudo needs the password for optpass, not for optnopass', async () => {
    const h = hs.host('centos'); // sudo must work under an /etc overlay too
    const pw = h.users.password.password;
    const p = await sshConnect(h, { username: h.users.password.user, password: pw });
    expect((await p.exec('sudo -n true')).code).not.toBe(0);
    const withPw = await p.exec(`echo ${pw} | sudo -S -p '' id -u`);
    expect(withPw).toMatchObject({ code: 0, stdout: '0\n' });
    expect(withPw.stderr).not.toMatch(/unable to resolve host/);
    expect((await p.exec('sudo -n true')).code).not.toBe(0); // no cached credentials
    p.end();
    const n = await sshConnect(h, { username: h.users.nopass, privateKeyPath: h.clientKeyPath });
    expect(await n.exec('sudo -n id -u')).toMatchObject({ code: 0, stdout: '0\n' });
    n.end();
  });

  it('exec runs as root inside the host', async () => {
    const h = hs.host('centos');
    const r = await h.exec('id -u; hostname; test -e /etc/debian_version && echo deb || echo nodeb');
    expect(r.stdout).toBe(isolated ? '0\nopt-centos7\nnodeb\n' : `0\n${os.hostname()}\ndeb\n`);
    await expect(h.exec('exit 3')).rejects.toThrow(/exited 3/);
    expect((await h.exec('exit 3', { check: false })).code).toBe(3);
  });

  it('regenerateHostKey serves a new key', async () => {
    const h = hs.hosts[1]!;
    const before = h.hostKeyFingerprint;
    const after = await h.regenerateHostKey();
    expect(after).not.toBe(before);
    expect(h.hostKeyFingerprint).toBe(after);
    const s = await keyLogin(h);
    s.end();
    expect(s.hostKeyFingerprint).toBe(after);
  });

  describe('middleware in one host', () => {
    let mw: Awaited<ReturnType<typeof startMiddleware>>;
    beforeAll(async () => {
      const t0 = performance.now();
      mw = await startMiddleware(hs.hosts[0]!);
      console.log(`middleware up in ${Math.round(performance.now() - t0)} ms`);
    });
    afterAll(() => mw?.stop());

    it('answers on its ports (the standard ones when isolated) from the root namespace, with plausible versions', async () => {
      const addr = hs.hosts[0]!.address;
      const { postgresql, redis, nginx, mariadb } = mw;
      if (isolated) expect([postgresql.port, redis.port, nginx.port, mariadb.port]).toEqual([5432, 6379, 80, 3306]);
      const ssl = await tcpAnswer(addr, postgresql.port, { send: Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]) });
      expect(ssl.toString()).toMatch(/^[SN]$/);
      expect((await tcpAnswer(addr, redis.port, { send: 'PING\r\n' })).toString()).toBe('+PONG\r\n');
      expect((await tcpAnswer(addr, nginx.port, { send: 'GET / HTTP/1.0\r\n\r\n', done: (b) => b.includes('outpost test nginx') })).toString()).toMatch(
        new RegExp(`^HTTP/1.1 200[^]*Server: nginx/${nginx.version.replace(/\./g, '\\.')}`),
      );
      const hello = await tcpAnswer(addr, mariadb.port, { done: (b) => b.length >= 4 && b.length >= 4 + b.readUIntLE(0, 3) });
      expect(mysqlHandshakeVersion(hello)).toContain(`${mariadb.version}-MariaDB`);

      expect(postgresql.version).toMatch(/^15\.\d+$/);
      expect(postgresql.packageVersion).toMatch(/^15\.\d+/);
      expect(redis.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(nginx.version).toMatch(/^1\.\d+\.\d+$/);
      expect(mariadb.version).toMatch(/^10\.\d+\.\d+$/);
    });

    it('occupyPort shows a named process in ss -tlnp, and stop frees the port', async () => {
      const h = hs.hosts[0]!;
      const l = await occupyPort(h, 8080, { name: 'java' });
      expect((await h.exec('ss -tlnpH sport = :8080')).stdout).toMatch(new RegExp(`users:\\(\\("java",pid=${l.pid},`));
      await l.stop();
      expect(await tcpConnectable(h.address, 8080)).toBe(false);
    });

    it('stop() ends every daemon', async () => {
      const pids = [mw.postgresql, mw.redis, mw.nginx, mw.mariadb].map((s) => s.pid);
      await mw.stop();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      for (const s of [mw.postgresql, mw.redis, mw.nginx, mw.mariadb]) expect(await tcpConnectable(s.address, s.port)).toBe(false);
    });
  });

  // Last: everything above uses the hosts.
  it('stop() leaves no namespace, veth, mount or process behind', async () => {
    const sshdPids = (await Promise.all(hs.hosts.map((h) => fs.promises.readFile(path.join(path.dirname(h.hostKeyPath), 'sshd.pid'), 'utf8').catch(() => '')))).map(Number);
    const runDir = hs.runDir;
    await hs.stop();
    await hs.stop(); // idempotent
    const netns = await runOk('ip', ['netns', 'list']);
    for (const h of hs.hosts) if (h.netns) expect(netns).not.toContain(h.netns);
    expect(await runOk('ip', ['-o', 'link', 'show'])).not.toMatch(new RegExp(`opt${process.pid.toString(36)}h`));
    expect(fs.readFileSync('/proc/self/mounts', 'utf8')).not.toContain(runDir);
    expect(fs.existsSync(runDir)).toBe(false);
    for (const pid of sshdPids.filter(Boolean)) expect(() => process.kill(pid, 0)).toThrow();
  });
});

describe.skipIf(!hostsOk)('blackholes', () => {
  let bh: Blackholes;
  beforeAll(async () => {
    bh = await startBlackholes();
  });
  afterAll(() => bh?.stop());

  const attempt = (ep: { address: string; port: number }, readyTimeoutMs = 1500) =>
    sshConnect(ep, { username: 'optkey', password: 'x', readyTimeoutMs }).then(
      (s) => {
        s.end();
        return 'connected';
      },
      (e: Error & { code?: string; level?: string }) => e.code ?? e.level ?? e.message,
    );

  it('refused, timeout, silent, http and banner-then-close fail the way they should', async () => {
    const [refused, timeout, silent, http, banner] = await Promise.all([
      attempt(bh.refused),
      attempt(bh.timeout),
      attempt(bh.silent),
      attempt(bh.http),
      attempt(bh.bannerThenClose),
    ]);
    expect(refused).toBe('ECONNREFUSED');
    expect(timeout).toBe('client-timeout');
    expect(silent).toBe('client-timeout');
    expect(http).not.toBe('connected');
    expect(banner).not.toBe('connected');
    if (isolated) expect(await tcpConnectable(bh.timeout.address, bh.timeout.port, 1000)).toBe(false);
  });

  it.skipIf(!isolated)('unreachable fails with EHOSTUNREACH', async () => {
    expect(await attempt(bh.unreachable!, 10_000)).toBe('EHOSTUNREACH');
  });
});
