/**
 * Hashing benchmark of bundle verification, side by side with openssl and sha256sum in one run
 * (the machines are noisy: compare ratios within a run, not across runs).
 *
 *   node --import tsx test/bench/hash.ts [--json] [--strict] [--keep]
 *
 * Creates in a temp folder a 1 GiB single file and a 2 GiB folder bundle of 64 x 32 MiB files,
 * warms the page cache, then times (best of 3, interleaved):
 *  - single: our hash of the 1 GiB file vs `openssl dgst -sha256` of it (goal: ratio >= 0.9)
 *  - many:   our verifyBundle of the 2 GiB bundle vs one `openssl dgst -sha256` over all its
 *            files (openssl's single-process rate; goal >= 1.6 on two cores)
 *  - sha256sum of both, for reference
 *  - our peak RSS, measured in the child process that verifies (goal < 150 MB)
 * Ours runs in a child process (`--child`) so its maxRSS is its own; the time is measured inside
 * the child around the call (Node and tsx start-up excluded), and the child's wall time is
 * reported too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export interface BenchCase {
  bytes: number;
  files: number;
  opensslSec: number;
  sha256sumSec: number;
  /** Our time, measured inside the child around the hashing call. */
  oursSec: number;
  /** The child's wall time, Node start-up included. */
  oursWallSec: number;
  /** openssl time / our time: throughput relative to openssl. */
  ratio: number;
  goal: number;
  pass: boolean;
}

export interface BenchResult {
  cores: number;
  node: string;
  openssl: string;
  single: BenchCase;
  many: BenchCase;
  /** Peak resident set of the verifying child process, MB. */
  peakRssMB: number;
  rssGoalMB: number;
  pass: boolean;
  /** 1-minute load average before and after: other work on the machine skews the parallel case. */
  load: { before: number; after: number };
}

interface ChildResult {
  sec: number;
  maxRssKB: number;
  ok: boolean;
  detail?: string;
}

const SELF = fileURLToPath(import.meta.url);

function timed(cmd: string, args: string[]): number {
  const t = process.hrtime.bigint();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * MiB });
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function writeRandomFile(path: string, bytes: number): void {
  const buf = randomFillSync(Buffer.allocUnsafe(4 * MiB));
  const fd = openSync(path, 'w');
  try {
    for (let done = 0; done < bytes; done += buf.length) {
      // A different first word per chunk, so no two chunks are equal.
      buf.writeUInt32LE(done / buf.length, 0);
      writeSync(fd, buf, 0, Math.min(buf.length, bytes - done));
    }
  } finally {
    closeSync(fd);
  }
}

function runChild(mode: 'single' | 'many', path: string): ChildResult & { wallSec: number } {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', mode, path], { encoding: 'utf8', maxBuffer: 16 * MiB });
  const wallSec = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return { ...(JSON.parse(line) as ChildResult), wallSec };
}

async function child(mode: string, path: string): Promise<void> {
  const { hashFiles, verifyBundle } = await import('../../electron/core/bundle');
  const t = process.hrtime.bigint();
  let ok: boolean;
  let detail: string | undefined;
  if (mode === 'single') {
    const out = await hashFiles([{ path }]);
    const r = out.get(path);
    ok = !!r && !('error' in r);
    detail = r && 'hex' in r ? r.hex : undefined;
  } else {
    const r = await verifyBundle(path);
    ok = r.intact;
    detail = r.problems.map((p) => p.message).join('; ');
  }
  const sec = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(JSON.stringify({ sec, maxRssKB: process.resourceUsage().maxRSS, ok, detail }));
  process.exit(0);
}

const MANIFEST = `apiVersion: outpost.dev/v1
kind: Bundle
metadata: { name: bench, version: 1.0.0, vendor: Bench }
spec:
  k3s: { version: v1.30.4+k3s1, binary: k3s/k3s, images: k3s/images.tar, installScript: k3s/install.sh }
  helm: { binary: helm/helm }
  images: [IMAGES]
  groups: [ { name: apps, charts: [ { release: app, chart: charts/app } ] } ]
`;

function makeBundle(dir: string, files: number, size: number): void {
  const images: string[] = [];
  mkdirSync(join(dir, 'images'), { recursive: true });
  for (let i = 0; i < files; i++) {
    const p = `images/part-${String(i).padStart(2, '0')}.tar`;
    writeRandomFile(join(dir, p), size);
    images.push(p);
  }
  const small: Record<string, string> = {
    'k3s/k3s': '#!/bin/sh\n',
    'k3s/images.tar': 'x',
    'k3s/install.sh': '#!/bin/sh\n',
    'helm/helm': '#!/bin/sh\n',
    'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
    'bundle.yaml': MANIFEST.replace('IMAGES', images.join(', ')),
  };
  for (const [p, text] of Object.entries(small)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  // SHA256SUMS with openssl, so the code under test does not grade itself.
  const paths = [...images, ...Object.keys(small)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const lines = paths.map((p) => {
    const hex = p.startsWith('images/')
      ? execFileSync('openssl', ['dgst', '-sha256', '-r', join(dir, p)], { encoding: 'utf8' }).split(' ')[0]
      : createHash('sha256').update(readFileSync(join(dir, p))).digest('hex');
    return `${hex}  ${p}\n`;
  });
  writeFileSync(join(dir, 'SHA256SUMS'), lines.join(''));
}

export async function runHashBench(opts: { keep?: boolean; log?: (s: string) => void; singleBytes?: number; files?: number; fileBytes?: number } = {}): Promise<BenchResult> {
  const log = opts.log ?? ((s: string) => console.error(s));
  const singleBytes = opts.singleBytes ?? GiB;
  const nFiles = opts.files ?? 64;
  const fileBytes = opts.fileBytes ?? 32 * MiB;
  const dir = mkdtempSync(join(tmpdir(), 'outpost-hash-bench-'));
  const loadBefore = loadavg()[0];
  try {
    const big = join(dir, 'single.bin');
    const bundle = join(dir, 'bundle');
    log(`bench: writing ${singleBytes / MiB} MiB single file and ${nFiles} x ${fileBytes / MiB} MiB bundle in ${dir}`);
    writeRandomFile(big, singleBytes);
    makeBundle(bundle, nFiles, fileBytes);
    const images = Array.from({ length: nFiles }, (_, i) => join(bundle, `images/part-${String(i).padStart(2, '0')}.tar`));
    const manyFiles = [...images];

    log('bench: warming the page cache');
    timed('openssl', ['dgst', '-sha256', big]);
    timed('openssl', ['dgst', '-sha256', ...manyFiles]);

    const best = { os1: Infinity, our1: Infinity, our1w: Infinity, osN: Infinity, ourN: Infinity, ourNw: Infinity };
    let peak = 0;
    for (let round = 1; round <= 3; round++) {
      best.os1 = Math.min(best.os1, timed('openssl', ['dgst', '-sha256', big]));
      const c1 = runChild('single', big);
      if (!c1.ok) throw new Error('our hash of the single file failed');
      best.our1 = Math.min(best.our1, c1.sec);
      best.our1w = Math.min(best.our1w, c1.wallSec);
      best.osN = Math.min(best.osN, timed('openssl', ['dgst', '-sha256', ...manyFiles]));
      const cN = runChild('many', bundle);
      if (!cN.ok) throw new Error(`our verify of the bundle failed: ${cN.detail}`);
      best.ourN = Math.min(best.ourN, cN.sec);
      best.ourNw = Math.min(best.ourNw, cN.wallSec);
      peak = Math.max(peak, c1.maxRssKB, cN.maxRssKB);
      log(`bench: round ${round}: single openssl ${best.os1.toFixed(3)}s ours ${c1.sec.toFixed(3)}s; many openssl ${best.osN.toFixed(3)}s ours ${cN.sec.toFixed(3)}s`);
    }
    const sum1 = timed('sha256sum', [big]);
    const sumN = timed('sha256sum', manyFiles);
    const single: BenchCase = {
      bytes: singleBytes,
      files: 1,
      opensslSec: best.os1,
      sha256sumSec: sum1,
      oursSec: best.our1,
      oursWallSec: best.our1w,
      ratio: best.os1 / best.our1,
      goal: 0.9,
      pass: best.os1 / best.our1 >= 0.9,
    };
    const many: BenchCase = {
      bytes: nFiles * fileBytes,
      files: nFiles,
      opensslSec: best.osN,
      sha256sumSec: sumN,
      oursSec: best.ourN,
      oursWallSec: best.ourNw,
      ratio: best.osN / best.ourN,
      goal: 1.6,
      pass: best.osN / best.ourN >= 1.6,
    };
    const peakRssMB = peak / 1024;
    return {
      cores: availableParallelism(),
      node: process.version,
      openssl: execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim(),
      single,
      many,
      peakRssMB,
      rssGoalMB: 150,
      pass: single.pass && many.pass && peakRssMB < 150,
      load: { before: loadBefore, after: loadavg()[0] },
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

export function report(r: BenchResult): string {
  const rate = (c: BenchCase, s: number) => `${(c.bytes / MiB / s).toFixed(0)} MiB/s`;
  const row = (name: string, c: BenchCase) =>
    [
      `${name}: ${(c.bytes / GiB).toFixed(2)} GiB in ${c.files} file(s)`,
      `  openssl dgst -sha256  ${c.opensslSec.toFixed(3)} s  ${rate(c, c.opensslSec)}`,
      `  sha256sum             ${c.sha256sumSec.toFixed(3)} s  ${rate(c, c.sha256sumSec)}`,
      `  outpost               ${c.oursSec.toFixed(3)} s  ${rate(c, c.oursSec)}  (child wall ${c.oursWallSec.toFixed(3)} s)`,
      `  ratio to openssl      ${c.ratio.toFixed(2)}  (goal >= ${c.goal})  ${c.pass ? 'PASS' : 'FAIL'}`,
    ].join('\n');
  return [
    `hash bench: ${r.cores} cores, node ${r.node}, ${r.openssl}`,
    row('single', r.single),
    row('many', r.many),
    `peak RSS of the verifying process: ${r.peakRssMB.toFixed(1)} MB (goal < ${r.rssGoalMB})  ${r.peakRssMB < r.rssGoalMB ? 'PASS' : 'FAIL'}`,
    `load average before/after: ${r.load.before.toFixed(2)} / ${r.load.after.toFixed(2)}` +
      (Math.max(r.load.before, r.load.after) > r.cores / 2 ? '  (busy machine: the parallel ratio is understated; run again when idle)' : ''),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2]);
  const r = await runHashBench({ keep: args.includes('--keep') });
  console.log(args.includes('--json') ? JSON.stringify(r, null, 2) : report(r));
  if (args.includes('--strict') && !r.pass) process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
