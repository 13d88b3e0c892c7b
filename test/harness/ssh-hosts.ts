// Real sshd target hosts for integration tests.
//
// As root, each host gets its own network namespace reached over a veth pair with link-local
// /30 addresses, its own hostname (UTS namespace) and its own /etc (an overlay over the real
// /etc, so fixtures can add files such as redhat-release and hide files such as debian_version).
// Without namespaces, hosts fall back to sshd on 127.0.0.x with a free port and report
// `isolated: false`; tests that need their own hostname or /etc must skip then.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allocSlots, canRunNamespaces, cleanupStale, isRoot, makeNetns, pidTag, PREFIX, releaseSlot, removeNetns, removeNetnsSync, slotAddress } from './netns';
import { freePort, killGroup, onExitCleanup, run, runOk, runSyncQuiet, tcpAnswer, waitFor, type RunResult } from './proc';

// Re-exported so tests can take everything host-related from this one module.
export { canRunNamespaces, cleanupStale, PREFIX };
export { startBlackholes, type Blackholes, type Endpoint } from './blackholes';

export const SSHD = '/usr/sbin/sshd';

export interface HostSpec {
  name: string;
  /** Defaults to `name`. */
  hostname?: string;
  /** Files laid over /etc inside the host (e.g. test/fixtures/os-release/centos7/etc). */
  etcDir?: string;
  /** Paths relative to /etc to hide inside the host, e.g. 'debian_version'. */
  etcRemove?: string[];
  /** Extra local users (names must start with `opt`) that get the run's client key. */
  users?: string[];
  /** Appended to the generated sshd_config; plain options take precedence over the defaults. */
  extraSshdConfig?: string;
  /** sshd ports inside the namespace; default [22]. In the fallback they are replaced by free ports. */
  ports?: number[];
}

export interface StartOptions {
  /** How long to wait for each sshd to greet; default 15 s. */
  startTimeoutMs?: number;
}

export interface TestUsers {
  /** Key auth only (the account has no password). */
  key: string;
  /** Key and password auth; sudo asks for the password. */
  password: { user: string; password: string };
  /** Key and password auth; sudo without a password. */
  nopass: string;
}

export interface ExecOptions {
  /** Throw when the command exits non-zero; default true. */
  check?: boolean;
  input?: string;
  timeoutMs?: number;
}

export interface TestHost {
  name: string;
  hostname: string;
  address: string;
  port: number;
  ports: number[];
  /** True when the host has its own namespace, hostname and /etc. */
  isolated: boolean;
  netns?: string;
  hostKeyPath: string;
  /** `SHA256:…` exactly as `ssh-keygen -lf` prints it; updated by regenerateHostKey(). */
  hostKeyFingerprint: string;
  clientKeyPath: string;
  users: TestUsers;
  /** Milliseconds from the start of this host's setup until sshd greeted. */
  startMs: number;
  sshdLog: string;
  /** Runs `sh -c cmd` as root inside the host (its namespaces, its /etc). */
  exec(cmd: string, opts?: ExecOptions): Promise<RunResult>;
  /** Starts a long-running process inside the host in its own process group (stdout+stderr to logFile). */
  spawn(argv: string[], opts?: { logFile?: string }): ChildProcess;
  /** Replaces the host key and makes sshd reload it; returns the new fingerprint. */
  regenerateHostKey(): Promise<string>;
  stop(): Promise<void>;
}

export interface TestHosts {
  hosts: TestHost[];
  isolated: boolean;
  runDir: string;
  clientKeyPath: string;
  clientPublicKey: string;
  users: TestUsers;
  /** One-off cost of creating users and the client key. */
  setupMs: number;
  host(name: string): TestHost;
  stop(): Promise<void>;
}

/** Fixed so that parallel test processes that (re)set it never disagree. */
export const TEST_PASSWORD = 'opt-Secret-42';
export const TEST_USERS: TestUsers = {
  key: 'optkey',
  password: { user: 'optpass', password: TEST_PASSWORD },
  nopass: 'optnopass',
};
const SUDOERS_FILE = '/etc/sudoers.d/opt-harness';
// timestamp_timeout=0: a password typed for sudo -S must not make a later `sudo -n` pass.
const SUDOERS = `# Written by Outpost's test harness (test/harness/ssh-hosts.ts).
Defaults:optpass timestamp_timeout=0, lecture=never
optpass ALL=(ALL) ALL
optnopass ALL=(ALL) NOPASSWD: ALL
`;

export function haveSshd(): boolean {
  return fs.existsSync(SSHD);
}

export function haveSudo(): boolean {
  return fs.existsSync('/usr/bin/sudo') && fs.existsSync('/etc/sudoers.d');
}

/** startHosts() needs root (it creates local users) and sshd. */
export function canStartHosts(): boolean {
  return isRoot() && haveSshd();
}

// ---------------------------------------------------------------- users

const userSetups = new Map<string, Promise<void>>();

async function retryLocked(cmd: string, args: string[], input?: string): Promise<void> {
  // useradd/chpasswd fail with "cannot lock /etc/passwd" when another test process holds the lock.
  for (let attempt = 0; ; attempt++) {
    const r = await run(cmd, args, { input });
    if (r.code === 0 || (cmd === 'useradd' && r.code === 9)) return; // 9: user exists (lost a race)
    if (attempt >= 20) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
    await new Promise((res) => setTimeout(res, 50 + attempt * 20));
  }
}

function ensureUser(name: string, withPassword: boolean): Promise<void> {
  if (!name.startsWith(PREFIX)) throw new Error(`test user ${name} must start with "${PREFIX}"`);
  let p = userSetups.get(name);
  if (!p) {
    p = (async () => {
      if ((await run('id', ['-u', name])).code !== 0) await retryLocked('useradd', ['-m', '-s', '/bin/bash', name]);
      if (withPassword) await retryLocked('chpasswd', [], `${name}:${TEST_PASSWORD}\n`);
    })();
    userSetups.set(name, p);
  }
  return p;
}

async function ensureUsers(extra: string[]): Promise<void> {
  await Promise.all([
    ensureUser(TEST_USERS.key, false),
    ensureUser(TEST_USERS.password.user, true),
    ensureUser(TEST_USERS.nopass, true),
    ...extra.map((u) => ensureUser(u, false)),
  ]);
  if (haveSudo() && !(fs.existsSync(SUDOERS_FILE) && fs.readFileSync(SUDOERS_FILE, 'utf8') === SUDOERS)) {
    const tmp = `${SUDOERS_FILE}.${process.pid}.tmp`; // sudo ignores names with a dot
    fs.writeFileSync(tmp, SUDOERS, { mode: 0o440 });
    fs.renameSync(tmp, SUDOERS_FILE);
  }
}

// ---------------------------------------------------------------- keys

/** `SHA256:<unpadded base64>` of an OpenSSH public key line, as ssh-keygen -lf prints it. */
export function fingerprintOfPublicKey(pubLine: string): string {
  const blob = Buffer.from(pubLine.trim().split(/\s+/)[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

async function newKey(file: string, comment: string): Promise<string> {
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  await runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  return fs.readFileSync(`${file}.pub`, 'utf8');
}

// ---------------------------------------------------------------- sshd config

function sshdConfig(o: { ports: number[]; listen: string; hostKey: string; pidFile: string; authKeysDir: string; extra?: string }): string {
  // sshd keeps the first value it reads for an option, so the caller's plain options go first;
  // Match blocks must come last.
  const extra = o.extra ?? '';
  const matchAt = extra.search(/^\s*Match\s/im);
  const extraPlain = matchAt < 0 ? extra : extra.slice(0, matchAt);
  const extraMatch = matchAt < 0 ? '' : extra.slice(matchAt);
  return [
    extraPlain.trim(),
    ...o.ports.map((p) => `Port ${p}`),
    `ListenAddress ${o.listen}`,
    `HostKey ${o.hostKey}`,
    `PidFile ${o.pidFile}`,
    `AuthorizedKeysFile ${o.authKeysDir}/%u`,
    'StrictModes no',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication yes',
    'UsePAM yes',
    'PermitRootLogin no',
    'UseDNS no',
    'PrintMotd no',
    'LogLevel VERBOSE',
    // Tests open many connections at once; the default (10:30:100) would drop some.
    'MaxStartups 200',
    'MaxSessions 100',
    'AcceptEnv LANG LC_*',
    'Subsystem sftp internal-sftp',
    extraMatch.trim(),
    '',
  ].join('\n');
}

// Runs inside the new UTS and mount namespaces: own hostname, own /etc (overlay), then sshd in the foreground.
const SSHD_WRAPPER = `set -e
hostname "$OPT_HOSTNAME"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$OPT_UPPER,workdir=$OPT_WORK" /etc
for f in "$@"; do rm -rf "/etc/$f"; done
exec ${SSHD} -D -f "$OPT_CONFIG" -E "$OPT_LOG"`;

function checkEtcRemove(names: string[]): void {
  for (const n of names) {
    if (!/^[A-Za-z0-9_.+-][A-Za-z0-9_.+/-]*$/.test(n) || n.split('/').includes('..')) throw new Error(`bad etcRemove entry: ${n}`);
  }
}

// ---------------------------------------------------------------- one host

let hostCounter = 0;

interface RunContext {
  runDir: string;
  authKeysDir: string;
  clientKeyPath: string;
  isolated: boolean;
  startTimeoutMs: number;
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

async function startHost(spec: HostSpec, ctx: RunContext, slot: number | undefined): Promise<TestHost> {
  const t0 = performance.now();
  const n = hostCounter++;
  const hostname = spec.hostname ?? spec.name;
  const dir = path.join(ctx.runDir, `host-${n}-${spec.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
  fs.mkdirSync(dir, { recursive: true });
  const hostKeyPath = path.join(dir, 'ssh_host_ed25519_key');
  const sshdLog = path.join(dir, 'sshd.log');
  const configPath = path.join(dir, 'sshd_config');
  const etcRemove = spec.etcRemove ?? [];
  checkEtcRemove(etcRemove);

  const netns = ctx.isolated ? `${PREFIX}-${process.pid}-${n}` : undefined;
  const vethHost = `${PREFIX}${pidTag()}h${n.toString(36)}`;
  const address = ctx.isolated ? slotAddress(slot!, 2) : `127.0.0.${2 + (n % 250)}`;
  const ports = ctx.isolated ? (spec.ports ?? [22]) : await Promise.all((spec.ports ?? [22]).map(() => freePort(address)));

  const pubKey = await newKey(hostKeyPath, `root@${hostname}`);
  fs.writeFileSync(
    configPath,
    sshdConfig({ ports, listen: ctx.isolated ? '0.0.0.0' : address, hostKey: hostKeyPath, pidFile: path.join(dir, 'sshd.pid'), authKeysDir: ctx.authKeysDir, extra: spec.extraSshdConfig }),
  );
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation dir

  let unregister = () => {};
  let stopping: Promise<void> | undefined;
  let sshd: ChildProcess;
  let stderr = '';
  if (ctx.isolated) {
    unregister = onExitCleanup(() => removeNetnsSync(netns!, [vethHost]));
    await makeNetns(netns!, vethHost, slot!).catch((e) => {
      removeNetnsSync(netns!, [vethHost]);
      unregister();
      throw e;
    });
    const upper = path.join(dir, 'etc-upper');
    const work = path.join(dir, 'etc-work');
    fs.mkdirSync(work);
    if (spec.etcDir) fs.cpSync(spec.etcDir, upper, { recursive: true });
    else fs.mkdirSync(upper);
    // The merged /etc takes the upper dir's owner and mode: a 0700 fixture dir would lock users out of /etc.
    fs.chmodSync(upper, 0o755);
    fs.chownSync(upper, 0, 0);
    // sudo warns "unable to resolve host" unless the hostname resolves.
    if (!fs.existsSync(path.join(upper, 'hostname'))) fs.writeFileSync(path.join(upper, 'hostname'), `${hostname}\n`);
    if (!fs.existsSync(path.join(upper, 'hosts'))) fs.writeFileSync(path.join(upper, 'hosts'), `${fs.readFileSync('/etc/hosts', 'utf8')}\n127.0.1.1\t${hostname}\n`);
    sshd = spawn('ip', ['netns', 'exec', netns!, 'unshare', '--uts', '--mount', '--propagation', 'private', 'sh', '-c', SSHD_WRAPPER, 'sh', ...etcRemove], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', OPT_HOSTNAME: hostname, OPT_UPPER: upper, OPT_WORK: work, OPT_CONFIG: configPath, OPT_LOG: sshdLog },
    });
  } else {
    sshd = spawn(SSHD, ['-D', '-f', configPath, '-E', sshdLog], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = sshd.pid;
    unregister = onExitCleanup(() => pid && runSyncQuiet('kill', ['-KILL', `-${pid}`]));
  }
  sshd.stderr!.on('data', (d) => (stderr += d));
  const sshdPid = sshd.pid!;

  const greeted = () => tcpAnswer(address, ports[0]!, { done: (b) => b.includes('\n'), timeoutMs: 1000 }).then((b) => b.toString().startsWith('SSH-'));
  try {
    await waitFor(`sshd of ${spec.name} on ${address}:${ports[0]}`, async () => {
      if (sshd.exitCode !== null || sshd.signalCode !== null) throw new Error(`sshd exited: ${stderr.trim()}\n${logTail(sshdLog)}`);
      return greeted().catch(() => false);
    }, ctx.startTimeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }

  const inHost = (argv: string[]) => (ctx.isolated ? ['nsenter', '-t', String(sshdPid), '-n', '-m', '-u', '--', ...argv] : argv);

  function stop(): Promise<void> {
    stopping ??= (async () => {
      await killGroup(sshd, 'SIGTERM', 3000);
      if (ctx.isolated) await removeNetns(netns!, [vethHost]);
      unregister();
      if (slot !== undefined) releaseSlot(slot);
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  }

  const host: TestHost = {
    name: spec.name,
    hostname: ctx.isolated ? hostname : os.hostname(),
    address,
    port: ports[0]!,
    ports,
    isolated: ctx.isolated,
    netns,
    hostKeyPath,
    hostKeyFingerprint: fingerprintOfPublicKey(pubKey),
    clientKeyPath: ctx.clientKeyPath,
    users: TEST_USERS,
    startMs: Math.round(performance.now() - t0),
    sshdLog,
    async exec(cmd, opts = {}) {
      const [bin, ...args] = inHost(['sh', '-c', cmd]);
      const r = await run(bin!, args, { input: opts.input, timeoutMs: opts.timeoutMs });
      if (opts.check !== false && r.code !== 0) throw new Error(`[${spec.name}] ${cmd} exited ${r.code}: ${r.stderr.trim()}`);
      return r;
    },
    spawn(argv, opts = {}) {
      const [bin, ...args] = inHost(argv);
      const fd = fs.openSync(opts.logFile ?? '/dev/null', 'a');
      try {
        const child = spawn(bin!, args, { detached: true, stdio: ['ignore', fd, fd] });
        const pid = child.pid;
        const unreg = onExitCleanup(() => pid && runSyncQuiet('kill', ['-KILL', `-${pid}`]));
        child.once('exit', unreg);
        return child;
      } finally {
        fs.closeSync(fd);
      }
    },
    async regenerateHostKey() {
      const listening = () => (fs.readFileSync(sshdLog, 'utf8').match(/Server listening on/g) ?? []).length;
      const before = listening();
      const pub = await newKey(hostKeyPath, `root@${hostname}`);
      // SIGHUP makes sshd re-exec itself with the same pid (and so the same namespaces), rereading its keys.
      process.kill(sshdPid, 'SIGHUP');
      await waitFor(`sshd of ${spec.name} to reload`, async () => listening() > before && greeted().catch(() => false), ctx.startTimeoutMs);
      host.hostKeyFingerprint = fingerprintOfPublicKey(pub);
      return host.hostKeyFingerprint;
    },
    stop,
  };
  return host;
}

// ---------------------------------------------------------------- many hosts

let staleCleaned = false;

export async function startHosts(specs: HostSpec[], opts: StartOptions = {}): Promise<TestHosts> {
  if (!canStartHosts()) throw new Error('startHosts needs root and /usr/sbin/sshd (check canStartHosts() and skip)');
  const names = new Set(specs.map((s) => s.name));
  if (names.size !== specs.length) throw new Error('host names must be unique');
  if (!staleCleaned) {
    staleCleaned = true;
    cleanupStale();
  }
  const t0 = performance.now();
  const isolated = await canRunNamespaces();
  // 0755 all the way: sshd reads authorized_keys as the logging-in user.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `${PREFIX}-run-${process.pid}-`));
  fs.chmodSync(runDir, 0o755);
  const unregisterRun = onExitCleanup(() => fs.rmSync(runDir, { recursive: true, force: true }));
  const authKeysDir = path.join(runDir, 'authorized_keys');
  fs.mkdirSync(authKeysDir, { mode: 0o755 });
  const clientKeyPath = path.join(runDir, 'id_ed25519');

  const extraUsers = [...new Set(specs.flatMap((s) => s.users ?? []))];
  const [clientPublicKey] = await Promise.all([newKey(clientKeyPath, 'outpost-test'), ensureUsers(extraUsers)]);
  for (const u of [TEST_USERS.key, TEST_USERS.password.user, TEST_USERS.nopass, ...extraUsers]) {
    fs.writeFileSync(path.join(authKeysDir, u), clientPublicKey, { mode: 0o644 });
  }
  const setupMs = Math.round(performance.now() - t0);

  const ctx: RunContext = { runDir, authKeysDir, clientKeyPath, isolated, startTimeoutMs: opts.startTimeoutMs ?? 15_000 };
  const slots = isolated ? await allocSlots(specs.length) : [];
  const started = await Promise.allSettled(specs.map((s, i) => startHost(s, ctx, slots[i])));
  const hosts = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await Promise.all(hosts.map((h) => h.stop()));
      fs.rmSync(runDir, { recursive: true, force: true });
      unregisterRun();
    })();
    return stopping;
  };
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return {
    hosts,
    isolated,
    runDir,
    clientKeyPath,
    clientPublicKey,
    users: TEST_USERS,
    setupMs,
    host(name) {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no test host named ${name}`);
      return h;
    },
    stop,
  };
}

