// Network namespace plumbing shared by the sshd hosts and the blackholes: link-local
// addressing, veth pairs, tear-down (also from exit handlers) and removal of stale leftovers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive, run, runOk, runSyncQuiet, waitFor } from './proc';

/** Every namespace, veth, temp dir and user the harness makes starts with this. */
export const PREFIX = 'opt';

export const isRoot = () => process.getuid?.() === 0;

let nsProbe: Promise<boolean> | undefined;
/**
 * Root and `ip netns add` works (not the case in unprivileged containers).
 * OUTPOST_TEST_NO_NETNS=1 forces the loopback fallback, to test that path.
 */
export function canRunNamespaces(): Promise<boolean> {
  nsProbe ??= (async () => {
    if (!isRoot() || process.env.OUTPOST_TEST_NO_NETNS === '1') return false;
    const name = `${PREFIX}-${process.pid}-probe`;
    const ok = (await run('ip', ['netns', 'add', name])).code === 0;
    if (ok) await run('ip', ['netns', 'del', name]);
    return ok;
  })();
  return nsProbe;
}

// Link-local /30 blocks: 169.254.X.(4k+1) on the root side, .(4k+2) inside the namespace.
// The first slot tried depends on the pid, so parallel test processes rarely probe the same
// slots; slots whose address already exists on this machine are skipped.
const SLOTS = 254 * 64;
const takenSlots = new Set<number>();
let slotCursor = (process.pid * 97) % SLOTS;

export async function allocSlots(n: number): Promise<number[]> {
  const inUse = (await run('ip', ['-o', '-4', 'addr', 'show'])).stdout;
  const out: number[] = [];
  while (out.length < n) {
    const slot = slotCursor;
    slotCursor = (slotCursor + 1) % SLOTS;
    if (takenSlots.has(slot) || inUse.includes(` ${slotAddress(slot, 1)}/`)) continue;
    takenSlots.add(slot);
    out.push(slot);
  }
  return out;
}

export function releaseSlot(slot: number): void {
  takenSlots.delete(slot);
}

export function slotAddress(slot: number, which: 1 | 2): string {
  return `169.254.${1 + Math.floor(slot / 64)}.${(slot % 64) * 4 + which}`;
}

export const pidTag = () => process.pid.toString(36);



/** Creates namespace + veth (+ addresses, optionally left down) in one shell run. */
export async function makeNetns(netns: string, vethHost: string, slot: number, nsSideUp = true): Promise<void> {
  const a1 = slotAddress(slot, 1);
  const a2 = slotAddress(slot, 2);
  const script = [
    `ip netns add ${netns}`,
    `ip link add ${vethHost} type veth peer name eth0 netns ${netns}`,
    `ip addr add ${a1}/30 dev ${vethHost}`,
    `ip link set ${vethHost} up`,
    `ip -n ${netns} addr add ${a2}/30 dev eth0`,
    `ip -n ${netns} link set lo up`,
    nsSideUp ? `ip -n ${netns} link set eth0 up` : 'true',
  ].join(' && ');
  await runOk('sh', ['-c', script]);
}

/** Kills everything inside the namespace, then removes veth and namespace (synchronous: exit-safe). */
export function removeNetnsSync(netns: string, vethHosts: string[]): void {
  for (let i = 0; i < 20; i++) {
    const pids = runSyncQuiet('ip', ['netns', 'pids', netns]).split(/\s+/).filter(Boolean);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25); // let the kernel reap
  }
  // Deleting the veth explicitly is immediate; a namespace's own devices go away asynchronously.
  for (const v of vethHosts) runSyncQuiet('ip', ['link', 'del', v]);
  runSyncQuiet('ip', ['netns', 'del', netns]);
}

export async function removeNetns(netns: string, vethHosts: string[]): Promise<void> {
  const pids = (await run('ip', ['netns', 'pids', netns])).stdout.split(/\s+/).filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  if (pids.length) await waitFor('namespace to empty', async () => (await run('ip', ['netns', 'pids', netns])).stdout.trim() === '', 3000, 25).catch(() => {});
  removeNetnsSync(netns, vethHosts);
}

// ---------------------------------------------------------------- stale leftovers

/**
 * Removes namespaces, veths and temp dirs left by harness processes that no longer run
 * (names carry the creating pid). Returns what it removed.
 */
export function cleanupStale(prefix = PREFIX): string[] {
  const removed: string[] = [];
  const dead = (pid: number) => pid !== process.pid && !pidAlive(pid);
  for (const line of runSyncQuiet('ip', ['netns', 'list']).split('\n')) {
    const name = line.split(' ')[0];
    const m = name?.match(new RegExp(`^${prefix}-(\\d+)-`));
    if (m && dead(Number(m[1]))) {
      removeNetnsSync(name!, []);
      removed.push(`netns ${name}`);
    }
  }
  for (const line of runSyncQuiet('ip', ['-o', 'link', 'show', 'type', 'veth']).split('\n')) {
    const name = line.match(/^\d+:\s+([^@:\s]+)/)?.[1];
    const m = name?.match(new RegExp(`^${prefix}([0-9a-z]+)[hbu][0-9a-z]+$`));
    if (m && dead(parseInt(m[1]!, 36))) {
      runSyncQuiet('ip', ['link', 'del', name!]);
      removed.push(`veth ${name}`);
    }
  }
  const tmp = os.tmpdir();
  for (const entry of fs.readdirSync(tmp)) {
    const m = entry.match(new RegExp(`^${prefix}-(?:run|mw)-(\\d+)-`));
    if (m && dead(Number(m[1]))) {
      fs.rmSync(path.join(tmp, entry), { recursive: true, force: true });
      removed.push(`dir ${entry}`);
    }
  }
  return removed;
}

