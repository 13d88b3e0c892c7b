import { promises as fsp } from 'node:fs';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import type { JobContext } from '../jobs/context';
import { hashFiles, hashPool, type HashPool } from './hash-pool';
import { checkReferences, manifestReferences, parseManifestOrThrow, parseSpec } from './manifest';
import { bundleError } from './messages';
import { comparePaths, unsafePathReason } from './paths';
import { parseSecretKey, publicKeyOf, signSums, type SecretKey } from './signing';
import { walkFolder } from './source';
import { digestOfSums, formatSums, MANIFEST_FILE, SIG_FILE, SUMS_FILE, type Sums } from './sums';
import { writeTarFile, type TarFile } from './tar-write';
import { checkTemplate } from './values';
import { assertIntact, verifyBundle } from './verify';
import type { BuildResult, BundleKind, BundleManifest } from './types';
import { OutpostError } from '../api/errors';

export interface BuildOptions {
  /** Source folder holding bundle.yaml, charts, values templates and specs. */
  dir: string;
  /** Output: `.tar.gz`/`.tgz`, `.tar`, or a folder (with `format: 'folder'`). */
  out: string;
  format?: BundleKind;
  /** Vendor secret key, file text (signify or PEM). Without key or keyPath the bundle is unsigned. */
  key?: string;
  keyPath?: string;
  /** Folder with k3s's release files, matched by the base names in spec.k3s (k3s, k3s-airgap-images-amd64.tar, install.sh). */
  k3sDir?: string;
  /** The helm binary for spec.helm.binary. */
  helm?: string;
  /** Bundle folder → local folder, e.g. `{ images: '/build/images' }`, for artifacts made outside the source. */
  add?: Record<string, string>;
  /** Time stamp of every entry (seconds); default SOURCE_DATE_EPOCH or 0. */
  mtime?: number;
  /** Verify the output after writing it (default true). */
  verify?: boolean;
  ctx?: JobContext;
  pool?: HashPool;
}

interface Planned {
  path: string;
  abs: string;
  size: number;
  executable: boolean;
}

export function formatFromName(out: string): BundleKind {
  if (/\.(tar\.gz|tgz)$/i.test(out)) return 'tar.gz';
  if (/\.tar$/i.test(out)) return 'tar';
  return 'folder';
}

function inside(parent: string, child: string): boolean {
  const r = relative(resolve(parent), resolve(child));
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

async function statFile(abs: string): Promise<{ size: number; executable: boolean } | undefined> {
  try {
    const st = await fsp.stat(abs);
    return st.isFile() ? { size: st.size, executable: (st.mode & 0o111) !== 0 } : undefined;
  } catch {
    return undefined;
  }
}

/** Where a bundle path comes from: --k3s-dir / --helm first, then --add folders, then the source. */
function resolver(opts: BuildOptions, m: BundleManifest): (p: string) => string[] {
  const explicit = new Map<string, string>();
  if (opts.k3sDir) {
    for (const p of [m.spec.k3s.binary, m.spec.k3s.images, m.spec.k3s.installScript]) explicit.set(p, join(opts.k3sDir, basename(p)));
  }
  if (opts.helm) explicit.set(m.spec.helm.binary, opts.helm);
  const overlays = Object.entries(opts.add ?? {}).sort((a, b) => b[0].length - a[0].length);
  return (p) => {
    const e = explicit.get(p);
    if (e) return [e];
    const out: string[] = [];
    for (const [prefix, local] of overlays) {
      const pre = prefix.replace(/\/+$/, '');
      if (p === pre) out.push(local);
      else if (p.startsWith(pre + '/')) out.push(join(local, ...p.slice(pre.length + 1).split('/')));
    }
    out.push(join(opts.dir, ...p.split('/')));
    return out;
  };
}

async function plan(opts: BuildOptions, m: BundleManifest, manifestAbs: string): Promise<Planned[]> {
  const where = resolver(opts, m);
  const planned = new Map<string, Planned>();
  const add = (p: Planned) => {
    if (!planned.has(p.path)) planned.set(p.path, p);
  };
  const manifestStat = (await statFile(manifestAbs))!;
  add({ path: MANIFEST_FILE, abs: manifestAbs, ...manifestStat });
  for (const ref of manifestReferences(m)) {
    let found = false;
    for (const abs of where(ref.path)) {
      const f = await statFile(abs);
      if (f) {
        add({ path: ref.path, abs, ...f });
        found = true;
        break;
      }
      if (ref.kind === 'file') continue;
      const isDir = await fsp.stat(abs).then((s) => s.isDirectory(), () => false);
      if (!isDir) continue;
      const { files, problems } = await walkFolder(abs, opts.ctx?.signal);
      if (problems.length) throw new OutpostError(problems[0].code, `${ref.field}: ${problems[0].message}`, { field: ref.field, problems });
      for (const file of files) {
        const p = `${ref.path}/${file.path}`;
        const reason = unsafePathReason(p);
        if (reason) throw bundleError('bundle.unsafe_path', { file: p, reason });
        add({ path: p, abs: file.abs, size: file.size, executable: (file.mode & 0o111) !== 0 });
      }
      found = true;
      break;
    }
    if (!found) throw bundleError('bundle.build_source_missing', { field: ref.field, target: ref.path, dir: opts.dir });
  }
  for (const meta of [SUMS_FILE, SIG_FILE]) planned.delete(meta);
  return [...planned.values()];
}

async function validateSources(m: BundleManifest, files: Planned[]): Promise<void> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const refProblems = checkReferences(m, new Set(byPath.keys()));
  if (refProblems.length) throw new OutpostError(refProblems[0].code, refProblems[0].message, { problems: refProblems });
  for (const ref of manifestReferences(m)) {
    const f = byPath.get(ref.path);
    if (!f) continue;
    if (ref.spec) {
      const { problems } = parseSpec(ref.spec, await fsp.readFile(f.abs, 'utf8'), ref.path);
      if (problems.length) throw new OutpostError(problems[0].code, problems[0].message, { problems });
    }
    if (ref.field.endsWith('.values')) checkTemplate(await fsp.readFile(f.abs, 'utf8'), ref.path);
  }
}

/**
 * Builds a bundle from a source folder: ships bundle.yaml, every file it references (chart
 * folders whole) and spec.include, writes SHA256SUMS, signs it, and packs it reproducibly
 * (same inputs, same bytes: sorted entries, fixed mtime/uid/gid, modes 0644/0755, fixed gzip
 * header). Checks everything a verify would check before writing a byte.
 */
export async function buildBundle(opts: BuildOptions): Promise<BuildResult> {
  const ctx = opts.ctx;
  const format = opts.format ?? formatFromName(opts.out);
  const manifestAbs = join(opts.dir, MANIFEST_FILE);
  const text = await fsp.readFile(manifestAbs, 'utf8').catch(() => {
    throw bundleError('bundle.manifest_missing', { path: opts.dir });
  });
  const m = parseManifestOrThrow(text);
  if (inside(opts.dir, opts.out)) throw bundleError('bundle.build_output_inside', { out: opts.out, dir: opts.dir });
  let secret: SecretKey | undefined;
  if (opts.key ?? opts.keyPath) secret = parseSecretKey(opts.key ?? (await fsp.readFile(opts.keyPath!, 'utf8')), opts.keyPath ?? 'secret key');

  ctx?.progress({ step: 'collect', label: 'bundle.step.collect', current: 0, total: -1 });
  const files = await plan(opts, m, manifestAbs);
  await validateSources(m, files);

  const pool = opts.pool ?? hashPool();
  const hashed = await hashFiles(files.map((f) => ({ key: f.path, path: f.abs, size: f.size })), { ctx, pool });
  const sums: Sums = new Map();
  for (const f of files) {
    const r = hashed.get(f.path);
    if (!r || 'error' in r) throw bundleError('bundle.build_read_failed', { file: f.path, reason: r && 'error' in r ? r.error.message : 'not hashed' });
    sums.set(f.path, r.hex);
  }
  const sumsBytes = Buffer.from(formatSums(sums));
  const sigBytes = secret ? Buffer.from(signSums(sumsBytes, secret)) : undefined;
  const digest = digestOfSums(sumsBytes);
  const bytes = files.reduce((a, f) => a + f.size, 0);

  const first = [MANIFEST_FILE];
  const rest = files.filter((f) => f.path !== MANIFEST_FILE).sort((a, b) => comparePaths(a.path, b.path));
  const manifest = files.find((f) => f.path === MANIFEST_FILE)!;
  const ordered: TarFile[] = [
    { path: first[0], size: manifest.size, executable: false, source: manifest.abs },
    { path: SUMS_FILE, size: sumsBytes.length, executable: false, source: sumsBytes },
    ...(sigBytes ? [{ path: SIG_FILE, size: sigBytes.length, executable: false, source: sigBytes }] : []),
    ...rest.map((f) => ({ path: f.path, size: f.size, executable: f.executable, source: f.abs })),
  ];

  const envEpoch = Number(process.env.SOURCE_DATE_EPOCH);
  const mtime = opts.mtime ?? (Number.isInteger(envEpoch) && envEpoch >= 0 ? envEpoch : 0);
  let done = 0;
  let last = 0;
  const onBytes = (n: number) => {
    done += n;
    const now = Date.now();
    if (ctx && now - last > 100) {
      last = now;
      ctx.progress({ step: 'write', label: 'bundle.step.write', current: 0, total: -1, bytesDone: done, bytesTotal: bytes });
    }
  };
  await fsp.rm(opts.out, { recursive: true, force: true });
  if (format === 'folder') {
    await writeFolder(opts.out, ordered, onBytes);
  } else {
    const tmp = `${opts.out}.partial-${process.pid}`;
    await fsp.rm(tmp, { force: true });
    try {
      await writeTarFile(tmp, ordered, { gzip: format === 'tar.gz', mtime, onBytes, signal: ctx?.signal });
      await fsp.rename(tmp, opts.out);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  let sha256: string | undefined;
  if (format !== 'folder') {
    const r = (await hashFiles([{ path: opts.out }], { pool })).get(opts.out);
    if (r && !('error' in r)) sha256 = r.hex;
  }
  if (opts.verify !== false) {
    const report = await verifyBundle(opts.out, { trustedKeys: secret ? [publicKeyOf(secret)] : [], ctx, pool });
    assertIntact(report);
  }
  return { out: opts.out, format, digest, sha256, files: sums.size, bytes, keyId: secret?.keyId };
}

async function writeFolder(out: string, files: TarFile[], onBytes: (n: number) => void): Promise<void> {
  await fsp.mkdir(out, { recursive: true });
  for (const f of files) {
    const abs = join(out, ...f.path.split('/'));
    await fsp.mkdir(join(abs, '..'), { recursive: true });
    if (typeof f.source === 'string') await fsp.copyFile(f.source, abs);
    else await fsp.writeFile(abs, f.source);
    await fsp.chmod(abs, f.executable ? 0o755 : 0o644);
    onBytes(f.size);
  }
}
