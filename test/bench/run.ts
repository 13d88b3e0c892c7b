/**
 * `npm run bench`: every benchmark, each measured side by side with its peers in the same run
 * (these machines are noisy: compare ratios within a run, never absolute times across runs).
 *
 *   npm run bench [-- hash|probe] [--json]
 */
import { runHashBench, report as hashReport } from './hash';
import { runProbeBench, type ProbeBenchResult } from './probe';

function probeReport(r: ProbeBenchResult): string {
  const s = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} s`);
  return [
    `probe bench: ${r.hosts} hosts in network namespaces (${r.okHosts}/${r.hosts} probed ok)`,
    `                       1 host     ${r.hosts} hosts`,
    `  outpost probe        ${s(r.ours1Sec).padEnd(10)} ${s(r.oursNSec)}`,
    `  ansible -m setup     ${s(r.ansible1Sec).padEnd(10)} ${s(r.ansibleNSec)}`,
    `  ssh sh -s (floor)    ${s(r.floor1Sec).padEnd(10)} ${s(r.floorNSec)}`,
    `  vs Ansible: ${r.vsAnsible === null ? 'n/a (ansible not installed)' : `${r.vsAnsible.toFixed(2)}x faster (goal >= 4)  ${r.vsAnsible >= 4 ? 'PASS' : 'FAIL'}`}`,
    `  vs OpenSSH floor: ${r.vsFloor.toFixed(2)}x the floor's time (goal <= 1.3)  ${r.vsFloor <= 1.3 ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('-'));
const want = (n: string) => only.length === 0 || only.includes(n);
const results: Record<string, unknown> = {};
if (want('hash')) {
  const r = await runHashBench({ log: (l) => console.error(l) });
  results.hash = r;
  if (!args.includes('--json')) console.log(hashReport(r) + '\n');
}
if (want('probe')) {
  const r = await runProbeBench({ hosts: 20, log: (l) => console.error(l) });
  results.probe = r;
  if (!args.includes('--json')) console.log(probeReport(r) + '\n');
}
if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
