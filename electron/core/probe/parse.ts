import type { ErrorInfo } from '../api/errors';
import { probeMsg } from './msg';
import { buildMounts, parseBlockDevices } from './parsers/disk';
import { parseMiddleware, parsePackages } from './parsers/middleware';
import { parseOs } from './parsers/os';
import { parseAddresses, parseNetstat, parseProcNet, parseSs } from './parsers/ports';
import {
  parseCgroup, parseClock, parseCpu, parseEpoch, parseFirewall, parseMeminfo, parseModules, parseProcesses,
  parseRuntimes, parseSelinux, parseServices, parseSudo, parseSysctls,
} from './parsers/system';
import type { ExtraMiddleware } from './script';
import { parseKv, splitSections, type Section } from './sections';
import type { HostFacts, ProbeWarning } from './types';

export interface ParseContext {
  /** The host key the caller uses (address or inventory name). */
  host: string;
  /** Laptop time when the script was sent and when its output came back (ms since epoch or Date). */
  sentAt?: number | Date;
  receivedAt?: number | Date;
  /** The bundle's extra middleware, so their ports and processes count as running. */
  middleware?: readonly ExtraMiddleware[];
  stderr?: string;
  /** Exit status of the remote shell, for the message when the script never ran. */
  exitCode?: number | null;
}

/** Sections every probe run should produce; a missing one becomes a warning, never an exception. */
const EXPECTED = ['time.start', 'meta', 'hostname', 'uname', 'cpu', 'meminfo', 'df', 'df.inodes', 'mounts', 'lsblk', 'ports', 'procs', 'selinux', 'firewall', 'clock', 'modules', 'sysctl', 'cgroup', 'runtimes', 'sudo'];

const ms = (t: number | Date | undefined): number | null => (t === undefined ? null : t instanceof Date ? t.getTime() : t);

/** A HostFacts with nothing known yet: the shape every failure path returns. */
export function emptyFacts(host: string, error: ErrorInfo | null = null, raw = ''): HostFacts {
  return {
    host, ok: error === null, error, probedAt: new Date().toISOString(), durationMs: null, scriptVersion: null,
    hostname: null, os: null, kernel: null, arch: null, cpu: null, memory: null, swap: null, mounts: [], blockDevices: [],
    ports: [], portsSource: null, addresses: [], selinux: null, firewall: null,
    time: { epoch: null, skewSeconds: null, ntpSynced: null, ntpActive: null, timezone: null, utcOffset: null },
    kernelModules: {}, sysctls: {}, cgroupVersion: null, containerRuntimes: [], k3s: null, sudo: null, middleware: [],
    services: null, processes: [], files: {}, warnings: [], raw,
  };
}

/**
 * Turns the probe script's output into HostFacts. Each section is parsed on its own: a section that
 * is missing, failed, timed out or cannot be read becomes a warning and an empty field, so a host
 * with a broken `df` or a Chinese-only `timedatectl` still yields everything else.
 */
export function parseProbeOutput(raw: string, ctx: ParseContext): HostFacts {
  const split = splitSections(raw);
  const sentAt = ms(ctx.sentAt);
  const receivedAt = ms(ctx.receivedAt);
  if (!split.token) {
    // The script never ran: say what came back instead (an appliance CLI's complaint, a nologin
    // message) or, when nothing did, how the shell ended.
    const said = `${raw}\n${ctx.stderr ?? ''}`.split('\n').map((l) => l.trim()).find(Boolean);
    const exit = ctx.exitCode === undefined || ctx.exitCode === null ? '' : ` (exit code ${ctx.exitCode})`;
    const message = said
      ? `${ctx.host}: the probe script printed nothing Outpost can read${exit}; the login shell answered "${said.slice(0, 200)}". Is it a POSIX shell?`
      : `${ctx.host}: the probe script printed nothing${exit}. The account's login shell may be disabled (/bin/false, nologin) or not a POSIX shell.`;
    const f = emptyFacts(ctx.host, { code: 'probe.no_output', message, details: { host: ctx.host, stderr: (ctx.stderr ?? '').slice(0, 2000), output: raw.slice(0, 2000), ...(ctx.exitCode !== undefined ? { exitCode: ctx.exitCode } : {}) } }, raw);
    f.ok = false;
    if (ctx.stderr) f.stderr = ctx.stderr;
    return f;
  }
  const facts = emptyFacts(ctx.host, null, raw);
  if (ctx.stderr) facts.stderr = ctx.stderr;
  if (sentAt !== null) facts.probedAt = new Date(sentAt).toISOString();
  if (sentAt !== null && receivedAt !== null) facts.durationMs = receivedAt - sentAt;
  facts.scriptVersion = split.version;
  const warnings: ProbeWarning[] = facts.warnings;
  const byName = new Map<string, Section>();
  for (const s of split.sections) byName.set(s.name, s);
  const body = (n: string) => byName.get(n)?.body;
  const warn = (section: string, path: string, params: Record<string, string | number> = {}) =>
    warnings.push({ section, message: probeMsg(path, { section, ...params }) });

  if (!split.complete) warn('probe', 'warnings.incomplete');
  for (const name of EXPECTED) {
    const s = byName.get(name);
    if (!s) warn(name, 'warnings.missing');
    else if (s.rc === null) warn(name, 'warnings.cutOff');
    else if (s.rc === 124 || s.rc === 143) warn(name, 'warnings.timedOut');
  }

  /** Runs one parser; an exception costs only that field. */
  const step = <T>(section: string, fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      warn(section, 'warnings.unreadable', { reason: e instanceof Error ? e.message : String(e) });
      return fallback;
    }
  };

  const meta = parseKv(body('meta') ?? '');
  const pms = meta.all('pm').filter((p): p is 'rpm' | 'dpkg' => p === 'rpm' || p === 'dpkg');
  const procMap = step('procs', () => parseProcesses(body('procs') ?? ''), new Map<number, string>());
  const procNames = new Set(procMap.values());
  facts.processes = [...procNames].filter((p) => !/^(kworker|ksoftirqd|migration|rcu_|cpuhp|idle_inject|watchdog|irq\/)/.test(p)).sort();

  facts.hostname = (body('hostname') ?? '').split('\n')[0].trim() || null;
  const un = parseKv(body('uname') ?? '');
  facts.kernel = un.get('kernel') || null;
  facts.arch = un.get('arch') || null;

  facts.os = step('os', () => parseOs({
    osRelease: body('file:/etc/os-release') ?? body('file:/usr/lib/os-release'),
    redhatRelease: body('file:/etc/redhat-release'),
    systemRelease: body('file:/etc/system-release'),
    centosRelease: body('file:/etc/centos-release'),
    kylinRelease: body('file:/etc/kylin-release'),
    openEulerRelease: body('file:/etc/openEuler-release'),
    lsbRelease: body('file:/etc/lsb-release'),
    debianVersion: body('file:/etc/debian_version'),
    productInfo: body('file:/etc/.productinfo'),
    packageManagers: pms,
  }), null);
  if (!facts.os) warn('os', 'warnings.osUnknown');

  if (body('cpu') !== undefined) {
    facts.cpu = step('cpu', () => parseCpu(body('cpu')!, facts.arch), null);
    if (!facts.cpu) warn('cpu', 'warnings.empty');
  }
  if (body('meminfo') !== undefined) {
    const m = step('meminfo', () => parseMeminfo(body('meminfo')!), { memory: null, swap: null });
    facts.memory = m.memory;
    facts.swap = m.swap;
    if (!m.memory) warn('meminfo', 'warnings.empty');
  }
  if (body('df') !== undefined) {
    const r = step('df', () => buildMounts(body('df') ?? null, body('df.inodes') ?? null, body('mounts') ?? null), { mounts: [], skipped: 0 });
    facts.mounts = r.mounts;
    if (!r.mounts.length) warn('df', 'warnings.empty');
    else if (r.skipped > 1) warn('df', 'warnings.partial', { skipped: r.skipped - 1 });
  }
  if (body('lsblk') !== undefined) facts.blockDevices = step('lsblk', () => parseBlockDevices(body('lsblk')!, body('mounts') ?? null), []);

  const portsBody = body('ports');
  if (portsBody !== undefined) {
    const lines = portsBody.split('\n');
    const sources = lines.filter((l) => l.startsWith('#source=')).map((l) => l.slice(8).trim());
    const src = sources.at(-1) as HostFacts['portsSource'] | undefined;
    const after = (marker: string) => portsBody.slice(portsBody.lastIndexOf(marker) + marker.length);
    facts.portsSource = src ?? null;
    facts.ports = step('ports', () => {
      if (src === 'proc') return parseProcNet(after('#source=proc'), procMap);
      // netstat names a process after its argv[0] ('sshd: /usr/sbin'), ss after its comm ('sshd'): the
      // process list gives every source the comm.
      if (src === 'netstat') return parseNetstat(after('#source=netstat')).map((p) => (p.pid !== null && procMap.has(p.pid) ? { ...p, process: procMap.get(p.pid)! } : p));
      if (src === 'ss') return parseSs(after('#source=ss'));
      return [];
    }, []);
    if (!src) warn('ports', 'warnings.empty');
  }
  facts.addresses = step('addr', () => parseAddresses(body('addr') ?? ''), []);

  if (body('selinux') !== undefined) facts.selinux = step('selinux', () => parseSelinux(body('selinux')!), null);
  if (body('firewall') !== undefined) facts.firewall = step('firewall', () => parseFirewall(body('firewall')!, procNames), null);

  const start = parseEpoch(body('time.start'));
  const end = parseEpoch(body('time.end'));
  facts.time.epoch = start;
  if (start !== null && sentAt !== null && receivedAt !== null) {
    // The remote midpoint of the script pairs with the laptop midpoint of the round trip, so the
    // script's own run time and the network delay cancel out (to within their asymmetry).
    const remoteMid = end !== null && end >= start ? (start + end) / 2 : start;
    const localMid = (sentAt + receivedAt) / 2000;
    facts.time.skewSeconds = Math.round((remoteMid - localMid) * 1000) / 1000;
  }
  const clock = step('clock', () => parseClock({
    clock: body('clock'), timedatectlShow: body('timedatectl.show'), timedatectlStatus: body('timedatectl.status'),
    chronyc: body('chronyc'), processes: procNames,
  }), { timezone: null, utcOffset: null, ntpSynced: null, ntpActive: null });
  Object.assign(facts.time, clock);
  // Only output that ran fine and still said nothing we understood is worth a warning ('not booted with
  // systemd' is an answer: there is no timedatectl to ask).
  const ranOk = (n: string) => byName.get(n)?.rc === 0 && !!byName.get(n)?.body.trim();
  if (clock.ntpSynced === null && (ranOk('timedatectl.status') || ranOk('chronyc'))) warn('clock', 'warnings.ntpUnreadable');

  facts.kernelModules = step('modules', () => parseModules(body('modules') ?? ''), {});
  facts.sysctls = step('sysctl', () => parseSysctls(body('sysctl') ?? ''), {});
  if (body('cgroup') !== undefined) facts.cgroupVersion = step('cgroup', () => parseCgroup(body('cgroup')!), null);
  if (body('runtimes') !== undefined) {
    const r = step('runtimes', () => parseRuntimes(body('runtimes')!, procNames, parsePackages(body('pkg') ?? '')), null);
    if (r) { facts.containerRuntimes = r.runtimes; facts.k3s = r.k3s; }
  }
  if (body('sudo') !== undefined) facts.sudo = step('sudo', () => parseSudo(body('sudo')!, body('meta')), null);
  const svc = byName.get('services');
  if (svc) facts.services = svc.rc === 0 || svc.body.trim() ? step('services', () => parseServices(svc.body), null) : null;
  if (facts.services && facts.services.length === 0 && /not been booted with systemd|Failed to connect to bus/i.test(svc!.body)) facts.services = null;

  facts.middleware = step('middleware', () => parseMiddleware({
    sections: new Map(split.sections.filter((s) => s.name.startsWith('mw') || s.name === 'pkg').map((s) => [s.name, s.body])),
    ports: facts.ports, processes: procNames, extra: ctx.middleware,
  }), []);

  // troubleshoot names run output host-collectors/run-host/<name>.txt; copies keep their file name.
  for (const s of split.sections) {
    if (s.name.startsWith('run:')) facts.files[`host-collectors/run-host/${s.name.slice(4)}.txt`] = s.body;
    if (s.name.startsWith('copy:')) {
      const [, name, ...p] = s.name.split(':');
      const path = p.join(':');
      facts.files[`host-collectors/${name}/${path.split('/').pop()}`] = s.body;
    }
  }
  return facts;
}
