// `npm test`: every tier this machine can run, in order, and one closing line
// "N passed, N failed, N skipped". Tiers that cannot run here are named, and with
// OUTPOST_REQUIRE_ALL_TIERS=1 (CI) a skipped tier fails the run.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('-'));
const requireAll = process.env.OUTPOST_REQUIRE_ALL_TIERS === '1';
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd, argv, extraEnv = {}) => spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...extraEnv } }).status ?? 1;

const tiers = [
  { name: 'unit', why: () => undefined },
  { name: 'integration', why: () => (existsSync('/usr/sbin/sshd') ? undefined : 'openssh-server is not installed (scripts/install-system-deps.sh)') },
  { name: 'cluster', why: () => (has('go') ? undefined : 'Go is not installed: the test Kubernetes API server and helm are built from the Go module proxy'),
    prepare: () => run('bash', ['scripts/cluster-build.sh']) },
  { name: 'e2e', why: () => (existsSync('/usr/bin/chromium') ? undefined : "Debian's chromium is not installed (scripts/install-system-deps.sh)"),
    prepare: () => run(process.execPath, ['scripts/build.mjs', 'renderer']) },
].filter((t) => wanted.length === 0 || wanted.includes(t.name));

const totals = { passed: 0, failed: 0, skipped: 0 };
const skippedTiers = [];
let broken = false;

if (wanted.length === 0 || wanted.includes('static')) {
  console.log('\n=== static: typecheck and lint ===');
  if (run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit']) !== 0) { broken = true; totals.failed++; console.log('typecheck: FAILED'); } else totals.passed++;
  if (run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.']) !== 0) { broken = true; totals.failed++; console.log('lint: FAILED'); } else totals.passed++;
}

mkdirSync('test-results', { recursive: true });
for (const tier of tiers) {
  const reason = tier.why();
  if (reason) { skippedTiers.push(`${tier.name}: ${reason}`); continue; }
  console.log(`\n=== ${tier.name} ===`);
  if (tier.prepare && tier.prepare() !== 0) {
    console.log(`${tier.name}: preparation failed`);
    totals.failed++;
    broken = true;
    continue;
  }
  const out = `test-results/vitest-${tier.name}.json`;
  rmSync(out, { force: true });
  const code = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', tier.name, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) { totals.failed++; broken = true; continue; }
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests + (code !== 0 && r.numFailedTests === 0 ? 1 : 0);
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (code !== 0) broken = true;
}

console.log('');
for (const s of skippedTiers) console.log(`skipped tier ${s}`);
if (requireAll && skippedTiers.length) { broken = true; console.log('OUTPOST_REQUIRE_ALL_TIERS=1: a skipped tier fails the run.'); }
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(broken ? 1 : 0);
