// Small process and socket helpers shared by the harness modules.
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command without a shell; never throws for a non-zero exit (check `code`). */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) || (err && code === 127 ? err.message : '') });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like run() but throws with the command's stderr when it fails. */
export async function runOk(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** Synchronous best-effort command for exit handlers, where nothing async runs any more. */
export function runSyncQuiet(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).toString();
  } catch {
    return '';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    await sleep(everyMs);
  }
}

/**
 * Connects, optionally sends `send`, and resolves with what the peer said once `done(received)` is true.
 * Rejects on error, close before `done`, or timeout. Used both for readiness checks and by tests.
 */
export function tcpAnswer(
  address: string,
  port: number,
  opts: { send?: string | Buffer; done?: (buf: Buffer) => boolean; timeoutMs?: number } = {},
): Promise<Buffer> {
  const done = opts.done ?? ((b: Buffer) => b.length > 0);
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const sock = net.connect({ host: address, port });
    const timer = setTimeout(() => finish(new Error(`no answer from ${address}:${port}`)), opts.timeoutMs ?? 2000);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(buf);
    };
    sock.on('connect', () => {
      if (opts.send !== undefined) sock.write(opts.send);
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (done(buf)) finish();
    });
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error(`${address}:${port} closed after ${buf.length} bytes`)));
  });
}

/** A port that was free on `address` a moment ago (for the no-namespace fallback). */
export function freePort(address = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, address, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Stops a child started with `detached: true` by signalling its whole process group,
 * escalating to SIGKILL; resolves once the leader has exited.
 */
export async function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        /* already gone */
      }
    }
  };
  signalGroup(signal);
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // stragglers in the group (workers, backends) that ignored the first signal
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Synchronous clean-ups run when the process exits or is signalled, so a test run that dies
// half-way does not leave namespaces, veths or daemons behind. Each resource registers one and
// unregisters it after a normal stop().
const exitCleanups = new Map<number, () => void>();
let nextCleanupId = 1;
let hooksInstalled = false;

function runExitCleanups(): void {
  for (const [id, fn] of [...exitCleanups].reverse()) {
    exitCleanups.delete(id);
    try {
      fn();
    } catch {
      /* best effort: keep cleaning the rest */
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', runExitCleanups);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      runExitCleanups();
      // Re-raise only when nobody else handles the signal, so the default action (exit) still happens.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

/** Registers a synchronous clean-up for process exit; returns the function that unregisters it. */
export function onExitCleanup(fn: () => void): () => void {
  installExitHooks();
  const id = nextCleanupId++;
  exitCleanups.set(id, fn);
  return () => {
    exitCleanups.delete(id);
  };
}

/** Resolves true when a TCP connection to address:port is accepted within timeoutMs. */
export function tcpConnectable(address: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('connect', () => done(true));
    sock.on('error', () => done(false));
  });
}
