import type { Msg } from '../i18n';
import { compareParts, mountFor, versionParts, type HostFacts } from '../probe';
import { goRegExp } from './go-regexp';
import { preflightMsg } from './msg';
import { parseQuantity } from './quantity';
import type { AnalyzerEntry, AnalyzerSpec, AnalyzerType, CollectorEntry, Outcome, SingleOutcome } from './spec';
import type { CheckResult, CheckStatus, Reachability } from './types';

/*
 * troubleshoot's host analyzers, evaluated against probe facts instead of local collector files.
 * Grammar and semantics follow replicatedhq/troubleshoot pkg/analyze/host_*.go: outcomes are tried
 * in order, the first whose `when` holds wins, an outcome without `when` always matches, and when
 * nothing matches the result is a warning. (troubleshoot's kernelModules/time/hostServices collect
 * every matching outcome; we report the first, the same as every other analyzer, so one check has
 * one answer per host.)
 */

export const SUPPORTED_ANALYZERS: ReadonlySet<string> = new Set<AnalyzerType>([
  'cpu', 'memory', 'diskUsage', 'tcpPortStatus', 'udpPortStatus', 'tcpConnect', 'time', 'hostOS', 'kernelModules',
  'sysctl', 'hostServices', 'blockDevices', 'textAnalyze',
]);

/** The probe could not collect what a condition needs: an 'error' result, never a guess. */
export class MissingData extends Error {
  constructor(readonly what: string) { super(`missing ${what}`); }
}

/** The caller gave no reachability measurement for this connection. */
class Unmeasured extends Error {
  constructor(readonly from: string, readonly to: string, readonly port: number, readonly proto: string) { super('unmeasured'); }
}

/** A problem in the spec that only shows against a host (a collector that does not exist). */
class SpecProblem extends Error {
  constructor(readonly msg: Msg) { super(msg.text); }
}

export interface AnalyzerContext {
  facts: HostFacts;
  collectors: readonly CollectorEntry[];
  reachability?: Reachability;
}

type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';

function normOp(op: string, allowed: readonly Op[] = ['<', '<=', '>', '>=', '==', '!=']): Op {
  const o = op === '=' || op === '===' ? '==' : op === '!==' || op === '<>' ? '!=' : op;
  if (!(allowed as readonly string[]).includes(o)) throw new Error(`unknown operator '${op}'`);
  return o as Op;
}

function cmp(op: Op, a: number, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

function words(when: string): string[] {
  return when.trim().split(/\s+/).filter(Boolean);
}

function toInt(s: string): number {
  if (!/^-?\d+$/.test(s)) throw new Error(`'${s}' is not a whole number`);
  return Number(s);
}

// ---------------------------------------------------------------------------------------------- cpu

/** x86 micro-architecture levels, as troubleshoot lists them (pkg/analyze/host_cpu.go). */
const MICROARCH: Record<string, string[]> = {
  'x86-64': ['cmov', 'cx8', 'fpu', 'fxsr', 'mmx', 'syscall', 'sse', 'sse2'],
  'x86-64-v2': ['cx16', 'lahf_lm', 'popcnt', 'ssse3', 'sse4_1', 'sse4_2'],
  'x86-64-v3': ['avx', 'avx2', 'bmi1', 'bmi2', 'f16c', 'fma', 'lzcnt', 'movbe', 'xsave'],
  'x86-64-v4': ['avx512f', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512vl'],
};
const LEVELS = ['x86-64', 'x86-64-v2', 'x86-64-v3', 'x86-64-v4'];

interface CpuData { logical: number; physical: number; flags: string[]; arch: string }

function compileCpu(when: string): (d: CpuData) => boolean {
  const p = words(when);
  let subject = 'count';
  let op: string;
  let desired: string;
  if (p.length === 3) [subject, op, desired] = [p[0].toLowerCase(), p[1], p[2]];
  else if (p.length === 2) [op, desired] = [p[0], p[1]];
  else throw new Error(`cannot read '${when}': expected e.g. 'count < 4', '< 4', 'supports x86-64-v2' or 'hasFlags sse4_2,avx'`);
  const lop = op.toLowerCase();
  if (lop === 'supports') {
    const at = LEVELS.indexOf(desired);
    if (at < 0) throw new Error(`unknown micro-architecture '${desired}' (x86-64, x86-64-v2, x86-64-v3, x86-64-v4)`);
    const need = LEVELS.slice(0, at + 1).flatMap((l) => MICROARCH[l]);
    return (d) => need.every((f) => d.flags.includes(f));
  }
  if (lop === 'hasflags') {
    const need = desired.split(',').filter(Boolean);
    if (!need.length) throw new Error('hasFlags needs a list of flags');
    return (d) => need.every((f) => d.flags.includes(f));
  }
  if (subject === 'machinearch') {
    const o = normOp(op, ['==', '!=']);
    return (d) => (o === '==' ? d.arch === desired : d.arch !== desired);
  }
  if (!['count', 'logical', 'physical'].includes(subject)) throw new Error(`unknown CPU property '${p[0]}' (count, logical, physical, machineArch)`);
  const o = normOp(op);
  const n = toInt(desired);
  return (d) => cmp(o, subject === 'logical' ? d.logical : subject === 'physical' ? d.physical : Math.max(d.logical, d.physical), n);
}

function cpuData(f: HostFacts): CpuData {
  if (!f.cpu) throw new MissingData('CPU information');
  return { logical: f.cpu.count, physical: f.cpu.physical ?? f.cpu.count, flags: f.cpu.flags, arch: f.arch ?? '' };
}

// ------------------------------------------------------------------------------------------- memory

function compileMemory(when: string): (total: number) => boolean {
  const m = /^\s*(<=|>=|===|==|=|<|>|!=)\s*(\S+)\s*$/.exec(when);
  if (!m) throw new Error(`cannot read '${when}': expected e.g. '< 8Gi'`);
  const o = normOp(m[1]);
  const n = parseQuantity(m[2]);
  return (total) => cmp(o, total, n);
}

// ---------------------------------------------------------------------------------------- diskUsage

interface DiskData { total: number; used: number; mountpoint: string }

function compileDisk(when: string): (d: DiskData) => boolean {
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected e.g. 'total < 40Gi', 'used/total > 80%', 'available < 10Gi'`);
  const stat = p[0].toLowerCase();
  const o = normOp(p[1], ['<', '<=', '>', '>=', '==']);
  if (stat === 'used/total' || stat === 'available/total') {
    const pct = p[2].endsWith('%');
    const n = Number(pct ? p[2].slice(0, -1) : p[2]);
    if (!Number.isFinite(n)) throw new Error(`'${p[2]}' is not a ratio or a percentage`);
    const want = pct ? n / 100 : n;
    // troubleshoot: available = total - used (the root reserve counts as available).
    return (d) => d.total > 0 && cmp(o, stat === 'used/total' ? d.used / d.total : (d.total - d.used) / d.total, want);
  }
  if (!['total', 'used', 'available'].includes(stat)) throw new Error(`unknown disk statistic '${p[0]}' (total, used, available, used/total, available/total)`);
  const n = parseQuantity(p[2]);
  return (d) => cmp(o, stat === 'total' ? d.total : stat === 'used' ? d.used : d.total - d.used, n);
}

function findCollector<T extends CollectorEntry['type']>(collectors: readonly CollectorEntry[], type: T, name: string | undefined): Extract<CollectorEntry, { type: T; supported: true }> {
  const all = collectors.filter((c): c is Extract<CollectorEntry, { type: T; supported: true }> => c.type === type && c.supported);
  const wanted = name ?? '';
  const hit = all.find((c) => ((c.spec as { collectorName?: string }).collectorName ?? '') === wanted) ?? (name === undefined && all.length === 1 ? all[0] : undefined);
  if (!hit) throw new SpecProblem(preflightMsg('analyzer.noCollector', { type, name: wanted || '(unnamed)' }));
  return hit;
}

// ------------------------------------------------------------------------------------ port statuses

const NETWORK_STATUSES = ['connected', 'connection-refused', 'connection-timeout', 'address-in-use', 'error', 'bind-permission-denied', 'invalid-address'];

function compileStatus(when: string): (status: string) => boolean {
  const w = when.trim();
  if (!NETWORK_STATUSES.includes(w)) throw new Error(`unknown status '${w}' (${NETWORK_STATUSES.join(', ')})`);
  return (s) => s === w;
}

/**
 * What troubleshoot's tcpPortStatus/udpPortStatus collector would see: it binds the port (on the
 * interface's address, or all addresses) and connects to it. A listener already on that port makes
 * the bind fail ('address-in-use'); otherwise the port is free and local connections work ('connected').
 */
function portStatus(f: HostFacts, proto: 'tcp' | 'udp', port: number, iface: string | undefined): string {
  if (!f.portsSource) throw new MissingData('the listening ports');
  const ifaceAddrs = iface ? f.addresses.filter((a) => a.iface === iface).map((a) => a.address) : null;
  if (iface && ifaceAddrs && ifaceAddrs.length === 0 && f.addresses.length > 0) return 'error';
  const clash = f.ports.some((p) => p.proto === proto && p.port === port
    && (!ifaceAddrs || p.address === '0.0.0.0' || p.address === '::' || ifaceAddrs.includes(p.address)));
  return clash ? 'address-in-use' : 'connected';
}

function splitAddress(address: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address.trim());
  if (!m) throw new SpecProblem(preflightMsg('analyzer.bad', { reason: `tcpConnect address '${address}' is not host:port` }));
  return { host: m[1], port: Number(m[2]) };
}

// --------------------------------------------------------------------------------------------- time

interface TimeData { timezone: string | null; synced: boolean | null; active: boolean | null }

function compileTime(when: string): (d: TimeData) => boolean {
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected 'ntp == synchronized+active' or 'timezone != UTC'`);
  if (p[0] === 'timezone') {
    const o = normOp(p[1], ['==', '!=']);
    return (d) => {
      if (!d.timezone) throw new MissingData('the timezone');
      const same = d.timezone === p[2] || (p[2] === 'UTC' && ['Etc/UTC', 'UTC', 'Etc/Universal', 'Universal', 'Zulu'].includes(d.timezone));
      return o === '==' ? same : !same;
    };
  }
  if (p[0] === 'ntp') {
    normOp(p[1], ['==']);
    const m = /^(synchronized|unsynchronized)\+(active|inactive)$/.exec(p[2]);
    if (!m) throw new Error(`unknown NTP state '${p[2]}' (synchronized+active, synchronized+inactive, unsynchronized+active, unsynchronized+inactive)`);
    const wantSynced = m[1] === 'synchronized';
    const wantActive = m[2] === 'active';
    return (d) => {
      if (d.synced === null) throw new MissingData('the NTP state');
      // A synchronized clock has a time client running even when we could not see which.
      const active = d.active ?? (d.synced ? true : null);
      if (active === null) throw new MissingData('whether an NTP client is running');
      return d.synced === wantSynced && active === wantActive;
    };
  }
  throw new Error(`unknown time property '${p[0]}' (ntp, timezone)`);
}

// ------------------------------------------------------------------------------------------- hostOS

/** troubleshoot (gopsutil) platform names next to os-release IDs. */
const PLATFORM_ALIASES: Record<string, string[]> = {
  rhel: ['redhat', 'rhel'], centos: ['centos'], ol: ['oracle', 'ol'], amzn: ['amazon', 'amzn'], sles: ['suse', 'sles'],
  openeuler: ['openeuler'], kylin: ['kylin'], uos: ['uos', 'uniontech'],
};

function platformMatches(id: string, name: string): boolean {
  const n = name.toLowerCase();
  return n === id || (PLATFORM_ALIASES[id] ?? []).includes(n);
}

/** troubleshoot's fixVersion: drop leading zeros per part ('22.04' → 22.4), keep the leading numbers. */
function osVersionParts(v: string | null): number[] | null {
  return versionParts(v);
}

function versionTest(op: Op, want: string): (have: string | null, what: string) => boolean {
  const w = versionParts(want);
  if (!w) throw new Error(`'${want}' is not a version`);
  return (have, what) => {
    const h = osVersionParts(have);
    if (!h) throw new MissingData(what);
    return cmp(op, compareParts(h, w), 0);
  };
}

interface OsData { id: string; versionId: string | null; kernel: string | null; family: string; arch: string | null; codename: string | null }

const OS_KEYS = new Set(['os', 'id', 'platform', 'distribution', 'version', 'platformversion', 'kernel', 'kernelversion', 'family', 'arch', 'codename']);

/** One `a op b` clause of hostOS: Outpost's key form or troubleshoot's '<platform> <op> <version>'. */
function compileOsClause(clause: string): (d: OsData) => boolean {
  const m = /^\s*(\S+?)\s*(>=|<=|===|==|!==|!=|=|>|<)\s*(\S+)\s*$/.exec(clause);
  if (!m) throw new Error(`cannot read '${clause}': expected e.g. 'ubuntu >= 22.04', 'kernelVersion >= 4.18' or 'os == ubuntu && version >= 22.04'`);
  const [, left, rawOp, right] = m;
  const op = normOp(rawOp);
  const key = left.toLowerCase();
  if (key === 'kernelversion' || key === 'kernel') {
    const t = versionTest(op, right);
    return (d) => t(d.kernel, 'the kernel version');
  }
  if (OS_KEYS.has(key)) {
    if (key === 'version' || key === 'platformversion') {
      const t = versionTest(op, right);
      return (d) => t(d.versionId, 'the OS version');
    }
    if (op !== '==' && op !== '!=') throw new Error(`'${left}' can only be compared with == or !=`);
    const field = (d: OsData) => key === 'family' ? d.family : key === 'arch' ? d.arch : key === 'codename' ? (d.codename ?? '').toLowerCase() : null;
    return (d) => {
      const same = key === 'family' || key === 'arch' || key === 'codename' ? field(d) === right.toLowerCase() || field(d) === right : platformMatches(d.id, right);
      return op === '==' ? same : !same;
    };
  }
  // '<platform>-<version>-kernel <op> <kernel version>' matches the kernel on that exact platform release.
  const pk = /^(.+)-([\d.]+)-kernel$/.exec(left);
  if (pk) {
    const t = versionTest(op, right);
    return (d) => platformMatches(d.id, pk[1]) && compareParts(osVersionParts(d.versionId) ?? [-1], versionParts(pk[2])!) === 0 && t(d.kernel, 'the kernel version');
  }
  const t = versionTest(op, right);
  return (d) => platformMatches(d.id, left) && t(d.versionId, 'the OS version');
}

function compileHostOs(when: string): (d: OsData) => boolean {
  // Outpost extension: clauses joined with && (all must hold) and || (either side).
  const alternatives = when.split('||').map((alt) => alt.split('&&').map((c) => compileOsClause(c)));
  return (d) => alternatives.some((all) => all.every((c) => c(d)));
}

// ------------------------------------------------------------------------------------ kernelModules

function compileModules(when: string): (mods: HostFacts['kernelModules']) => boolean {
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected e.g. 'overlay,br_netfilter == loaded'`);
  const names = p[0].split(',').filter(Boolean);
  const o = normOp(p[1], ['==', '!=']);
  const states = p[2].split(',').filter(Boolean);
  for (const s of states) if (!['loaded', 'loadable', 'loading', 'unloading', 'unknown'].includes(s)) throw new Error(`unknown module state '${s}' (loaded, loadable, loading, unloading, unknown)`);
  return (mods) => {
    // troubleshoot only knows modules that are loaded or loadable; 'builtin' is loaded, 'absent' is unknown to it.
    const state = (n: string): string | null => {
      const s = mods[n] ?? mods[n.replace(/-/g, '_')];
      if (s === undefined) throw new MissingData(`the state of kernel module ${n}`);
      return s === 'builtin' ? 'loaded' : s === 'absent' ? null : s;
    };
    if (o === '==') return names.every((n) => { const s = state(n); return s !== null && states.includes(s); });
    return names.some((n) => { const s = state(n); return s === null || !states.includes(s); });
  };
}

// ------------------------------------------------------------------------------------------- sysctl

function compileSysctl(when: string): (sys: Record<string, string>) => boolean {
  const m = /^\s*(\S+)\s+(===|==|!=|>=|<=|=|>|<)\s+(.+?)\s*$/.exec(when);
  if (!m) throw new Error(`cannot read '${when}': expected e.g. 'net.ipv4.ip_forward = 0'`);
  const [, key, rawOp, want] = m;
  const o = normOp(rawOp);
  return (sys) => {
    const have = sys[key];
    // As troubleshoot: a parameter missing on the host (module not loaded) never makes a condition true.
    if (have === undefined) return false;
    if (o === '==' || o === '!=') {
      const same = have.replace(/\s+/g, ' ') === want.replace(/\s+/g, ' ');
      return o === '==' ? same : !same;
    }
    if (!/^-?\d+$/.test(have.trim()) || !/^-?\d+$/.test(want)) return false;
    return cmp(o, Number(have), Number(want));
  };
}

// ------------------------------------------------------------------------------------- hostServices

function compileServices(when: string): (svc: NonNullable<HostFacts['services']>) => boolean {
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected e.g. 'firewalld.service = active'`);
  const o = normOp(p[1], ['==', '!=']);
  const [active = '', sub = '', load = ''] = p[2].split(',');
  const want = (v: string) => v !== '' && v !== '*';
  return (svc) => {
    const s = svc.find((u) => u.unit === p[0] || u.unit.startsWith(p[0]));
    if (!s) return false;
    if (o === '==') return (!want(active) || s.active === active) && (!want(sub) || s.sub === sub) && (!want(load) || s.load === load);
    return (want(active) && s.active !== active) || (want(sub) && s.sub !== sub) || (want(load) && s.load !== load);
  };
}

// ------------------------------------------------------------------------------------- blockDevices

function compileBlock(when: string, spec: AnalyzerSpec['blockDevices']): (devs: HostFacts['blockDevices']) => boolean {
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected e.g. 'sdb > 0' or '.* >= 1'`);
  const rx = goRegExp(p[0]);
  const o = normOp(p[1], ['<', '<=', '>', '>=', '==']);
  const n = toInt(p[2]);
  const min = spec.minimumAcceptableSize === undefined ? 0 : typeof spec.minimumAcceptableSize === 'number' ? spec.minimumAcceptableSize : parseQuantity(spec.minimumAcceptableSize);
  return (devs) => {
    // troubleshoot's eligibility: an unused whole disk (or partition, if asked) of at least the minimum size.
    const count = devs.filter((d) => rx.test(d.name)
      && (d.type === 'disk' || (spec.includeUnmountedPartitions && d.type === 'part'))
      && (!min || d.sizeBytes >= min)
      && !d.mountpoint && !d.fsType && !d.readOnly && !d.removable
      && !devs.some((c) => c.parentKernelName === d.kernelName)).length;
    return cmp(o, count, n);
  };
}

// ---------------------------------------------------------------------------------------- dispatch

type Compiled = (ctx: AnalyzerContext) => boolean;

/** Compiles one `when` of an analyzer; throws on grammar errors (parsePreflightSpec reports them with the field path). */
export function compileWhen(entry: AnalyzerEntry, when: string): Compiled {
  if (!entry.supported) throw new Error(`unsupported analyzer ${entry.type}`);
  switch (entry.type) {
    case 'cpu': { const c = compileCpu(when); return (x) => c(cpuData(x.facts)); }
    case 'memory': {
      const c = compileMemory(when);
      return (x) => { if (!x.facts.memory) throw new MissingData('the memory size'); return c(x.facts.memory.totalBytes); };
    }
    case 'diskUsage': {
      const c = compileDisk(when);
      const name = entry.spec.collectorName;
      return (x) => c(diskData(x, name));
    }
    case 'tcpPortStatus':
    case 'udpPortStatus': {
      const c = compileStatus(when);
      const type = entry.type;
      const name = entry.spec.collectorName;
      return (x) => {
        const col = findCollector(x.collectors, type, name);
        return c(portStatus(x.facts, type === 'tcpPortStatus' ? 'tcp' : 'udp', col.spec.port, col.spec.interface));
      };
    }
    case 'tcpConnect': {
      const c = compileStatus(when);
      const name = entry.spec.collectorName;
      return (x) => c(connectStatus(x, name));
    }
    case 'time': {
      const c = compileTime(when);
      return (x) => c({ timezone: x.facts.time.timezone, synced: x.facts.time.ntpSynced, active: x.facts.time.ntpActive });
    }
    case 'hostOS': {
      const c = compileHostOs(when);
      return (x) => {
        const os = x.facts.os;
        if (!os) throw new MissingData('the operating system');
        return c({ id: os.id, versionId: os.versionId, kernel: x.facts.kernel, family: os.family, arch: x.facts.arch, codename: os.codename });
      };
    }
    case 'kernelModules': { const c = compileModules(when); return (x) => c(x.facts.kernelModules); }
    case 'sysctl': { const c = compileSysctl(when); return (x) => c(x.facts.sysctls); }
    case 'hostServices': {
      const c = compileServices(when);
      return (x) => { if (!x.facts.services) throw new MissingData('the list of services (systemctl)'); return c(x.facts.services); };
    }
    case 'blockDevices': { const c = compileBlock(when, entry.spec); return (x) => c(x.facts.blockDevices); }
    case 'textAnalyze': {
      // regexGroups conditions compare named groups; a plain regex outcome's `when` is 'true'/'false'.
      if (entry.spec.regexGroups) { compileGroups(when); return () => false; }
      if (!/^(true|false)$/i.test(when.trim())) throw new Error(`a regex outcome's when must be true or false, not '${when}'`);
      return () => false;
    }
  }
}

function diskData(x: AnalyzerContext, name: string | undefined): DiskData {
  const col = findCollector(x.collectors, 'diskUsage', name);
  if (!x.facts.mounts.length) throw new MissingData('disk usage (df)');
  const m = mountFor(x.facts.mounts, col.spec.path);
  if (!m) throw new MissingData(`the filesystem holding ${col.spec.path}`);
  return { total: m.totalBytes, used: m.usedBytes, mountpoint: m.mountpoint };
}

function connectStatus(x: AnalyzerContext, name: string | undefined): string {
  const col = findCollector(x.collectors, 'tcpConnect', name);
  const { host, port } = splitAddress(col.spec.address);
  const e = (x.reachability ?? []).find((r) => r.from === x.facts.host && r.to === host && r.port === port && r.proto === 'tcp');
  if (!e || e.status === 'unmeasured') throw new Unmeasured(x.facts.host, host, port, 'tcp');
  return e.status;
}

// ------------------------------------------------------------------------------------- textAnalyze

function compileGroups(when: string): (groups: Record<string, string>) => boolean {
  if (when.trim() === '') return () => true;
  const p = words(when);
  if (p.length !== 3) throw new Error(`cannot read '${when}': expected e.g. 'Transfer > 5'`);
  const [name, op, value] = p;
  if (/^-?\d+$/.test(value)) {
    const o = normOp(op, ['<', '<=', '>', '>=', '==']);
    return (g) => (g[name] !== undefined && /^-?\d+$/.test(g[name]) ? cmp(o, Number(g[name]), Number(value)) : false);
  }
  normOp(op, ['==']);
  return (g) => g[name] === value;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp('^' + glob.split('*').map((s) => s.split('?').map((t) => t.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('[^/]*') + '$');
}

/** troubleshoot's `{{ .Name }}` templating of regexGroups messages. */
function templateGroups(msg: string, groups: Record<string, string>): string {
  return msg.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (m, k: string) => groups[k] ?? m);
}

// ------------------------------------------------------------------------------------------ results

const DEFAULT_TITLES: Record<AnalyzerType, string> = {
  cpu: 'Number of CPUs', memory: 'Amount of Memory', diskUsage: 'Disk Usage', tcpPortStatus: 'TCP Port Status',
  udpPortStatus: 'UDP Port Status', tcpConnect: 'TCP Connection Attempt', time: 'Time', hostOS: 'Host OS Info',
  kernelModules: 'Kernel Modules', sysctl: 'Sysctl', hostServices: 'Host Services', blockDevices: 'Block Devices',
  textAnalyze: 'Text Analyze',
};

export function analyzerTitle(entry: AnalyzerEntry): string {
  const s = entry.spec as { checkName?: string; collectorName?: string };
  if (s.checkName) return s.checkName;
  if (entry.type === 'diskUsage' && s.collectorName) return `Disk Usage ${s.collectorName}`;
  if (entry.type === 'textAnalyze' && s.collectorName) return s.collectorName;
  return DEFAULT_TITLES[entry.type as AnalyzerType] ?? entry.type;
}

function isStrict(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

function kindOf(o: Outcome): { status: CheckStatus; single: SingleOutcome } {
  if (o.fatal) return { status: 'fail', single: o.fatal };
  if (o.fail) return { status: 'fail', single: o.fail };
  if (o.warn) return { status: 'warn', single: o.warn };
  return { status: 'pass', single: o.pass! };
}

/** Evaluates one supported analyzer on one host; returns null when it does not apply (textAnalyze with ignoreIfNoFiles). */
export function evaluateAnalyzer(entry: Extract<AnalyzerEntry, { supported: true }>, ctx: AnalyzerContext): CheckResult | null {
  const base = {
    id: `ts.${entry.index}.${entry.type}`, analyzer: entry.type, title: analyzerTitle(entry),
    ...(isStrict((entry.spec as { strict?: unknown }).strict) ? { strict: true } : {}),
  };
  const result = (status: CheckStatus, message: string | Msg, uri?: string): CheckResult => ({ ...base, status, message, ...(uri ? { uri } : {}) });
  try {
    if (entry.type === 'textAnalyze') return evaluateText(entry, ctx, result);
    precheck(entry, ctx);
    for (const o of entry.spec.outcomes) {
      const { status, single } = kindOf(o);
      const when = single.when ?? '';
      if (when === '' || compileWhen(entry, when)(ctx)) {
        let msg = single.message ?? '';
        if (entry.type === 'cpu') msg = msg.replace(/\{\{\s*Info\.MachineArch\s*\}\}/g, ctx.facts.arch ?? '');
        return result(status, msg || preflightMsg('analyzer.matched', { when: when || status }), single.uri);
      }
    }
    return result('warn', preflightMsg('analyzer.noOutcome'));
  } catch (e) {
    if (e instanceof MissingData) return result('error', preflightMsg('data.missing', { what: e.what }));
    if (e instanceof Unmeasured) return result('warn', preflightMsg('reach.unmeasured', { from: e.from, to: e.to, port: e.port, proto: e.proto }));
    if (e instanceof SpecProblem) return result('error', e.msg);
    return result('error', preflightMsg('analyzer.bad', { reason: e instanceof Error ? e.message : String(e) }));
  }
}

/**
 * Collects the analyzer's data before any outcome is tried, as troubleshoot reads its collector file
 * first: an outcome without `when` must not pass on a host where the data was never collected.
 */
function precheck(entry: Extract<AnalyzerEntry, { supported: true }>, x: AnalyzerContext): void {
  switch (entry.type) {
    case 'cpu': cpuData(x.facts); break;
    case 'memory': if (!x.facts.memory) throw new MissingData('the memory size'); break;
    case 'diskUsage': diskData(x, entry.spec.collectorName); break;
    case 'tcpPortStatus':
    case 'udpPortStatus': {
      const col = findCollector(x.collectors, entry.type, entry.spec.collectorName);
      portStatus(x.facts, entry.type === 'tcpPortStatus' ? 'tcp' : 'udp', col.spec.port, col.spec.interface);
      break;
    }
    case 'tcpConnect': connectStatus(x, entry.spec.collectorName); break;
    case 'hostOS': if (!x.facts.os) throw new MissingData('the operating system'); break;
    case 'hostServices': if (!x.facts.services) throw new MissingData('the list of services (systemctl)'); break;
    default: break;
  }
}

function evaluateText(
  entry: Extract<AnalyzerEntry, { type: 'textAnalyze'; supported: true }>,
  ctx: AnalyzerContext,
  result: (status: CheckStatus, message: string | Msg, uri?: string) => CheckResult,
): CheckResult | null {
  const s = entry.spec;
  const full = [s.collectorName, s.fileName].filter(Boolean).join('/').replace(/\/+/g, '/');
  const rx = globToRegExp(full);
  const files = Object.entries(ctx.facts.files).filter(([k]) => rx.test(k) || k === s.fileName || rx.test(k.replace(/^host-collectors\//, '')));
  if (!files.length) {
    if (s.ignoreIfNoFiles) return null;
    return result('warn', preflightMsg('textAnalyze.noFiles', { file: full }));
  }
  // One result per host: the first file decides, as troubleshoot's results for a single collected file.
  const text = files[0][1];
  if (s.regex) {
    const re = goRegExp(s.regex);
    let failO: SingleOutcome | undefined;
    let passO: SingleOutcome | undefined;
    for (const o of s.outcomes) { if (o.fail) failO = o.fail; else if (o.pass) passO = o.pass; }
    const failWhen = failO?.when ? /^true$/i.test(failO.when) : false;
    const passWhen = passO?.when ? /^true$/i.test(passO.when) : true;
    if (failWhen === passWhen) return result('error', preflightMsg('analyzer.bad', { reason: 'fail and pass outcomes have the same when' }));
    if (re.test(text) === passWhen) return result('pass', passO?.message ?? preflightMsg('analyzer.matched', { when: 'regex' }), passO?.uri);
    return result('fail', failO?.message ?? preflightMsg('analyzer.matched', { when: 'regex' }), failO?.uri);
  }
  const re = goRegExp(s.regexGroups!);
  const m = re.exec(text);
  const groups: Record<string, string> = {};
  for (const [k, v] of Object.entries(m?.groups ?? {})) if (v !== undefined) groups[k] = v;
  for (const o of s.outcomes) {
    const { status, single } = kindOf(o);
    if (compileGroups(single.when ?? '')(groups)) return result(status, templateGroups(single.message ?? '', groups), single.uri);
  }
  return result('warn', preflightMsg('analyzer.noOutcome'));
}
