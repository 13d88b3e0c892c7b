import { parseKv } from '../sections';
import type {
  CgroupVersion, ContainerRuntime, CpuInfo, FirewallInfo, FirewallName, K3sInfo, KernelModuleStatus, MemoryInfo,
  SelinuxInfo, SelinuxMode, ServiceUnit, SudoInfo, SwapInfo,
} from '../types';

/** troubleshoot's x86-64-v2 list (pkg/analyze/host_cpu.go), from the x86-64 psABI. */
export const X86_64_V2_FLAGS = ['cx16', 'lahf_lm', 'popcnt', 'sse4_1', 'sse4_2', 'ssse3'];

function int(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number.parseInt(s.trim(), 10);
  return Number.isFinite(n) ? n : null;
}

/** The script's cpu section: counts, then the first processor block of /proc/cpuinfo. */
export function parseCpu(body: string, arch: string | null): CpuInfo | null {
  const [head, block = ''] = body.split(/^---$/m);
  const kv = parseKv(head);
  const fields = new Map<string, string>();
  for (const line of block.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const count = int(kv.get('count')) || int(kv.get('nproc'));
  if (!count) return null;
  const flagsText = fields.get('flags') ?? fields.get('features') ?? '';
  const flags = flagsText.split(/\s+/).filter(Boolean);
  const sockets = int(kv.get('sockets'));
  const coresPerSocket = int(fields.get('cpu cores'));
  const isX86 = arch ? /^(x86_64|amd64|i[3-6]86)$/.test(arch) : fields.has('flags');
  return {
    count,
    physical: sockets && coresPerSocket ? sockets * coresPerSocket : null,
    x86_64_v2: isX86 && flags.length ? X86_64_V2_FLAGS.every((f) => flags.includes(f)) : null,
    model: fields.get('model name') ?? fields.get('cpu model') ?? fields.get('model') ?? fields.get('hardware') ?? null,
    flags,
  };
}

/** /proc/meminfo; kernels before 3.14 have no MemAvailable, so free + buffers + cache stands in. */
export function parseMeminfo(body: string): { memory: MemoryInfo | null; swap: SwapInfo | null } {
  const kb = new Map<string, number>();
  for (const line of body.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1], Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal');
  const avail = kb.get('MemAvailable') ?? ((kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0));
  const swapTotal = kb.get('SwapTotal');
  return {
    memory: total !== undefined ? { totalBytes: total, availableBytes: avail } : null,
    swap: swapTotal !== undefined ? { totalBytes: swapTotal, freeBytes: kb.get('SwapFree') ?? 0 } : null,
  };
}

function selinuxWord(s: string | undefined): SelinuxMode | null {
  const v = (s ?? '').trim().toLowerCase();
  if (v === 'enforcing') return 'enforcing';
  if (v === 'permissive') return 'permissive';
  if (v === 'disabled') return 'disabled';
  return null;
}

export function parseSelinux(body: string): SelinuxInfo {
  const kv = parseKv(body);
  let mode = selinuxWord(kv.get('getenforce'));
  if (!mode) {
    const e = kv.get('enforce');
    if (e === '1') mode = 'enforcing';
    else if (e === '0') mode = 'permissive';
    else if (kv.get('selinuxfs') === '1') mode = 'unknown';
    else mode = 'absent';
  }
  return { mode, configured: selinuxWord(kv.get('SELINUX')) };
}

export function parseFirewall(body: string, processes: ReadonlySet<string>): FirewallInfo {
  const kv = parseKv(body);
  const unit = (u: string) => kv.get(`unit.${u}`) ?? '';
  let firewalld: boolean | null = null;
  const fwState = kv.get('firewalld.state');
  if (fwState !== undefined) firewalld = fwState.trim() === 'running';
  if (unit('firewalld') === 'active' || processes.has('firewalld')) firewalld = true;
  else if (firewalld === null && unit('firewalld') !== '') firewalld = false;
  let ufw: boolean | null = null;
  const us = kv.get('ufw.status');
  if (us && /^Status:/i.test(us)) ufw = /active/i.test(us) && !/inactive/i.test(us);
  else if (kv.get('ufw.conf')) ufw = /ENABLED=yes/i.test(kv.get('ufw.conf')!);
  const ipt = kv.get('iptables.err') ? null : int(kv.get('iptables.rules'));
  const nft = kv.get('nft.err') ? null : int(kv.get('nft.rules'));
  const active: FirewallName[] = [];
  if (firewalld) active.push('firewalld');
  if (ufw) active.push('ufw');
  const policies = kv.get('iptables.policies') ?? '';
  if ((ipt ?? 0) > 0 || /-P (INPUT|FORWARD) (DROP|REJECT)/.test(policies)) active.push('iptables');
  if ((nft ?? 0) > 0 || unit('nftables') === 'active') active.push('nftables');
  return { active, firewalld, ufw, iptablesRules: ipt, nftablesRules: nft };
}

/** `date +%s.%N`; busybox date prints '%N' literally, so only the seconds are kept then. */
export function parseEpoch(body: string | undefined): number | null {
  const v = parseKv(body ?? '').get('epoch') ?? '';
  // Whole-value match only: a localized `date` ('2024年 03月 …') must not pass as epoch 2024.
  const m = /^(\d{9,})(?:\.(\d+|%?N))?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) + (m[2] && /^\d+$/.test(m[2]) ? Number(`0.${m[2]}`) : 0);
}

function yesNo(s: string | undefined): boolean | null {
  const v = (s ?? '').trim().toLowerCase();
  if (['yes', 'true', '1', 'active'].includes(v)) return true;
  if (['no', 'false', '0', 'inactive'].includes(v)) return false;
  return null;
}

export interface ClockSources {
  clock?: string;
  timedatectlShow?: string;
  timedatectlStatus?: string;
  chronyc?: string;
  processes: ReadonlySet<string>;
}

/** Timezone and NTP state from whatever the host has: timedatectl (new and old), chronyc, ntpstat, files. */
export function parseClock(src: ClockSources): { timezone: string | null; utcOffset: string | null; ntpSynced: boolean | null; ntpActive: boolean | null } {
  const clock = parseKv(src.clock ?? '');
  const show = parseKv(src.timedatectlShow ?? '');
  let timezone: string | null = show.get('Timezone') || null;
  let ntpSynced = yesNo(show.get('NTPSynchronized'));
  let ntpActive = yesNo(show.get('NTP'));
  // `timedatectl status`: 'Time zone: Asia/Shanghai (CST, +0800)', 'NTP synchronized: yes' (systemd 219,
  // CentOS 7), 'System clock synchronized: yes' and 'NTP service: active' (newer).
  for (const line of (src.timedatectlStatus ?? '').split('\n')) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    if (k === 'time zone' && !timezone) timezone = v.split(/\s+/)[0] || null;
    if ((k === 'ntp synchronized' || k === 'system clock synchronized') && ntpSynced === null) ntpSynced = yesNo(v);
    if ((k === 'ntp enabled' || k === 'ntp service' || k === 'network time on') && ntpActive === null) ntpActive = yesNo(v);
  }
  if (src.chronyc) {
    const leap = /^Leap status\s*:\s*(.+)$/m.exec(src.chronyc);
    if (leap && ntpSynced === null) ntpSynced = /normal|insert|delete/i.test(leap[1]) && !/not synchron/i.test(leap[1]);
    if (/^Reference ID/m.test(src.chronyc) && ntpActive === null) ntpActive = true;
  }
  const ntpstat = clock.get('ntpstat.rc');
  if (ntpSynced === null && (ntpstat === '0' || ntpstat === '1')) ntpSynced = ntpstat === '0';
  if (ntpActive === null && ['chronyd', 'ntpd', 'systemd-timesyn', 'systemd-timesyncd', 'timesyncd'].some((p) => src.processes.has(p))) ntpActive = true;
  if (!timezone) {
    const link = clock.get('localtime');
    const m = link ? /zoneinfo\/(.+)$/.exec(link) : null;
    timezone = m?.[1] ?? clock.get('timezone.file') ?? (clock.get('ZONE') ?? clock.get('TIMEZONE') ?? null)?.replace(/^"|"$/g, '') ?? null;
  }
  return { timezone: timezone || null, utcOffset: clock.get('offset') || null, ntpSynced, ntpActive };
}

export function parseModules(body: string): Record<string, KernelModuleStatus> {
  const out: Record<string, KernelModuleStatus> = {};
  for (const line of body.split('\n')) {
    const m = /^([A-Za-z0-9_-]+)=(loaded|builtin|loadable|absent)$/.exec(line.trim());
    if (m) out[m[1]] = m[2] as KernelModuleStatus;
  }
  return out;
}

/** 'key=value' per sysctl; 'key!' means the key does not exist on this kernel (module not loaded). */
export function parseSysctls(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of body.split('\n')) {
    if (line.endsWith('!')) continue;
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export function parseCgroup(body: string): CgroupVersion | null {
  const kv = parseKv(body);
  const fs = kv.get('fstype') ?? '';
  if (fs === 'cgroup2fs') return 'v2';
  if (fs === 'tmpfs') return kv.get('unified') === 'cgroup2fs' || /\scgroup2\s/.test(body) ? 'hybrid' : 'v1';
  // No stat -f: read /proc/mounts lines ('cgroup2 /sys/fs/cgroup cgroup2 …').
  const mounts = body.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 3 && f[1]?.startsWith('/'));
  const v2root = mounts.some((f) => f[2] === 'cgroup2' && f[1] === '/sys/fs/cgroup');
  const v2any = mounts.some((f) => f[2] === 'cgroup2');
  const v1 = mounts.some((f) => f[2] === 'cgroup');
  if (v2root) return 'v2';
  if (v1 && v2any) return 'hybrid';
  if (v1) return 'v1';
  return null;
}

function firstVersion(s: string | undefined, rx: RegExp): string | null {
  const m = s ? rx.exec(s) : null;
  return m ? m[1] : null;
}

/**
 * The runtimes section. When the script did not run `docker --version`/`containerd --version` because
 * a package owns the binary ('docker.version.skip=package'), the package's version stands in.
 */
export function parseRuntimes(body: string, processes: ReadonlySet<string>, packages: ReadonlyArray<{ name: string; version: string }> = []): { runtimes: ContainerRuntime[]; k3s: K3sInfo } {
  const kv = parseKv(body);
  const pkgVersion = (rx: RegExp) => {
    const v = packages.find((p) => rx.test(p.name))?.version;
    return v ? /^\d+(?:\.\d+)+/.exec(v)?.[0] ?? null : null;
  };
  const socks = kv.all('sock');
  const files = kv.all('file');
  const unit = (u: string) => kv.get(`unit.${u}`) === 'active';
  const dockerPath = kv.get('path.docker') ?? kv.get('path.dockerd') ?? null;
  const docker: ContainerRuntime = {
    name: 'docker',
    installed: !!dockerPath,
    version: firstVersion(kv.get('docker.version'), /version\s+v?([0-9][\w.+~-]*)/i)
      ?? (kv.get('docker.version.skip') ? pkgVersion(/^(docker-ce|docker\.io|docker-engine|moby-engine)$/) : null),
    running: unit('docker') || processes.has('dockerd') || socks.includes('/var/run/docker.sock'),
    path: dockerPath,
  };
  const ctrPath = kv.get('path.containerd') ?? null;
  const containerd: ContainerRuntime = {
    name: 'containerd',
    installed: !!ctrPath,
    // 'containerd containerd.io 1.6.28 ae07eda…' or 'containerd github.com/containerd/containerd v1.7.2 …'
    version: firstVersion(kv.get('containerd.version'), /\sv?(\d+\.\d+\.\d+[\w.+~-]*)/)
      ?? (kv.get('containerd.version.skip') ? pkgVersion(/^containerd(\.io)?$/) : null),
    running: unit('containerd') || processes.has('containerd') || socks.includes('/run/containerd/containerd.sock'),
    path: ctrPath,
  };
  const k3sPath = kv.get('path.k3s') ?? null;
  const k3sProcs = [...processes].filter((p) => /^k3s(-server|-agent)?$/.test(p) || p === 'k3s-server' || p === 'k3s-agent');
  const serverFiles = files.includes('/etc/systemd/system/k3s.service');
  const agentFiles = files.includes('/etc/systemd/system/k3s-agent.service');
  const k3s: K3sInfo = {
    installed: !!k3sPath || serverFiles || agentFiles,
    version: firstVersion(kv.get('k3s.version'), /version\s+(v\d[\w.+-]*)/),
    running: unit('k3s') || unit('k3s-agent') || k3sProcs.length > 0 || socks.includes('/run/k3s/containerd/containerd.sock'),
    role: processes.has('k3s-server') || unit('k3s') || serverFiles ? 'server' : processes.has('k3s-agent') || unit('k3s-agent') || agentFiles ? 'agent' : null,
    dataDir: kv.get('dir') === '/var/lib/rancher/k3s',
    path: k3sPath,
  };
  return { runtimes: [docker, containerd], k3s };
}

export function parseSudo(body: string, meta: string | undefined): SudoInfo {
  const kv = parseKv(body);
  const m = parseKv(meta ?? '');
  const uid = int(kv.get('uid') ?? m.get('uid'));
  const user = m.get('user') || null;
  if (kv.get('sudo') === 'root' || uid === 0) return { uid, user, passwordless: true, status: 'root' };
  if (kv.get('sudo') === 'absent') return { uid, user, passwordless: false, status: 'absent' };
  const rc = kv.get('sudo.rc');
  const out = kv.get('sudo.out') ?? '';
  if (rc === '0') return { uid, user, passwordless: true, status: 'nopasswd' };
  if (/must have a tty|requiretty/i.test(out)) return { uid, user, passwordless: false, status: 'tty-required' };
  if (/password is required|password:/i.test(out)) return { uid, user, passwordless: false, status: 'password' };
  if (/not in the sudoers|may not run sudo|not allowed/i.test(out)) return { uid, user, passwordless: false, status: 'denied' };
  return { uid, user, passwordless: null, status: 'unknown' };
}

/** `systemctl list-units --plain --no-legend` rows (a leading '●' marks failed units on some versions). */
export function parseServices(body: string): ServiceUnit[] {
  const out: ServiceUnit[] = [];
  for (const line of body.split('\n')) {
    const f = line.replace(/^[\s●*]+/, '').trim().split(/\s+/);
    if (f.length < 4 || !/\.(service|socket|target|timer)$/.test(f[0])) continue;
    out.push({ unit: f[0], load: f[1], active: f[2], sub: f[3] });
  }
  return out;
}

/** 'pid comm' lines into pid → name. */
export function parseProcesses(body: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of body.split('\n')) {
    const m = /^(\d+)\s+(.+)$/.exec(line.trim());
    if (m) out.set(Number(m[1]), m[2].trim());
  }
  return out;
}
