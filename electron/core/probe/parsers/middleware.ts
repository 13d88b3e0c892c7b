import type { ExtraMiddleware } from '../script';
import type { ListeningPort, Middleware } from '../types';

/** What marks each known middleware as running: default ports and process names. */
export const KNOWN_MIDDLEWARE: Record<string, { ports: number[]; processes: string[] }> = {
  mysql: { ports: [3306], processes: ['mysqld', 'mysqld_safe'] },
  mariadb: { ports: [3306], processes: ['mariadbd', 'mysqld'] },
  postgresql: { ports: [5432], processes: ['postgres', 'postmaster'] },
  redis: { ports: [6379], processes: ['redis-server'] },
  nginx: { ports: [80, 443], processes: ['nginx'] },
  jdk: { ports: [], processes: ['java'] },
};

interface Sighting { name: string; version: string | null; path: string | null; source: Middleware['source']; package?: string | null; clientOnly?: boolean }

/**
 * Splits a `_mw` section into (path, output) pairs. `skipped` marks a binary the script did not run
 * because the package database already gave that middleware's version ('#skip=package').
 */
export function splitBinaryRuns(body: string): Array<{ path: string; output: string; skipped: boolean }> {
  const out: Array<{ path: string; output: string[]; skipped: boolean }> = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('path=')) { out.push({ path: line.slice(5).trim(), output: [], skipped: false }); continue; }
    const cur = out.at(-1);
    if (!cur) continue;
    if (line.trim() === '#skip=package') cur.skipped = true;
    else cur.output.push(line);
  }
  return out.map((o) => ({ path: o.path, output: o.output.join('\n'), skipped: o.skipped }));
}

/** `mysqld --version` / `mariadbd --version`: 'mysqld  Ver 8.0.36 for Linux …', '… Ver 10.11.6-MariaDB-0+deb12u1 for …'. */
export function parseMysqldVersion(text: string): { name: 'mysql' | 'mariadb'; version: string } | null {
  const m = /\bVer\s+(\d[\w.+~-]*)/.exec(text);
  if (!m) return null;
  return { name: /mariadb/i.test(text) ? 'mariadb' : 'mysql', version: m[1].replace(/[,-]+$/, '') };
}

/** `mysql --version`: 'Ver 15.1 Distrib 10.11.6-MariaDB, …', 'Ver 8.0.36 for Linux', 'mariadb from 11.4.2-MariaDB, client 15.2'. */
export function parseMysqlClientVersion(text: string): { name: 'mysql' | 'mariadb'; version: string } | null {
  const m = /\bDistrib\s+(\d[\w.+~-]*)/.exec(text) ?? /\bfrom\s+(\d[\w.+~-]*)/.exec(text) ?? /\bVer\s+(\d[\w.+~-]*)/.exec(text);
  if (!m) return null;
  return { name: /mariadb/i.test(text) ? 'mariadb' : 'mysql', version: m[1].replace(/[,-]+$/, '') };
}

/** 'postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)' / 'psql (PostgreSQL) 9.2.24'. */
export function parsePostgresVersion(text: string): string | null {
  return /\(PostgreSQL\)\s+(\d[\w.]*)/.exec(text)?.[1] ?? null;
}

/** 'Redis server v=7.0.15 sha=00000000:0 …'. */
export function parseRedisVersion(text: string): string | null {
  return /\bv=(\d[\w.]*)/.exec(text)?.[1] ?? null;
}

/** 'nginx version: nginx/1.22.1' or 'nginx version: openresty/1.21.4.1' (printed on stderr). */
export function parseNginxVersion(text: string): string | null {
  return /nginx version:\s*[\w.-]+\/(\d[\w.]*)/.exec(text)?.[1] ?? null;
}

/**
 * `java -version` (stderr): 'openjdk version "17.0.15" 2025-04-15', 'java version "1.8.0_392"'; or the
 * JDK's `release` file the script reads instead of starting a JVM: 'JAVA_VERSION="17.0.15"'.
 */
export function parseJavaVersion(text: string): string | null {
  return /^JAVA_VERSION="([^"]+)"/m.exec(text)?.[1] ?? /\bversion\s+"([^"]+)"/.exec(text)?.[1] ?? null;
}

/** dpkg/rpm package name → middleware name. */
export function middlewareForPackage(pkg: string): string | null {
  if (/^(mariadb-server|MariaDB-server)(-core)?(-[\d.]+)?$/.test(pkg)) return 'mariadb';
  if (/^(mysql-(community-)?server|percona-server-server)(-core)?(-[\d.]+)?$/.test(pkg)) return 'mysql';
  if (/^postgresql(-\d+(\.\d+)?|\d*-server|-server)$/.test(pkg)) return 'postgresql';
  if (/^redis(-server|\d+)?$/.test(pkg)) return 'redis';
  if (/^(nginx(-core|-light|-full|-extras)?|openresty)$/.test(pkg)) return 'nginx';
  if (/^openjdk-\d+-(jre|jdk)-headless$|^java-[\d.]+-openjdk(-headless)?$/.test(pkg)) return 'jdk';
  return null;
}

/** dpkg/rpm client package → middleware name (psql/mysql without a server on this host). */
export function clientForPackage(pkg: string): string | null {
  if (/^postgresql-client-\d+(\.\d+)?$|^postgresql\d*$/.test(pkg)) return 'postgresql';
  if (/^(mariadb-client|MariaDB-client)(-core)?(-[\d.]+)?$|^mariadb$/.test(pkg)) return 'mariadb';
  if (/^(mysql-client|mysql-community-client|percona-server-client)(-core)?(-[\d.]+)?$|^mysql$/.test(pkg)) return 'mysql';
  return null;
}

/** The `pkg` section: '#dpkg' rows 'name\tversion\tstatus', '#rpm' rows 'name\tversion-release'. */
export function parsePackages(body: string): Array<{ manager: 'dpkg' | 'rpm'; name: string; version: string }> {
  const out: Array<{ manager: 'dpkg' | 'rpm'; name: string; version: string }> = [];
  let mgr: 'dpkg' | 'rpm' | null = null;
  for (const line of body.split('\n')) {
    if (line.trim() === '#dpkg') { mgr = 'dpkg'; continue; }
    if (line.trim() === '#rpm') { mgr = 'rpm'; continue; }
    if (!mgr) continue;
    const f = line.split('\t');
    if (f.length < 2 || !f[0] || !f[1]) continue;
    if (mgr === 'dpkg' && !/\binstalled\b/.test(f[2] ?? '') ) continue;
    if (mgr === 'dpkg' && /not-installed|config-files/.test(f[2] ?? '')) continue;
    out.push({ manager: mgr, name: f[0].trim(), version: f[1].trim().replace(/^\d+:/, '') });
  }
  return out;
}

export interface MiddlewareSources {
  sections: Map<string, string>;
  ports: readonly ListeningPort[];
  processes: ReadonlySet<string>;
  extra?: readonly ExtraMiddleware[];
}

/**
 * Middleware already on the host, from binaries (--version), packages and what is listening.
 * A middleware counts as running when one of its processes owns a port or shows in the process
 * list, or when its default port is taken by a process the probe could not name.
 */
export function parseMiddleware(src: MiddlewareSources): Middleware[] {
  const sightings: Sighting[] = [];
  const runs = (name: string) => splitBinaryRuns(src.sections.get(name) ?? '').filter((r) => !r.skipped);
  // Binaries the script found but did not run (their package gave the version): their paths still count.
  const skippedPaths = new Map<string, string>();
  for (const [section, names] of [['mw.mysqld', ['mysql', 'mariadb']], ['mw.postgres', ['postgresql']], ['mw.redis', ['redis']], ['mw.nginx', ['nginx']], ['mw.java', ['jdk']]] as const) {
    const first = splitBinaryRuns(src.sections.get(section) ?? '').find((r) => r.skipped);
    if (first) for (const n of names) skippedPaths.set(n, first.path);
  }
  for (const r of runs('mw.mysqld')) {
    const v = parseMysqldVersion(r.output);
    if (v) sightings.push({ name: v.name, version: v.version, path: r.path, source: 'binary' });
  }
  for (const r of runs('mw.mysql')) {
    const v = parseMysqlClientVersion(r.output);
    if (v) sightings.push({ name: v.name, version: v.version, path: r.path, source: 'binary', clientOnly: true });
  }
  for (const r of runs('mw.postgres')) {
    const v = parsePostgresVersion(r.output);
    if (v) sightings.push({ name: 'postgresql', version: v, path: r.path, source: 'binary' });
  }
  for (const r of runs('mw.psql')) {
    const v = parsePostgresVersion(r.output);
    if (v) sightings.push({ name: 'postgresql', version: v, path: r.path, source: 'binary', clientOnly: true });
  }
  for (const r of runs('mw.redis')) {
    const v = parseRedisVersion(r.output);
    if (v) sightings.push({ name: 'redis', version: v, path: r.path, source: 'binary' });
  }
  for (const r of runs('mw.nginx')) {
    const v = parseNginxVersion(r.output);
    if (v) sightings.push({ name: 'nginx', version: v, path: r.path, source: 'binary' });
  }
  for (const r of runs('mw.java')) {
    const v = parseJavaVersion(r.output);
    if (v) sightings.push({ name: 'jdk', version: v, path: r.path, source: 'binary' });
  }
  for (const p of parsePackages(src.sections.get('pkg') ?? '')) {
    const name = middlewareForPackage(p.name);
    if (name) sightings.push({ name, version: p.version, path: skippedPaths.get(name) ?? null, source: 'package', package: p.name });
    const client = name ? null : clientForPackage(p.name);
    if (client) sightings.push({ name: client, version: p.version, path: null, source: 'package', package: p.name, clientOnly: true });
  }
  const extraPkgs = new Map<string, string>();
  for (const x of src.extra ?? []) for (const p of x.packages ?? []) extraPkgs.set(p, x.name);
  for (const x of src.extra ?? []) {
    const body = src.sections.get(`mwx.${x.name}`);
    if (body === undefined) continue;
    // The bundle's commands print whatever they print: the first dotted number after a command that printed one is the version.
    const output = body.split('\n').filter((l) => !l.startsWith('$ ')).join('\n');
    const v = /(\d+\.\d+(?:\.\d+)*[\w.+~-]*)/.exec(output)?.[1] ?? null;
    if (v && !/not found|no such file/i.test(output.split('\n').find((l) => l.includes(v)) ?? '')) {
      sightings.push({ name: x.name, version: v, path: null, source: 'command' });
    }
  }
  for (const p of parsePackages(src.sections.get('pkg') ?? '')) {
    const name = extraPkgs.get(p.name);
    if (name) sightings.push({ name, version: p.version, path: null, source: 'package', package: p.name });
  }

  const defs = new Map(Object.entries(KNOWN_MIDDLEWARE));
  for (const x of src.extra ?? []) defs.set(x.name, { ports: x.port ? [x.port] : [], processes: x.processes ?? [] });

  const out: Middleware[] = [];
  const names = new Set([...sightings.map((s) => s.name)]);
  // Running servers with no binary or package we could read (a tarball install, a container) still count.
  for (const [name, def] of defs) {
    if (names.has(name)) continue;
    if (name === 'mariadb' && names.has('mysql')) continue;
    if (name === 'mysql' && names.has('mariadb')) continue;
    if (src.ports.some((p) => p.process && def.processes.includes(p.process))) names.add(name);
  }
  for (const name of names) {
    const def = defs.get(name) ?? { ports: [], processes: [] };
    const own = src.ports.filter((p) => p.process && def.processes.includes(p.process));
    const unnamedOnDefault = src.ports.filter((p) => !p.process && def.ports.includes(p.port));
    const ports = [...new Set([...own, ...unnamedOnDefault].map((p) => p.port))].sort((a, b) => a - b);
    const running = ports.length > 0 || def.processes.some((p) => src.processes.has(p));
    const mine = sightings.filter((s) => s.name === name);
    const servers = mine.filter((s) => !s.clientOnly);
    const chosen = servers.length ? servers : mine;
    // One entry per distinct version (two JDKs side by side are two entries); binaries beat packages.
    const byVersion = new Map<string, Sighting>();
    for (const s of chosen.sort((a, b) => rank(a) - rank(b))) {
      const key = normalizeVersionKey(s.version);
      if (!byVersion.has(key)) byVersion.set(key, s);
    }
    const pkgFor = (v: string | null) => chosen.find((s) => s.source === 'package' && normalizeVersionKey(s.version) === normalizeVersionKey(v))?.package ?? null;
    if (byVersion.size === 0) {
      out.push({ name, version: null, source: own.length ? 'port' : 'process', running, port: ports[0] ?? null, ports, path: null, package: null });
      continue;
    }
    for (const s of byVersion.values()) {
      out.push({
        name, version: s.version, source: s.source, running, port: ports[0] ?? null, ports, path: s.path,
        package: s.package ?? pkgFor(s.version), ...(servers.length === 0 ? { clientOnly: true } : {}),
      });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function rank(s: Sighting): number {
  return s.source === 'binary' ? 0 : s.source === 'command' ? 1 : 2;
}

/**
 * '10.11.19-MariaDB-0+deb12u1' and '10.11.19-0+deb12u1' are the same release; so are Java's
 * '1.8.0_392' and its RPM's '1.8.0.392.b08-4.el8'.
 */
function normalizeVersionKey(v: string | null): string {
  const s = (v ?? '').replace(/_/g, '.');
  return s.match(/^\d+(?:\.\d+)*/)?.[0] ?? s;
}
