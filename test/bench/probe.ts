/**
 * Probe benchmark, side by side in one run on the same network-namespace hosts:
 *  - ours: Outpost's probe (the product path: SSH with pinned keys, audit log, parsing), 1 host and 20 in parallel
 *  - Ansible's fact gathering: `ansible all -i INV -m setup -f 20` (Debian's ansible-core)
 *  - the floor: one OpenSSH `ssh host sh -s < script` per host, all in parallel, with our script
 * Each is timed best of 3. Goals: >= 4x faster than Ansible, within 1.3x of the OpenSSH floor.
 *
 *   node --import tsx test/bench/probe.ts [--hosts N] [--json]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCore } from '../../electron/core/create-core';
import { probeRecords } from '../../electron/core/probe/probe-job';
import { buildProbeScript } from '../../electron/core/probe';
import { quietContext } from '../../electron/core/jobs/context';
import { startHosts, type TestHosts } from '../harness/ssh-hosts';

export interface ProbeBenchResult {
  hosts: number;
  ours1Sec: number;
  oursNSec: number;
  ansible1Sec: number | null;
  ansibleNSec: number | null;
  floor1Sec: number;
  floorNSec: number;
  /** ansible / ours (goal >= 4) */
  vsAnsible: number | null;
  /** ours / floor (goal <= 1.3) */
  vsFloor: number;
  okHosts: number;
  /** Warnings over all hosts' facts in the first run (a fast probe that lost facts would show here). */
  warnings: number;
}

function runCmd(cmd: string, args: string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'] });
    let err = '';
    c.stderr!.on('data', (d) => (err += d));
    if (input !== undefined) c.stdin!.end(input);
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve(0) : reject(new Error(`${cmd} exited ${code}: ${err.slice(-400)}`))));
  });
}

async function best(times: number, fn: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, (performance.now() - t) / 1000);
  }
  return min;
}

export async function runProbeBench(opts: { hosts?: number; log?: (s: string) => void } = {}): Promise<ProbeBenchResult> {
  const n = opts.hosts ?? 20;
  const log = opts.log ?? (() => {});
  log(`starting ${n} sshd hosts in network namespaces…`);
  const th: TestHosts = await startHosts(Array.from({ length: n }, (_, i) => ({ name: `b${i}`, hostname: `bench-${i}` })));
  const dir = mkdtempSync(join(tmpdir(), 'outpost-bench-'));
  const core = await createCore({ dataDir: join(dir, 'data'), mode: 'cli' });
  try {
    const user = th.users.key;
    const records = th.hosts.map((h) => core.inventory.adHocHost({ address: h.address, port: h.port, user, keyPath: th.clientKeyPath, sudo: 'none' }));
    const deps = { store: core.store, inv: core.inventory, audit: core.audit, redactor: core.redactor };
    // First contact pins the keys (TOFU), as a real site would have done before.
    const first = await probeRecords(deps, records, quietContext());
    const okHosts = first.filter((f) => f.ok).length;
    const warnings = first.reduce((n, f) => n + f.warnings.length, 0);
    const ours1Sec = await best(3, () => probeRecords(deps, records.slice(0, 1), quietContext()));
    const oursNSec = await best(3, () => probeRecords(deps, records, quietContext()));
    log(`ours: 1 host ${ours1Sec.toFixed(2)} s, ${n} hosts ${oursNSec.toFixed(2)} s (${okHosts}/${n} ok, ${warnings} warnings)`);

    const script = buildProbeScript();
    const sshArgs = (h: { address: string; port: number }) => ['-i', th.clientKeyPath, '-p', String(h.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes', `${user}@${h.address}`, 'sh -s'];
    const floor = (hs: typeof th.hosts) => Promise.all(hs.map((h) => runCmd('ssh', sshArgs(h), script)));
    const floor1Sec = await best(3, () => floor(th.hosts.slice(0, 1)));
    const floorNSec = await best(3, () => floor(th.hosts));
    log(`OpenSSH floor: 1 host ${floor1Sec.toFixed(2)} s, ${n} hosts ${floorNSec.toFixed(2)} s`);

    let ansible1Sec: number | null = null;
    let ansibleNSec: number | null = null;
    if (spawnSync('sh', ['-c', 'command -v ansible'], { stdio: 'ignore' }).status === 0) {
      const inv = join(dir, 'inventory.ini');
      writeFileSync(inv, th.hosts.map((h, i) => `b${i} ansible_host=${h.address} ansible_port=${h.port}`).join('\n') + '\n');
      const env = { ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp') };
      Object.assign(process.env, env);
      const ans = (limit: string) => runCmd('ansible', ['all', '-i', inv, '-m', 'setup', '-f', String(n), '-u', user, '--private-key', th.clientKeyPath, '--limit', limit]);
      ansible1Sec = await best(3, () => ans('b0'));
      ansibleNSec = await best(3, () => ans('all'));
      log(`Ansible setup: 1 host ${ansible1Sec.toFixed(2)} s, ${n} hosts ${ansibleNSec.toFixed(2)} s`);
    }
    return {
      hosts: n, ours1Sec, oursNSec, ansible1Sec, ansibleNSec, floor1Sec, floorNSec, okHosts, warnings,
      vsAnsible: ansibleNSec === null ? null : ansibleNSec / oursNSec,
      vsFloor: oursNSec / floorNSec,
    };
  } finally {
    await core.close();
    await th.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--hosts');
  const r = await runProbeBench({ hosts: i > 0 ? Number(process.argv[i + 1]) : 20, log: (s) => console.error(s) });
  console.log(JSON.stringify(r, null, 2));
}
