import { spawnSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeOutput } from './parse';
import { probeHosts } from './probe-hosts';
import { buildProbeScript, MODULES_AWK, shq } from './script';
import { splitSections } from './sections';
import { hasShell, runLocal } from './test-helpers';
import type { HostFacts } from './types';

let tcp: Server;
let udp: UdpSocket;
let tcpPort = 0;
let udpPort = 0;

beforeAll(async () => {
  // Something of our own listening, so the ports section has a known answer on any machine.
  tcp = createServer();
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as { port: number }).port;
  udp = createSocket('udp4');
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  udpPort = udp.address().port;
});
afterAll(() => { tcp?.close(); udp?.close(); });

const SHELLS = (['dash', 'busybox', 'bash'] as const).filter((s) => hasShell(s));

describe('the probe script', () => {
  it('is POSIX sh: every available shell accepts its syntax', () => {
    const script = buildProbeScript({ middleware: [{ name: 'etcd', commands: ["etcd --version | sed 's/x/y/'"] }], runs: [{ name: 'k', command: 'uname', args: ["-a", "it's"] }], copies: [{ name: 'h', path: '/etc/hosts' }] });
    for (const sh of SHELLS) {
      const args = sh === 'busybox' ? ['sh', '-n'] : sh === 'bash' ? ['--posix', '-n'] : ['-n'];
      const r = spawnSync(sh, args, { input: script, encoding: 'utf8' });
      expect(r.status, `${sh}: ${r.stderr}`).toBe(0);
    }
    expect(script).not.toMatch(/\[\[|\bfunction\s|\blocal\s|\$'|<<<|\bdeclare\b|\bsource\s/);
  });

  it('quotes names and refuses odd ones', () => {
    expect(shq("it's")).toBe(`'it'\\''s'`);
    expect(() => buildProbeScript({ kernelModules: ['overlay; rm -rf /'] })).toThrow(/invalid kernel module/);
    expect(() => buildProbeScript({ sysctls: ['$(reboot)'] })).toThrow(/invalid sysctl/);
    expect(() => buildProbeScript({ copies: [{ name: 'x', path: 'relative' }] })).toThrow(/absolute/);
  });

  for (const sh of SHELLS) {
    it(`runs under ${sh} on this Debian machine and parses to sane facts`, async () => {
      const script = buildProbeScript({ runs: [{ name: 'uname', command: 'uname', args: ['-s'] }], copies: [{ name: 'hostname', path: '/etc/hostname' }] });
      const sentAt = Date.now();
      const r = await runLocal(script, { shell: sh });
      const receivedAt = Date.now();
      const f = parseProbeOutput(r.stdout, { host: 'local', sentAt, receivedAt });
      assertSane(f, sentAt, receivedAt);
      expect(f.files['host-collectors/run-host/uname.txt']).toBe('Linux');
    });
  }

  it('falls back to /proc/net when neither ss nor netstat exists, and still finds owners', async () => {
    const r = await runLocal(buildProbeScript(), { env: { OUTPOST_SKIP_TOOLS: 'ss netstat' } });
    const f = parseProbeOutput(r.stdout, { host: 'local' });
    expect(f.portsSource).toBe('proc');
    expect(f.ports).toContainEqual(expect.objectContaining({ proto: 'tcp', address: '127.0.0.1', port: tcpPort }));
    expect(f.ports).toContainEqual(expect.objectContaining({ proto: 'udp', address: '127.0.0.1', port: udpPort }));
    if (process.getuid?.() === 0) {
      expect(f.ports.find((p) => p.port === tcpPort)).toMatchObject({ pid: process.pid, process: expect.stringMatching(/node|vitest/) });
    }
  });

  it('falls back to netstat when ss is missing', async () => {
    const r = await runLocal(buildProbeScript(), { env: { OUTPOST_SKIP_TOOLS: 'ss' } });
    const f = parseProbeOutput(r.stdout, { host: 'local' });
    expect(['netstat', 'proc']).toContain(f.portsSource); // netstat where net-tools is installed
    expect(f.ports.some((p) => p.port === tcpPort)).toBe(true);
  });

  it('module states from /proc/modules, modules.builtin and modules.dep in one awk (gawk, mawk, busybox)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-mods-'));
    try {
      writeFileSync(join(dir, 'modules'), 'overlay 151552 0 - Live 0x0\nnf_conntrack 172032 1 - Live 0x0\n');
      writeFileSync(join(dir, 'modules.builtin'), 'kernel/net/ipv4/netfilter/ip_tables.ko\nkernel/fs/xt_overlay.ko\n');
      writeFileSync(join(dir, 'modules.dep'), [
        'kernel/net/bridge/br_netfilter.ko.xz: kernel/net/bridge/bridge.ko.xz',
        'kernel/net/bridge/bridge.ko.xz: kernel/net/802/stp.ko.xz kernel/net/llc/llc.ko.xz',
        'kernel/net/netfilter/ipvs/ip_vs_rr.ko.zst: kernel/net/netfilter/ipvs/ip_vs.ko.zst',
        'kernel/net/netfilter/ipvs/ip_vs.ko.zst: kernel/net/netfilter/nf_conntrack.ko',
        'kernel/drivers/net/vxlan/vxlan.ko:', '',
      ].join('\n'));
      const mods = 'overlay br_netfilter ip_tables nf_conntrack vxlan ip_vs ip-vs-rr ip_vs_wrr iptable_nat bridge';
      const awks = [['awk'], ['mawk'], ['busybox', 'awk']].filter(([a]) => hasShell(a));
      for (const awk of awks) {
        const r = spawnSync(awk[0], [...awk.slice(1), '-v', `mods=${mods}`, '-v', 'sm= iptable_nat ', '-v', `pm=${join(dir, 'modules')}`, MODULES_AWK,
          join(dir, 'modules'), join(dir, 'modules.builtin'), join(dir, 'modules.dep')], { encoding: 'utf8', input: '' });
        expect(r.stdout, awk.join(' ')).toBe([
          'overlay=loaded', 'br_netfilter=loadable', 'ip_tables=builtin', 'nf_conntrack=loaded', 'vxlan=loadable',
          'ip_vs=loadable', 'ip-vs-rr=loadable', 'ip_vs_wrr=absent', 'iptable_nat=builtin', 'bridge=loadable', '',
        ].join('\n'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to /sys/block without lsblk', async () => {
    const r = await runLocal(buildProbeScript(), { env: { OUTPOST_SKIP_TOOLS: 'lsblk' } });
    const f = parseProbeOutput(r.stdout, { host: 'local' });
    expect(r.stdout).toContain('#source=sysfs');
    const withLsblk = parseProbeOutput((await runLocal(buildProbeScript())).stdout, { host: 'local' });
    // /sys/block also lists idle loop devices lsblk hides; every device lsblk shows must be there, same size.
    for (const d of withLsblk.blockDevices) {
      expect(f.blockDevices.find((x) => x.kernelName === d.kernelName)?.sizeBytes, d.kernelName).toBe(d.sizeBytes);
    }
  });

  it('a failing or garbled section costs only that section', async () => {
    const r = await runLocal(buildProbeScript({ token: 'tok123' }));
    // Break three sections the way real hosts do: cut one off, fill one with garbage, drop one.
    let raw = r.stdout.replace(/@@OUTPOST:tok123:end:meminfo:0@@/, '');
    raw = raw.replace(/(@@OUTPOST:tok123:begin:df@@\n)[\s\S]*?(\n@@OUTPOST:tok123:end:df:)/, '$1\u0000\u0001 garbage ☃ not a df\n$2');
    raw = raw.replace(/@@OUTPOST:tok123:begin:cpu@@[\s\S]*?@@OUTPOST:tok123:end:cpu:\d+@@/, '');
    const f = parseProbeOutput(raw, { host: 'h' });
    expect(f.ok).toBe(true);
    expect(f.cpu).toBeNull();
    expect(f.mounts).toEqual([]);
    expect(f.os?.id).toBe('debian');
    expect(f.hostname).toBeTruthy();
    const sections = f.warnings.map((w) => w.section);
    expect(sections).toEqual(expect.arrayContaining(['cpu', 'df', 'meminfo']));
  });

  it('a file containing fake markers cannot open or close sections', () => {
    const raw = [
      '@@OUTPOST:realtok:probe:1@@',
      '@@OUTPOST:realtok:begin:copy:x:/etc/x@@',
      '@@OUTPOST:fake:end:copy:x:/etc/x:0@@',
      '@@OUTPOST:fake:begin:hostname@@',
      'evil',
      '@@OUTPOST:realtok:end:copy:x:/etc/x:0@@',
      '@@OUTPOST:realtok:done@@',
    ].join('\n');
    const s = splitSections(raw);
    expect(s.sections).toHaveLength(1);
    expect(s.sections[0].body).toContain('evil');
    expect(s.complete).toBe(true);
  });

  it('localized (zh_CN) output does not crash the parsers and yields a clear partial result', () => {
    const raw = `@@OUTPOST:t1:probe:1@@
@@OUTPOST:t1:begin:time.start@@
epoch=2024年 03月 29日 星期五 15:04:26 CST
@@OUTPOST:t1:end:time.start:0@@
@@OUTPOST:t1:begin:hostname@@
主机-01
@@OUTPOST:t1:end:hostname:0@@
@@OUTPOST:t1:begin:df@@
文件系统            1K-块    已用    可用 已用% 挂载点
/dev/mapper/klas-root 52403200 4194304 48208896 9% /
@@OUTPOST:t1:end:df:0@@
@@OUTPOST:t1:begin:timedatectl.status@@
                   时区：Asia/Shanghai (CST, +0800)
            NTP 已同步：是
@@OUTPOST:t1:end:timedatectl.status:0@@
@@OUTPOST:t1:begin:meminfo@@
内存总量: 很多
@@OUTPOST:t1:end:meminfo:0@@
@@OUTPOST:t1:done@@`;
    const f = parseProbeOutput(raw, { host: 'kylin', sentAt: 1_711_695_866_000, receivedAt: 1_711_695_867_000 });
    expect(f.ok).toBe(true);
    expect(f.hostname).toBe('主机-01');
    expect(f.mounts).toHaveLength(1);
    expect(f.mounts[0]).toMatchObject({ mountpoint: '/', totalBytes: 52403200 * 1024 });
    expect(f.time.epoch).toBeNull();
    expect(f.time.skewSeconds).toBeNull();
    expect(f.time.ntpSynced).toBeNull();
    expect(f.memory).toBeNull();
    const keys = f.warnings.map((w) => w.message.key);
    expect(keys).toContain('probe.warnings.ntpUnreadable');
    expect(keys).toContain('probe.warnings.missing');
    for (const w of f.warnings) expect(w.message.text).not.toMatch(/\{\{/);
  });

  it('no markers at all is a failed probe with the reason, not an exception', () => {
    const f = parseProbeOutput('sh: 1: Syntax error: "(" unexpected\n', { host: 'old-box', stderr: 'bash: line 1: sh: command not found' });
    expect(f).toMatchObject({ ok: false, error: { code: 'probe.no_output' } });
    expect(f.error!.message).toContain('Syntax error');
    // An appliance CLI answers on stdout; a disabled account says nothing and exits 1.
    const cli = parseProbeOutput("% Invalid input detected at '^' marker.\n", { host: 'sw1', exitCode: 0 });
    expect(cli.error!.message).toMatch(/answered "% Invalid input detected at '\^' marker\."\. Is it a POSIX shell\?/);
    const locked = parseProbeOutput('', { host: 'locked', exitCode: 1 });
    expect(locked.error).toMatchObject({ details: { exitCode: 1 }, message: expect.stringMatching(/printed nothing \(exit code 1\).*\/bin\/false/) });
  });

  it('asks the package database once, runs a binary no package owns, and starts no JVM where a release file names the version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outpost-fakebin-'));
    try {
      const bin = join(dir, 'bin');
      const jdk = join(dir, 'jdk');
      mkdirSync(bin);
      mkdirSync(join(jdk, 'bin'), { recursive: true });
      const exe = (file: string, body: string) => writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      // A package database that knows a MariaDB server and nothing else.
      exe(join(bin, 'dpkg-query'), `echo call >> ${dir}/dpkg-calls\nprintf 'mariadb-server\\t1:10.11.6-0+deb12u1\\tinstall ok installed\\n'`);
      // A tarball MySQL outside the package directories: only running it tells its version.
      exe(join(bin, 'mysqld'), `echo ran >> ${dir}/mysqld-ran\necho 'mysqld  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)'`);
      // A JDK: its release file says the version, so its java must not start.
      exe(join(jdk, 'bin', 'java'), `echo ran >> ${dir}/java-ran\necho 'openjdk version "0.0.1"' >&2`);
      writeFileSync(join(jdk, 'release'), 'IMPLEMENTOR="Outpost test"\nJAVA_VERSION="21.0.2"\n');
      const r = await runLocal(buildProbeScript(), { env: { PATH: `${bin}:${jdk}/bin:${process.env.PATH}` } });
      const f = parseProbeOutput(r.stdout, { host: 'local' });
      expect(readFileSync(join(dir, 'dpkg-calls'), 'utf8')).toBe('call\n');
      expect(readFileSync(join(dir, 'mysqld-ran'), 'utf8')).toBe('ran\n');
      expect(existsSync(join(dir, 'java-ran'))).toBe(false);
      expect(f.middleware).toEqual(expect.arrayContaining([
        expect.objectContaining({ name: 'mysql', version: '8.0.36', source: 'binary', path: join(bin, 'mysqld') }),
        expect.objectContaining({ name: 'mariadb', version: '10.11.6-0+deb12u1', source: 'package', package: 'mariadb-server' }),
        expect.objectContaining({ name: 'jdk', version: '21.0.2', source: 'binary', path: join(jdk, 'bin', 'java') }),
      ]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('computes clock skew from the midpoints of the run and the round trip', () => {
    const raw = `@@OUTPOST:t:probe:1@@
@@OUTPOST:t:begin:time.start@@
epoch=1700000000.0
@@OUTPOST:t:end:time.start:0@@
@@OUTPOST:t:begin:time.end@@
epoch=1700000002.0
@@OUTPOST:t:end:time.end:0@@
@@OUTPOST:t:done@@`;
    // Laptop: sent at …940.5 s, received at …943.5 s → midpoint …942; remote midpoint …0001 → +59 s.
    const f = parseProbeOutput(raw, { host: 'h', sentAt: 1_699_999_940_500, receivedAt: 1_699_999_943_500 });
    expect(f.time.skewSeconds).toBe(59);
  });
});

describe('probeHosts', () => {
  it('probes hosts in parallel with per-host progress; unreachable hosts are entries, not throws', async () => {
    const progress: Array<{ current: number; item?: string }> = [];
    const logs: string[] = [];
    const facts = await probeHosts(['h1', 'down', 'h2'], {
      concurrency: 2,
      exec: async (host, script) => {
        if (host === 'down') throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:22'), { code: 'ECONNREFUSED' });
        return runLocal(script);
      },
      ctx: { signal: new AbortController().signal, progress: (p) => progress.push(p), log: (l) => logs.push(l) },
    });
    expect(facts.map((f) => f.host)).toEqual(['h1', 'down', 'h2']);
    expect(facts[0].ok).toBe(true);
    expect(facts[1]).toMatchObject({ ok: false, error: { message: expect.stringContaining('ECONNREFUSED') } });
    expect(facts[2].os?.family).toBe('debian');
    expect(progress.at(-1)).toMatchObject({ current: 3, total: 3 });
    expect(progress.filter((p) => p.item).map((p) => p.item).sort()).toEqual(['down', 'h1', 'h2']);
    expect(logs.some((l) => l.includes('down') && l.includes('failed'))).toBe(true);
  });

  it('a cancelled probe throws instead of reporting hosts as failed', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(probeHosts(['h1'], { exec: async () => ({ stdout: '', stderr: '', code: 0 }), ctx: { signal: ac.signal, progress: () => {}, log: () => {} } })).rejects.toThrow();
  });
});

function assertSane(f: HostFacts, sentAt: number, receivedAt: number): void {
  expect(f.ok).toBe(true);
  expect(f.error).toBeNull();
  expect(f.warnings.filter((w) => !['timedatectl.show', 'services'].includes(w.section)).map((w) => w.message.text)).toEqual([]);
  expect(f.os).toMatchObject({ id: 'debian', family: 'debian', versionId: '12' });
  expect(f.hostname).toBeTruthy();
  expect(f.kernel).toMatch(/^\d+\.\d+/);
  expect(f.arch).toBe(process.arch === 'x64' ? 'x86_64' : f.arch);
  expect(f.cpu!.count).toBeGreaterThanOrEqual(1);
  if (f.arch === 'x86_64') expect(typeof f.cpu!.x86_64_v2).toBe('boolean');
  expect(f.memory!.totalBytes).toBeGreaterThan(256 * 1024 * 1024);
  expect(f.memory!.availableBytes).toBeLessThanOrEqual(f.memory!.totalBytes);
  const root = f.mounts.find((m) => m.mountpoint === '/');
  expect(root).toBeDefined();
  expect(root!.totalBytes).toBeGreaterThan(0);
  expect(root!.inodesTotal).toBeGreaterThan(0);
  expect(f.blockDevices.length).toBeGreaterThan(0);
  expect(f.portsSource).toBe('ss');
  expect(f.ports).toContainEqual(expect.objectContaining({ proto: 'tcp', address: '127.0.0.1', port: tcpPort }));
  expect(f.ports).toContainEqual(expect.objectContaining({ proto: 'udp', address: '127.0.0.1', port: udpPort }));
  expect(f.selinux?.mode).toBeDefined();
  expect(f.firewall).not.toBeNull();
  expect(f.time.epoch).toBeGreaterThan(sentAt / 1000 - 5);
  expect(Math.abs(f.time.skewSeconds!)).toBeLessThan(2 + (receivedAt - sentAt) / 1000);
  expect(f.time.timezone).toBeTruthy();
  expect(Object.keys(f.kernelModules)).toEqual(expect.arrayContaining(['overlay', 'br_netfilter']));
  // Exactly what the kernel says (dash reads builtins a byte at a time, which /proc/sys number files cut short).
  for (const k of ['vm.max_map_count', 'net.ipv4.ip_local_port_range', 'fs.file-max']) {
    expect(f.sysctls[k], k).toBe(readFileSync(`/proc/sys/${k.replace(/\./g, '/')}`, 'utf8').replace(/\n$/, ''));
  }
  expect(f.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
  expect(f.cgroupVersion).toMatch(/^(v1|v2|hybrid)$/);
  expect(f.sudo?.uid).toBe(process.getuid?.() ?? f.sudo?.uid);
  expect(f.containerRuntimes.map((r) => r.name)).toEqual(['docker', 'containerd']);
  expect(f.k3s).not.toBeNull();
  // Debian 12 here has the middleware the integration tests use installed (not necessarily running).
  const names = f.middleware.map((m) => m.name);
  for (const [name, rx] of [['postgresql', /^15\./], ['redis', /^7\./], ['nginx', /^1\./], ['mariadb', /^10\./]] as const) {
    if (names.includes(name)) expect(f.middleware.find((m) => m.name === name)!.version).toMatch(rx);
  }
  expect(f.raw).toContain('@@OUTPOST:');
}
