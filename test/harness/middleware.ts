// Real middleware (Debian's PostgreSQL 15, Redis, nginx, MariaDB) started inside a test host,
// each from its own temp dir, in the foreground and in its own process group, so stop() (or
// the host's stop, which kills everything in its namespace) really ends it.
// With an isolated host each service listens on its standard port inside the host's namespace;
// in the no-namespace fallback it gets a free port on the host's 127.0.0.x address.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, killGroup, onExitCleanup, run, runOk, tcpAnswer, tcpConnectable, waitFor } from './proc';
import { PREFIX } from './netns';
import type { TestHost } from './ssh-hosts';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export type MiddlewareHost = Pick<TestHost, 'name' | 'address' | 'isolated' | 'spawn'>;
export type MiddlewareKind = 'postgresql' | 'redis' | 'nginx' | 'mariadb';

export interface Service {
  kind: MiddlewareKind | 'listener';
  /** Where to reach it from the test process (the root namespace). */
  address: string;
  port: number;
  /** Upstream version as the binary reports it, e.g. '15.18', '7.0.15', '1.22.1', '10.11.19'. */
  version: string;
  /** Debian package version, e.g. '15.18-0+deb12u1' ('' for a listener). */
  packageVersion: string;
  /** The daemon's pid (same in every namespace: hosts share the pid namespace). */
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** Default: the standard port when the host is isolated, else a free one. */
  port?: number;
  /** How long to wait for the service to answer; default 60 s. */
  timeoutMs?: number;
}

const STANDARD_PORTS: Record<MiddlewareKind, number> = { postgresql: 5432, redis: 6379, nginx: 80, mariadb: 3306 };
const PACKAGES: Record<MiddlewareKind, string> = { postgresql: 'postgresql-15', redis: 'redis-server', nginx: 'nginx-common', mariadb: 'mariadb-server' };
const BINS: Record<MiddlewareKind, string> = {
  postgresql: `${PG_BIN}/postgres`,
  redis: '/usr/bin/redis-server',
  nginx: '/usr/sbin/nginx',
  mariadb: '/usr/sbin/mariadbd',
};

export function haveMiddleware(kind: MiddlewareKind): boolean {
  return fs.existsSync(BINS[kind]);
}

async function versions(kind: MiddlewareKind): Promise<{ version: string; packageVersion: string }> {
  // postgres (PostgreSQL) 15.18 (Debian …) | Redis server v=7.0.15 … | nginx version: nginx/1.22.1 (stderr) | mariadbd  Ver 10.11.19-MariaDB…
  const [v, p] = await Promise.all([run(BINS[kind], [kind === 'nginx' ? '-v' : '--version']), run('dpkg-query', ['-W', '-f', '${Version}', PACKAGES[kind]])]);
  const out = v.stdout + v.stderr;
  const version = out.match(/(?:PostgreSQL\)|v=|nginx\/|Ver)\s*(\d+\.\d+(?:\.\d+)?)/)?.[1] ?? '';
  if (!version) throw new Error(`cannot read ${kind} version from: ${out.trim()}`);
  // Debian versions may carry an epoch ("5:7.0.15-1~deb12u10"); the package tools print it, so keep it.
  return { version, packageVersion: p.stdout.trim() };
}

function tempDir(kind: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-mw-${process.pid}-${kind}-`));
  fs.chmodSync(dir, 0o755); // daemons drop to their own users and must reach their files
  // On a normal stop the dir is removed right away; this catches a run that exits without stopping.
  onExitCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function chown(user: string, ...paths: string[]): Promise<void> {
  await runOk('chown', ['-R', `${user}:${user}`, ...paths]);
}

async function portFor(host: MiddlewareHost, kind: MiddlewareKind, opts: ServiceOptions): Promise<number> {
  return opts.port ?? (host.isolated ? STANDARD_PORTS[kind] : await freePort(host.address));
}

/** Inside a namespace the daemon listens everywhere; on shared loopback only on the host's address. */
const listenAddress = (host: MiddlewareHost) => (host.isolated ? '0.0.0.0' : host.address);

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** Spawns the daemon in the host, waits until `ready` holds, and wraps it as a Service. */
async function daemon(o: {
  host: MiddlewareHost;
  kind: MiddlewareKind;
  dir: string;
  port: number;
  argv: string[];
  ready: () => Promise<boolean>;
  stopSignal?: NodeJS.Signals;
  timeoutMs?: number;
}): Promise<Service> {
  const log = path.join(o.dir, `${o.kind}.log`);
  const [vers, child] = await Promise.all([versions(o.kind), Promise.resolve(o.host.spawn(o.argv, { logFile: log }))]);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= killGroup(child, o.stopSignal ?? 'SIGTERM', 10_000).then(() => fs.rmSync(o.dir, { recursive: true, force: true }));
    return stopping;
  };
  try {
    await waitFor(`${o.kind} on ${o.host.name}:${o.port}`, async () => {
      if (exited(child)) throw new Error(`${o.kind} exited with ${child.exitCode ?? child.signalCode}:\n${tail(log)}`);
      return o.ready().catch(() => false);
    }, o.timeoutMs ?? 60_000, 50);
  } catch (e) {
    await stop();
    throw e;
  }
  return { kind: o.kind, address: o.host.address, port: o.port, ...vers, pid: child.pid!, dir: o.dir, stop };
}

const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;

export async function startPostgres(host: MiddlewareHost, opts: ServiceOptions = {}): Promise<Service> {
  const port = await portFor(host, 'postgresql', opts);
  const dir = tempDir('pg');
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  fs.mkdirSync(sock);
  await chown('postgres', dir);
  // PostgreSQL refuses to run as root: initdb and the postmaster run as postgres.
  const asPostgres = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
  await runOk(asPostgres[0]!, [...asPostgres.slice(1), `${PG_BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  // Let the test process (another address) connect, as a probe that logs in would.
  fs.appendFileSync(path.join(data, 'pg_hba.conf'), 'host all all 0.0.0.0/0 trust\n');
  return daemon({
    host,
    kind: 'postgresql',
    dir,
    port,
    argv: [...asPostgres, BINS.postgresql, '-D', data, '-c', `listen_addresses=${listenAddress(host)}`, '-p', String(port), '-k', sock],
    // An SSLRequest gets a one-byte 'S' or 'N' from a live postmaster.
    ready: async () => /^[SN]$/.test((await tcpAnswer(host.address, port, { send: Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]) })).toString()),
    stopSignal: 'SIGINT', // "fast" shutdown; SIGTERM would wait for clients to leave
    timeoutMs: opts.timeoutMs,
  });
}

export async function startRedis(host: MiddlewareHost, opts: ServiceOptions = {}): Promise<Service> {
  const port = await portFor(host, 'redis', opts);
  const dir = tempDir('redis');
  return daemon({
    host,
    kind: 'redis',
    dir,
    port,
    // Protected mode would refuse clients from outside the namespace (there is no password).
    argv: [BINS.redis, '--bind', listenAddress(host), '--port', String(port), '--protected-mode', 'no', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    ready: async () => (await tcpAnswer(host.address, port, { send: 'PING\r\n', done: (b) => b.includes('\r\n') })).toString().startsWith('+PONG'),
    timeoutMs: opts.timeoutMs,
  });
}

export async function startNginx(host: MiddlewareHost, opts: ServiceOptions = {}): Promise<Service> {
  const port = await portFor(host, 'nginx', opts);
  const dir = tempDir('nginx');
  const conf = path.join(dir, 'nginx.conf');
  const listen = host.isolated ? String(port) : `${host.address}:${port}`;
  fs.writeFileSync(
    conf,
    `daemon off;
user www-data;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 128; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen ${listen};
    location / { default_type text/plain; return 200 "outpost test nginx\\n"; }
  }
}
`,
  );
  return daemon({
    host,
    kind: 'nginx',
    dir,
    port,
    // -e: nginx opens its error log before reading the config; keep it off /var/log.
    argv: [BINS.nginx, '-p', `${dir}/`, '-c', conf, '-e', `${dir}/error.log`],
    ready: async () => (await tcpAnswer(host.address, port, { send: 'GET / HTTP/1.0\r\n\r\n', done: (b) => b.includes('\r\n') })).toString().startsWith('HTTP/1.1 200'),
    timeoutMs: opts.timeoutMs,
  });
}

/** Server version from a MySQL/MariaDB handshake packet (MariaDB prefixes "5.5.5-"). */
export function mysqlHandshakeVersion(packet: Buffer): string | undefined {
  if (packet.length < 6 || packet[4] !== 10) return undefined; // protocol version 10
  const end = packet.indexOf(0, 5);
  return end < 0 ? undefined : packet.subarray(5, end).toString();
}

export async function startMariadb(host: MiddlewareHost, opts: ServiceOptions = {}): Promise<Service> {
  const port = await portFor(host, 'mariadb', opts);
  const dir = tempDir('mariadb');
  const data = path.join(dir, 'data');
  await chown('mysql', dir); // the socket and pid file live here and mariadbd runs as mysql
  await runOk('mariadb-install-db', ['--no-defaults', '--user=mysql', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], { timeoutMs: 120_000 });
  // Without an account for '%', MariaDB answers other hosts with "Host … is not allowed to connect"
  // instead of its handshake; a passwordless root@'%' lets the test process (and a probe) in.
  const initFile = path.join(dir, 'init.sql');
  fs.writeFileSync(initFile, "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '';\nGRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;\n");
  return daemon({
    host,
    kind: 'mariadb',
    dir,
    port,
    argv: [
      BINS.mariadb, '--no-defaults', '--user=mysql', `--datadir=${data}`, `--bind-address=${listenAddress(host)}`, `--port=${port}`,
      `--socket=${dir}/mysqld.sock`, `--pid-file=${dir}/mysqld.pid`, `--log-error=${dir}/error.log`, '--skip-name-resolve',
      '--innodb-buffer-pool-size=16M', `--init-file=${initFile}`,
    ],
    ready: async () => !!mysqlHandshakeVersion(await tcpAnswer(host.address, port, { done: (b) => b.length >= 4 && b.length >= 4 + b.readUIntLE(0, 3) })),
    timeoutMs: opts.timeoutMs,
  });
}

const STARTERS: Record<MiddlewareKind, (h: MiddlewareHost, o?: ServiceOptions) => Promise<Service>> = {
  postgresql: startPostgres,
  redis: startRedis,
  nginx: startNginx,
  mariadb: startMariadb,
};

/** Starts several services in one host in parallel; on any failure stops the ones that started. */
export async function startMiddleware<K extends MiddlewareKind>(
  host: MiddlewareHost,
  kinds: K[] = ['postgresql', 'redis', 'nginx', 'mariadb'] as K[],
): Promise<Record<K, Service> & { stop(): Promise<void> }> {
  const results = await Promise.allSettled(kinds.map((k) => STARTERS[k](host)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stop = async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const out = Object.fromEntries(started.map((s) => [s.kind, s])) as Record<K, Service>;
  return Object.assign(out, { stop });
}

/**
 * Keeps `port` listening inside the host with a process whose name (as `ss -tlnp` shows it) is
 * `name`, for preflight's "port already in use" checks. The listener accepts and closes at once.
 */
export async function occupyPort(host: MiddlewareHost, port: number, opts: { name?: string; timeoutMs?: number } = {}): Promise<Service> {
  const name = opts.name ?? 'opt-listener';
  // The kernel names a process after the file it executed (15 chars kept), so a symlink to node does it.
  if (!/^[A-Za-z0-9._-]{1,15}$/.test(name)) throw new Error(`process name must be 1-15 plain characters: ${name}`);
  const dir = tempDir(`port${port}`);
  const bin = path.join(dir, name);
  fs.symlinkSync(process.execPath, bin);
  const script = "require('net').createServer((s) => s.end()).listen(Number(process.argv[1]), process.argv[2])";
  const child = host.spawn([bin, '-e', script, String(port), listenAddress(host)], { logFile: path.join(dir, 'listener.log') });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= killGroup(child, 'SIGTERM', 3000).then(() => fs.rmSync(dir, { recursive: true, force: true }));
    return stopping;
  };
  try {
    await waitFor(`${name} on ${host.name}:${port}`, async () => {
      if (exited(child)) throw new Error(`${name} exited:\n${tail(path.join(dir, 'listener.log'))}`);
      return tcpConnectable(host.address, port, 500);
    }, opts.timeoutMs ?? 15_000, 20);
  } catch (e) {
    await stop();
    throw e;
  }
  return { kind: 'listener', address: host.address, port, version: '', packageVersion: '', pid: child.pid!, dir, stop };
}
