/**
 * Builds the demo bundle: makes the image archive (build-images.ts) in a temporary folder and
 * runs the bundle builder over this folder with it, k3s's files and a helm binary.
 *
 *   node --import tsx bundles/demo/build.ts --k3s-dir DIR --helm HELM [--key vendor.sec] -o outpost-demo-1.0.0.tar.gz
 *
 * Tests pass test/fixtures/k3s-standin for --k3s-dir and its helm for --helm.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildBundle, type BuildOptions } from '../../electron/core/bundle';
import type { BuildResult } from '../../electron/core/bundle/types';
import { buildDemoImages } from './build-images';

export const DEMO_DIR = dirname(fileURLToPath(import.meta.url));

export async function buildDemoBundle(opts: Omit<BuildOptions, 'dir' | 'add'> & { busybox?: string }): Promise<BuildResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'outpost-demo-images-'));
  try {
    await buildDemoImages({ outDir: tmp, busybox: opts.busybox });
    return await buildBundle({ ...opts, dir: DEMO_DIR, add: { images: tmp } });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * A copy of the demo's source in `dir` turned into version 1.1.0, as tests need a "newer bundle":
 * k3s v1.31.2, demo-api chart 1.1.0, and `valuesLine` added to the API's values template.
 * `edits` changes more ([file, from, to], first occurrence). Returns `dir`.
 */
export function demoSourceV110(dir: string, valuesLine: string, edits: [file: string, from: string, to: string][] = []): string {
  cpSync(DEMO_DIR, dir, { recursive: true });
  const all: [string, string, string][] = [
    ['bundle.yaml', 'version: 1.0.0', 'version: 1.1.0'],
    ['bundle.yaml', 'version: v1.30.4+k3s1', 'version: v1.31.2+k3s1'],
    ['charts/demo-api/Chart.yaml', 'version: 1.0.0', 'version: 1.1.0'],
    ['values/api.yaml.njk', 'logLevel: {{ answers.logLevel }}', `logLevel: {{ answers.logLevel }}\n${valuesLine}`],
    ...edits,
  ];
  for (const [f, from, to] of all) {
    const file = join(dir, f);
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`demoSourceV110: "${from}" is not in ${f}`);
    writeFileSync(file, text.replace(from, to));
  }
  return dir;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const get = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = get('-o') ?? get('--out');
  const k3sDir = get('--k3s-dir');
  const helm = get('--helm');
  if (!out || !k3sDir || !helm) {
    console.error('usage: build.ts --k3s-dir DIR --helm HELM [--key SECRET_KEY] [--busybox PATH] -o OUT(.tar.gz|.tar|folder)');
    process.exit(2);
  }
  const keyPath = get('--key');
  const r = await buildDemoBundle({
    out: resolve(out),
    k3sDir: resolve(k3sDir),
    helm: resolve(helm),
    key: keyPath ? await readFile(keyPath, 'utf8') : undefined,
    busybox: get('--busybox'),
  });
  console.log(JSON.stringify(r, null, 2));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
