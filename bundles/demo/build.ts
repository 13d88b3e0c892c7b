/**
 * Builds the demo bundle: makes the image archive (build-images.ts) in a temporary folder and
 * runs the bundle builder over this folder with it, k3s's files and a helm binary.
 *
 *   node --import tsx bundles/demo/build.ts --k3s-dir DIR --helm HELM [--key vendor.sec] -o outpost-demo-1.0.0.tar.gz
 *
 * Tests pass test/fixtures/k3s-standin for --k3s-dir and its helm for --helm.
 */
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
