import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { parse as parseYaml } from 'yaml';
import type { JobContext } from '../jobs/context';
import { OutpostError } from '../api/errors';
import { extractBundle } from './extract';
import type { HashPool } from './hash-pool';
import { bundleError } from './messages';
import { checkSignature, toPublicKeys } from './signing';
import { detectKind, readSmallFiles, walkFolder } from './source';
import { SIG_FILE, SUMS_FILE } from './sums';
import { assertIntact, verifyBundle } from './verify';
import type { LibraryEntry, SignatureStatus, TrustedKey, VerifyReport } from './types';

/**
 * The local library: bundles copied from media, verified, and kept as folder bundles named by
 * digest (`<library>/bundles/<hex>/`), each with `<hex>.json` holding its LibraryEntry. The
 * store mirrors the entries; the folder is the truth and can rebuild it.
 * Copies are resumable: a partial copy in `<library>/incoming/` continues from its size
 * (USB sticks get pulled), and everything is verified after the copy, never before only.
 */

export interface TrustPolicy {
  trustedKeys?: TrustedKey[];
  /** The user's explicit permission to load a bundle that is unsigned or signed by an unknown key. */
  allowUntrusted?: { reason: string };
}

/** Refuses unsigned/untrusted bundles unless the user gave a reason; invalid ones always. */
export function assertTrusted(status: SignatureStatus, policy: TrustPolicy): void {
  if (status === 'valid') return;
  if (status !== 'invalid' && policy.allowUntrusted?.reason?.trim()) return;
  throw bundleError('bundle.signature_required', { status });
}

export interface CopyOptions extends TrustPolicy {
  /** A folder bundle or a .tar/.tar.gz, e.g. on a USB stick. */
  source: string;
  libraryDir: string;
  ctx?: JobContext;
  pool?: HashPool;
}

const hexOf = (digest: string) => digest.replace(/^sha256:/, '');

export function libraryBundleDir(libraryDir: string, digest: string): string {
  return join(libraryDir, 'bundles', hexOf(digest));
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(
    () => true,
    () => false,
  );
}

/** Copies one file, continuing from the destination's size when it is a shorter prefix. */
async function resumableCopy(src: string, dest: string, size: number, onBytes: (n: number) => void, signal?: AbortSignal): Promise<{ resumed: number }> {
  const have = await fsp.stat(dest).then((s) => s.size, () => 0);
  const start = have <= size ? have : 0;
  if (start === size && size > 0) {
    onBytes(size);
    return { resumed: start };
  }
  if (have > size) await fsp.rm(dest, { force: true });
  onBytes(start);
  if (start < size || size === 0) {
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        onBytes(chunk.length);
        cb(null, chunk);
      },
    });
    await pipeline(
      createReadStream(src, { start, highWaterMark: 1024 * 1024 }),
      counter,
      createWriteStream(dest, { flags: start > 0 ? 'a' : 'w' }),
      { signal },
    );
  }
  const after = (await fsp.stat(dest)).size;
  if (after !== size) throw bundleError('bundle.source_changed', { path: src });
  return { resumed: start };
}

function progressReporter(ctx: JobContext | undefined, total: number, item: string) {
  let done = 0;
  let last = 0;
  return (n: number) => {
    done += n;
    const now = Date.now();
    if (ctx && (now - last > 100 || done === total)) {
      last = now;
      ctx.progress({ step: 'copy', label: 'bundle.step.copy', current: 0, total: -1, bytesDone: done, bytesTotal: total, item });
    }
  };
}

async function readChartVersion(dir: string, chart: string): Promise<{ name?: string; version?: string }> {
  if (chart.endsWith('.tgz')) return {};
  try {
    const c = parseYaml(await fsp.readFile(join(dir, ...chart.split('/'), 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
    return { name: c.name ? String(c.name) : undefined, version: c.version ? String(c.version) : undefined };
  } catch {
    return {};
  }
}

async function entryFor(dir: string, report: VerifyReport, policy: TrustPolicy, source: string): Promise<LibraryEntry> {
  const m = report.manifest!;
  const charts: LibraryEntry['charts'] = [];
  for (const g of m.spec.groups) for (const c of g.charts) charts.push({ group: g.name, release: c.release, ...(await readChartVersion(dir, c.chart)) });
  const { files } = await walkFolder(dir);
  return {
    ...m.metadata,
    digest: report.digest!,
    path: dir,
    sizeBytes: files.reduce((a, f) => a + f.size, 0),
    files: report.files,
    signature: report.signature,
    keyId: report.keyId,
    keyName: report.keyName,
    ...(report.signature !== 'valid' && policy.allowUntrusted ? { trustOverride: { reason: policy.allowUntrusted.reason, at: new Date().toISOString() } } : {}),
    k3sVersion: m.spec.k3s.version,
    arch: m.spec.arch,
    charts,
    source,
    addedAt: new Date().toISOString(),
  };
}

/**
 * Copies a bundle into the library with progress, resumably, verifies the copy, and records
 * it. The signature is checked against the policy before the copy starts (cheap: SHA256SUMS and
 * its signature only) and again after verification. A bundle already in the library (same
 * digest) is not copied twice.
 */
export async function copyToLibrary(opts: CopyOptions): Promise<LibraryEntry> {
  const { source, libraryDir, ctx } = opts;
  const kind = await detectKind(source);
  const meta = await readSmallFiles(source, kind, [SUMS_FILE, SIG_FILE], { maxScanBytes: 64 * 1024 * 1024 });
  const sums = meta.get(SUMS_FILE);
  if (!sums) throw bundleError('bundle.sums_missing', { file: SUMS_FILE });
  assertTrusted(checkSignature(sums, meta.get(SIG_FILE)?.toString('utf8'), toPublicKeys(opts.trustedKeys)).status, opts);
  const digestHex = createHash('sha256').update(sums).digest('hex');
  const finalDir = libraryBundleDir(libraryDir, digestHex);
  if (await exists(join(libraryDir, 'bundles', `${digestHex}.json`))) {
    const entry = JSON.parse(await fsp.readFile(join(libraryDir, 'bundles', `${digestHex}.json`), 'utf8')) as LibraryEntry;
    if (await exists(entry.path)) return entry;
  }

  const incoming = join(libraryDir, 'incoming');
  await fsp.mkdir(incoming, { recursive: true });
  await fsp.mkdir(join(libraryDir, 'bundles'), { recursive: true });
  // Named by the bundle's digest: a partial copy resumes only into the same bundle.
  const key = digestHex.slice(0, 32);
  const work = join(incoming, `${key}.dir`);

  const attempt = async (fresh: boolean): Promise<{ report: VerifyReport; resumed: boolean }> => {
    if (kind === 'folder') {
      if (fresh) await fsp.rm(work, { recursive: true, force: true });
      const { files, problems } = await walkFolder(source, ctx?.signal);
      if (problems.length) throw new OutpostError(problems[0].code, problems[0].message, { problems });
      const total = files.reduce((a, f) => a + f.size, 0);
      const onBytes = progressReporter(ctx, total, source);
      let resumed = false;
      for (const f of files) {
        const dest = join(work, ...f.path.split('/'));
        await fsp.mkdir(join(dest, '..'), { recursive: true });
        const r = await resumableCopy(f.abs, dest, f.size, onBytes, ctx?.signal);
        if (r.resumed > 0) resumed = true;
      }
      const report = await verifyBundle(work, { trustedKeys: opts.trustedKeys, ctx, pool: opts.pool });
      return { report, resumed };
    }
    const partial = join(incoming, `${key}.${kind}.partial`);
    if (fresh) await fsp.rm(partial, { force: true });
    const size = (await fsp.stat(source)).size;
    const r = await resumableCopy(source, partial, size, progressReporter(ctx, size, source), ctx?.signal);
    await fsp.rm(work, { recursive: true, force: true });
    try {
      const report = await extractBundle(partial, work, { ctx, trustedKeys: opts.trustedKeys });
      await fsp.rm(partial, { force: true });
      return { report, resumed: r.resumed > 0 };
    } catch (e) {
      // A partial copy that does not verify is useless: the next attempt starts over.
      await fsp.rm(partial, { force: true });
      if (r.resumed > 0 && e instanceof OutpostError && e.code !== 'bundle.signature_required') return { report: failedReport(e), resumed: true };
      throw e;
    }
  };

  const first = await attempt(false);
  let report = first.report;
  if (!report.intact && first.resumed) {
    ctx?.log('copy: the resumed copy did not verify; copying again from the start', 'warn');
    ({ report } = await attempt(true));
  }
  if (!report.intact) {
    await fsp.rm(work, { recursive: true, force: true });
    assertIntact(report);
  }
  assertTrusted(report.signature, opts);
  if (report.digest !== `sha256:${digestHex}`) {
    await fsp.rm(work, { recursive: true, force: true });
    throw bundleError('bundle.source_changed', { path: source });
  }
  await fsp.rm(finalDir, { recursive: true, force: true });
  await fsp.rename(work, finalDir);
  const entry = await entryFor(finalDir, report, opts, source);
  await writeJsonAtomic(join(libraryDir, 'bundles', `${digestHex}.json`), entry);
  return entry;
}

function failedReport(e: OutpostError): VerifyReport {
  const problems = (e.details?.problems as VerifyReport['problems']) ?? [{ code: e.code, severity: 'error' as const, message: e.message }];
  return { ok: false, intact: false, path: '', kind: 'folder', signature: 'invalid', files: 0, bytes: 0, problems, durationMs: 0 };
}

async function writeJsonAtomic(path: string, data: unknown): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await fsp.writeFile(tmp, JSON.stringify(data, null, 2) + '\n');
  await fsp.rename(tmp, path);
}

/** The library's entries as recorded on disk (entries whose folder vanished are left out). */
export async function listLibrary(libraryDir: string): Promise<LibraryEntry[]> {
  const dir = join(libraryDir, 'bundles');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const out: LibraryEntry[] = [];
  for (const n of names.filter((x) => /^[0-9a-f]{64}\.json$/.test(x))) {
    try {
      const e = JSON.parse(await fsp.readFile(join(dir, n), 'utf8')) as LibraryEntry;
      if (await exists(e.path)) out.push(e);
    } catch {
      /* a damaged record is skipped; the folder can be re-added */
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || b.addedAt.localeCompare(a.addedAt));
}

export async function getLibraryEntry(libraryDir: string, digest: string): Promise<LibraryEntry> {
  const p = join(libraryDir, 'bundles', `${hexOf(digest)}.json`);
  try {
    return JSON.parse(await fsp.readFile(p, 'utf8')) as LibraryEntry;
  } catch {
    throw bundleError('bundle.library_missing', { digest });
  }
}

export async function removeFromLibrary(libraryDir: string, digest: string): Promise<void> {
  const hex = hexOf(digest);
  if (!/^[0-9a-f]{64}$/.test(hex)) throw bundleError('bundle.library_missing', { digest });
  await fsp.rm(join(libraryDir, 'bundles', hex), { recursive: true, force: true });
  await fsp.rm(join(libraryDir, 'bundles', `${hex}.json`), { force: true });
}

/** Removes partial copies (a Settings "free space" action; not needed for correctness). */
export async function clearIncoming(libraryDir: string): Promise<void> {
  await fsp.rm(join(libraryDir, 'incoming'), { recursive: true, force: true });
}
