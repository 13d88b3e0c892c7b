import type { Msg } from '../i18n';
import { mountFor, satisfiesVersion, type HostFacts, type ListeningPort, type Middleware } from '../probe';
import { preflightMsg as m } from './msg';
import { formatBytes } from './quantity';
import type { CheckCategory, CheckStatus, PreflightRequirements, Reachability, ReachabilityEntry } from './types';

/*
 * Outpost's own checks, as data (Rancher Desktop's diagnostics shape): each says where it applies
 * and returns plain results with a message and, when something is wrong, a fix. Host checks run per
 * probed host; site checks look at all hosts together.
 */

export interface CheckContext {
  /** The host under check (host-scoped checks only). */
  host: HostFacts;
  /** Every host that was probed successfully. */
  hosts: readonly HostFacts[];
  requirements: PreflightRequirements;
  reachability: Reachability;
}

export interface CheckOutcome {
  /** Appended to the check id ('outpost.port' + '.tcp.3306'). */
  idSuffix?: string;
  title: Msg;
  status: CheckStatus;
  message: Msg;
  fix?: Msg;
}

export interface OutpostCheck {
  id: string;
  category: CheckCategory;
  scope: 'host' | 'site';
  applies(facts: HostFacts | null, ctx: Omit<CheckContext, 'host'>): boolean;
  run(ctx: CheckContext): CheckOutcome[];
}

const inHosts = (list: string[] | undefined, h: HostFacts) => !list || list.includes(h.host) || (!!h.hostname && list.includes(h.hostname));

// -------------------------------------------------------------------------------------------- sudo

const sudoCheck: OutpostCheck = {
  id: 'outpost.sudo',
  category: 'access',
  scope: 'host',
  applies: (_f, ctx) => ctx.requirements.sudo?.required !== false,
  run({ host, requirements }) {
    const title = m('title.sudo');
    const s = host.sudo;
    const user = s?.user ?? '?';
    if (!s) return [{ title, status: 'error', message: m('data.missing', { what: 'sudo' }) }];
    const pw = requirements.sudo?.passwordAvailable;
    const havePassword = typeof pw === 'function' ? pw(host.host) : !!pw;
    switch (s.status) {
      case 'root': return [{ title, status: 'pass', message: m('sudo.root') }];
      case 'nopasswd': return [{ title, status: 'pass', message: m('sudo.nopasswd', { user }) }];
      case 'password':
        return havePassword
          ? [{ title, status: 'pass', message: m('sudo.passwordStored', { user }) }]
          : [{ title, status: 'warn', message: m('sudo.password', { user }), fix: m('sudo.fixPassword', { user }) }];
      case 'tty-required': return [{ title, status: 'fail', message: m('sudo.tty', { user }), fix: m('sudo.fixTty', { user }) }];
      case 'denied': return [{ title, status: 'fail', message: m('sudo.denied', { user }), fix: m('sudo.fixDenied', { user }) }];
      case 'absent': return [{ title, status: 'fail', message: m('sudo.absent', { user }), fix: m('sudo.fixAbsent') }];
      default: return [{ title, status: 'warn', message: m('sudo.unknown') }];
    }
  },
};

// --------------------------------------------------------------------------------------- hostnames

const hostnameCheck: OutpostCheck = {
  id: 'outpost.hostname',
  category: 'cluster',
  scope: 'host',
  applies: (_f, ctx) => ctx.requirements.uniqueHostnames !== false,
  run({ host, hosts }) {
    const title = m('title.hostname');
    const name = host.hostname;
    if (!name) return [{ title, status: 'error', message: m('data.missing', { what: 'the hostname' }) }];
    const same = hosts.filter((h) => h.host !== host.host && h.hostname?.toLowerCase() === name.toLowerCase()).map((h) => h.host);
    if (same.length) return [{ title, status: 'fail', message: m('hostname.duplicate', { hostname: name, others: same.join(', ') }), fix: m('hostname.fix') }];
    if (/^localhost(\.localdomain)?$/i.test(name)) return [{ title, status: 'warn', message: m('hostname.localhost', { hostname: name }), fix: m('hostname.fix') }];
    return [{ title, status: 'pass', message: m('hostname.unique', { hostname: name }) }];
  },
};

// ------------------------------------------------------------------------------------------- clock

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const clockCheck: OutpostCheck = {
  id: 'outpost.clock',
  category: 'time',
  scope: 'host',
  applies: (_f, ctx) => ctx.hosts.length >= 2,
  run({ host, hosts, requirements }) {
    const title = m('title.clock');
    const warnAt = requirements.clockSkew?.warnSeconds ?? 2;
    const failAt = requirements.clockSkew?.failSeconds ?? 30;
    const mine = host.time.skewSeconds;
    if (mine === null) return [{ title, status: 'error', message: m('data.missing', { what: 'the clock' }) }];
    const measured = hosts.filter((h) => h.time.skewSeconds !== null);
    // The reference is the median of every clock, this laptop's included (skew 0): with two hosts the
    // laptop breaks the tie, so the host that is off gets the blame, not both.
    const ref = median([0, ...measured.map((h) => h.time.skewSeconds!)]);
    const dev = mine - ref;
    const others = measured.filter((h) => h.host !== host.host);
    const far = others.reduce<HostFacts | null>((a, h) => (!a || Math.abs(mine - h.time.skewSeconds!) > Math.abs(mine - a.time.skewSeconds!) ? h : a), null);
    const params = {
      seconds: round1(Math.abs(dev)), other: far?.host ?? '-', otherSeconds: far ? round1(Math.abs(mine - far.time.skewSeconds!)) : 0,
      laptop: round1(mine), warn: warnAt, fail: failAt,
    };
    const status: CheckStatus = Math.abs(dev) > failAt ? 'fail' : Math.abs(dev) > warnAt ? 'warn' : 'pass';
    if (status === 'pass') return [{ title, status, message: m('clock.ok', params) }];
    return [{ title, status, message: m(dev > 0 ? 'clock.ahead' : 'clock.behind', params), fix: m('clock.fix') }];
  },
};

// -------------------------------------------------------------------------------------- middleware

const ALIASES: Record<string, string> = { java: 'jdk', openjdk: 'jdk', postgres: 'postgresql', pg: 'postgresql', pgsql: 'postgresql', redis: 'redis', nginx: 'nginx', mysql: 'mysql', mariadb: 'mariadb' };

function matching(h: HostFacts, name: string): Middleware[] {
  const want = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
  // MariaDB is what 'mysql' means on most RHEL-family and Debian hosts; a MySQL requirement accepts it.
  const names = want === 'mysql' ? ['mysql', 'mariadb'] : [want];
  return h.middleware.filter((x) => names.includes(x.name.toLowerCase()) && !x.clientOnly);
}

function judge(found: Middleware[], version: string | undefined, running: boolean | undefined): { ok: Middleware | null; bestEffort: Middleware | null; unknownVersion: boolean } {
  let unknownVersion = false;
  for (const x of found) {
    if (running && !x.running) continue;
    if (!version) return { ok: x, bestEffort: x, unknownVersion };
    if (!x.version) { unknownVersion = true; continue; }
    if (satisfiesVersion(x.version, version, { java: x.name === 'jdk' })) return { ok: x, bestEffort: x, unknownVersion };
  }
  return { ok: null, bestEffort: found[0] ?? null, unknownVersion };
}

const describeMw = (x: Middleware) => `${x.name === 'mariadb' ? 'MariaDB' : x.name} ${x.version ?? '?'}`;

const middlewareEvery: OutpostCheck = {
  id: 'outpost.middleware',
  category: 'middleware',
  scope: 'host',
  applies: (f, ctx) => !!f && (ctx.requirements.middleware ?? []).some((r) => r.scope === 'every' && inHosts(r.hosts, f)),
  run({ host, requirements }) {
    const out: CheckOutcome[] = [];
    for (const r of requirements.middleware ?? []) {
      if (r.scope !== 'every' || !inHosts(r.hosts, host)) continue;
      const constraint = r.version ?? '';
      const title = m('title.middleware', { name: r.name, constraint });
      const found = matching(host, r.name);
      const j = judge(found, r.version, r.running);
      const base = { idSuffix: `.${r.name}`, title };
      if (j.ok) { out.push({ ...base, status: 'pass', message: m('middleware.ok', { found: describeMw(j.ok), constraint: constraint || '-' }) }); continue; }
      if (!found.length) {
        out.push(r.required === false
          ? { ...base, status: 'pass', message: m('middleware.absentOptional', { name: r.name }) }
          : { ...base, status: 'fail', message: m('middleware.missing', { name: r.name }), fix: m('middleware.fixMissing', { name: r.name, constraint }) });
        continue;
      }
      if (r.running && !found.some((x) => x.running)) { out.push({ ...base, status: 'fail', message: m('middleware.notRunning', { found: describeMw(found[0]) }), fix: m('middleware.fixStart', { name: r.name }) }); continue; }
      if (j.unknownVersion && !found.some((x) => x.version)) { out.push({ ...base, status: 'warn', message: m('middleware.versionUnknown', { name: r.name, constraint }) }); continue; }
      out.push({ ...base, status: 'fail', message: m('middleware.tooOld', { found: found.map(describeMw).join(', '), constraint }), fix: m('middleware.fixVersion', { name: r.name, constraint }) });
    }
    return out;
  },
};

const middlewareAny: OutpostCheck = {
  id: 'outpost.middleware',
  category: 'middleware',
  scope: 'site',
  applies: (_f, ctx) => (ctx.requirements.middleware ?? []).some((r) => (r.scope ?? 'any') === 'any'),
  run({ hosts, requirements }) {
    const out: CheckOutcome[] = [];
    for (const r of requirements.middleware ?? []) {
      if ((r.scope ?? 'any') !== 'any') continue;
      const constraint = r.version ?? '';
      const title = m('title.middleware', { name: r.name, constraint });
      const base = { idSuffix: `.${r.name}`, title };
      const candidates = hosts.filter((h) => inHosts(r.hosts, h)).map((h) => ({ h, found: matching(h, r.name) })).filter((c) => c.found.length);
      const good = candidates.map((c) => ({ h: c.h, j: judge(c.found, r.version, r.running) })).filter((c) => c.j.ok);
      if (good.length) {
        out.push({ ...base, status: 'pass', message: m('middleware.okOn', { found: describeMw(good[0].j.ok!), hosts: good.map((g) => g.h.host).join(', '), constraint: constraint || '-' }) });
        continue;
      }
      if (!candidates.length) {
        out.push(r.required === false
          ? { ...base, status: 'pass', message: m('middleware.absentOptional', { name: r.name }) }
          : { ...base, status: 'fail', message: m('middleware.missingEverywhere', { name: r.name }), fix: m('middleware.fixMissing', { name: r.name, constraint }) });
        continue;
      }
      const seen = candidates.map((c) => `${c.found.map(describeMw).join('/')} (${c.h.host})`).join(', ');
      if (candidates.every((c) => c.found.every((x) => !x.version))) { out.push({ ...base, status: 'warn', message: m('middleware.versionUnknownOn', { name: r.name, constraint, seen }) }); continue; }
      if (r.running && candidates.every((c) => c.found.every((x) => !x.running))) { out.push({ ...base, status: 'fail', message: m('middleware.notRunningOn', { seen }), fix: m('middleware.fixStart', { name: r.name }) }); continue; }
      out.push({ ...base, status: 'fail', message: m('middleware.tooOldOn', { seen, constraint }), fix: m('middleware.fixVersion', { name: r.name, constraint }) });
    }
    return out;
  },
};

// ------------------------------------------------------------------------------------------- ports

interface PortNeed { port: number; proto: 'tcp' | 'udp'; purpose: string; k3s: boolean }

/** k3s inbound ports (docs.k3s.io installation/requirements): API, kubelet, flannel VXLAN, etcd for HA servers. */
export function k3sPorts(role: 'server' | 'agent', ha: boolean): PortNeed[] {
  const out: PortNeed[] = [
    { port: 10250, proto: 'tcp', purpose: 'kubelet', k3s: true },
    { port: 8472, proto: 'udp', purpose: 'flannel VXLAN', k3s: true },
  ];
  if (role === 'server') {
    out.unshift({ port: 6443, proto: 'tcp', purpose: 'Kubernetes API', k3s: true });
    if (ha) out.push({ port: 2379, proto: 'tcp', purpose: 'etcd client', k3s: true }, { port: 2380, proto: 'tcp', purpose: 'etcd peer', k3s: true });
  }
  return out;
}

function roleOf(h: HostFacts, r: PreflightRequirements): 'server' | 'agent' | null {
  const k = r.k3s;
  if (!k) return null;
  if (inHosts(k.servers, h) && k.servers.length) return 'server';
  if (k.agents && inHosts(k.agents, h)) return 'agent';
  return null;
}

const isHa = (r: PreflightRequirements) => r.k3s?.ha ?? (r.k3s ? r.k3s.servers.length > 1 : false);

function portNeeds(h: HostFacts, r: PreflightRequirements): PortNeed[] {
  const needs = new Map<string, PortNeed>();
  const role = roleOf(h, r);
  if (role) for (const p of k3sPorts(role, isHa(r))) needs.set(`${p.proto}/${p.port}`, p);
  for (const p of r.ports ?? []) {
    if (!inHosts(p.hosts, h)) continue;
    const proto = p.proto ?? 'tcp';
    needs.set(`${proto}/${p.port}`, { port: p.port, proto, purpose: p.purpose ?? '', k3s: false });
  }
  return [...needs.values()];
}

const describeListener = (l: ListeningPort) => ({ process: l.process ?? '?', pid: l.pid ?? '?', address: l.address });

const portsCheck: OutpostCheck = {
  id: 'outpost.port',
  category: 'ports',
  scope: 'host',
  applies: (f, ctx) => !!f && portNeeds(f, ctx.requirements).length > 0,
  run({ host, requirements }) {
    const out: CheckOutcome[] = [];
    for (const need of portNeeds(host, requirements)) {
      const p = { port: need.port, proto: need.proto, purpose: need.purpose || '-' };
      const base = { idSuffix: `.${need.proto}.${need.port}`, title: m('title.port', p) };
      if (!host.portsSource) { out.push({ ...base, status: 'error', message: m('data.missing', { what: 'the listening ports' }) }); continue; }
      const holders = host.ports.filter((l) => l.proto === need.proto && l.port === need.port);
      if (!holders.length) { out.push({ ...base, status: 'pass', message: m('port.free', p) }); continue; }
      // Re-running preflight on a host that already runs this k3s is fine: the port is k3s's own.
      if (need.k3s && holders.every((l) => l.process && /^k3s/.test(l.process))) { out.push({ ...base, status: 'pass', message: m('port.ownK3s', p) }); continue; }
      const named = holders.find((l) => l.process) ?? holders[0];
      out.push(named.process
        ? { ...base, status: 'fail', message: m('port.taken', { ...p, ...describeListener(named) }), fix: m('port.fixTaken', { ...p, process: named.process }) }
        : { ...base, status: 'fail', message: m('port.takenUnknown', { ...p, address: named.address }), fix: m('port.fixTakenUnknown', p) });
    }
    return out;
  },
};

// ---------------------------------------------------------------------------------------- reachability

function matchesTarget(e: ReachabilityEntry, t: HostFacts): boolean {
  return e.to === t.host || (!!t.hostname && e.to === t.hostname) || t.addresses.some((a) => a.address === e.to);
}

const reachCheck: OutpostCheck = {
  id: 'outpost.reach',
  category: 'network',
  scope: 'host',
  applies: (f, ctx) => !!f && !!roleOf(f, ctx.requirements) && ctx.hosts.filter((h) => roleOf(h, ctx.requirements)).length >= 2,
  run({ host, hosts, requirements, reachability }) {
    const role = roleOf(host, requirements)!;
    const nodes = hosts.filter((h) => roleOf(h, requirements) && h.host !== host.host);
    const servers = nodes.filter((h) => roleOf(h, requirements) === 'server');
    // Who must reach this host on which port: everyone → API on servers; everyone → kubelet and VXLAN; servers ↔ etcd (HA).
    const flows: Array<{ port: number; proto: 'tcp' | 'udp'; from: HostFacts[] }> = [];
    if (role === 'server') flows.push({ port: 6443, proto: 'tcp', from: nodes });
    flows.push({ port: 10250, proto: 'tcp', from: nodes }, { port: 8472, proto: 'udp', from: nodes });
    if (role === 'server' && isHa(requirements)) flows.push({ port: 2379, proto: 'tcp', from: servers }, { port: 2380, proto: 'tcp', from: servers });
    const out: CheckOutcome[] = [];
    for (const f of flows) {
      if (!f.from.length) continue;
      const p = { port: f.port, proto: f.proto, to: host.host };
      const base = { idSuffix: `.${f.proto}.${f.port}`, title: m('title.reach', p) };
      const failed: string[] = [];
      const unmeasured: string[] = [];
      let status = '';
      for (const src of f.from) {
        const e = reachability.find((r) => r.from === src.host && r.port === f.port && r.proto === f.proto && matchesTarget(r, host));
        if (!e || e.status === 'unmeasured') unmeasured.push(src.host);
        else if (e.status !== 'connected') { failed.push(src.host); status ||= e.status; }
      }
      if (failed.length) out.push({ ...base, status: 'fail', message: m('reach.failed', { ...p, from: failed.join(', '), status }), fix: m('reach.fix', p) });
      else if (unmeasured.length) out.push({ ...base, status: 'warn', message: m('reach.unmeasuredFrom', { ...p, from: unmeasured.join(', ') }), fix: m('reach.fix', p) });
      else out.push({ ...base, status: 'pass', message: m('reach.ok', { ...p, from: f.from.map((h) => h.host).join(', ') }) });
    }
    return out;
  },
};

// -------------------------------------------------------------------------------------------- disk

const diskCheck: OutpostCheck = {
  id: 'outpost.disk',
  category: 'disk',
  scope: 'host',
  applies: (f, ctx) => !!f && (ctx.requirements.disk ?? []).some((d) => inHosts(d.hosts, f)),
  run({ host, requirements }) {
    const needs = (requirements.disk ?? []).filter((d) => inHosts(d.hosts, host));
    if (!host.mounts.length) return [{ idSuffix: '', title: m('title.disk', { mount: '?' }), status: 'error', message: m('data.missing', { what: 'disk usage (df)' }) }];
    // Paths on the same filesystem share its free space: add them up per mount.
    const perMount = new Map<string, { mount: NonNullable<ReturnType<typeof mountFor<HostFacts['mounts'][number]>>>; bytes: number; items: string[] }>();
    const out: CheckOutcome[] = [];
    for (const d of needs) {
      const mount = mountFor(host.mounts, d.path);
      if (!mount) { out.push({ idSuffix: `.${d.path}`, title: m('title.disk', { mount: d.path }), status: 'error', message: m('disk.unknown', { path: d.path }) }); continue; }
      const e = perMount.get(mount.mountpoint) ?? { mount, bytes: 0, items: [] };
      e.bytes += d.bytes;
      e.items.push(`${d.path}${d.purpose ? ` (${d.purpose})` : ''} ${formatBytes(d.bytes)}`);
      perMount.set(mount.mountpoint, e);
    }
    for (const { mount, bytes, items } of perMount.values()) {
      const p = { mount: mount.mountpoint, free: formatBytes(mount.availableBytes), need: formatBytes(bytes), paths: items.join(', ') };
      const base = { idSuffix: `.${mount.mountpoint}`, title: m('title.disk', { mount: mount.mountpoint }) };
      const left = mount.availableBytes - bytes;
      if (left < 0) out.push({ ...base, status: 'fail', message: m('disk.short', p), fix: m('disk.fixShort', { ...p, missing: formatBytes(-left) }) });
      else if (mount.totalBytes > 0 && left / mount.totalBytes < 0.1) out.push({ ...base, status: 'warn', message: m('disk.tight', { ...p, left: formatBytes(left), percent: Math.round((left / mount.totalBytes) * 100) }), fix: m('disk.fixTight', p) });
      else out.push({ ...base, status: 'pass', message: m('disk.ok', p) });
    }
    return out;
  },
};

/** Outpost's checks, in report order. */
export const OUTPOST_CHECKS: readonly OutpostCheck[] = [sudoCheck, hostnameCheck, clockCheck, middlewareEvery, middlewareAny, portsCheck, reachCheck, diskCheck];
