import { createHash } from 'node:crypto';
import type { JobContext } from '../jobs/context';
import { EntryTracker, problem } from './entries';
import { hashFiles, type FileHashOutcome, type HashPool } from './hash-pool';
import { checkReferences, manifestReferences, parseManifest, parseSpec } from './manifest';
import { bundleError } from './messages';
import { checkSignature, toPublicKeys, type PublicKey } from './signing';
import { detectKind, readSmallFiles, smallFileLimit, walkFolder } from './source';
import { digestOfSums, MANIFEST_FILE, META_FILES, parseSums, SIG_FILE, SUMS_FILE } from './sums';
import { FileSource, openArchive, TarReader, type ArchiveKind } from './tar-read';
import type { BundleKind, BundleManifest, Problem, TrustedKey, VerifyReport } from './types';

/** Files kept in memory while streaming an archive: the metadata and the YAML specs. */
const CAPTURE_LIMIT = 1024 * 1024;
const CAPTURE_MAX_FILES = 256;

function captureWorthy(p: string, size: number): boolean {
  if (p === MANIFEST_FILE || META_FILES.has(p)) return size <= smallFileLimit(p);
  return size <= CAPTURE_LIMIT && /\.(ya?ml)$/i.test(p);
}

export interface FileOutcome {
  size: number;
  hex?: string;
  error?: string;
}

/** What one pass over a bundle found, before it is judged against SHA256SUMS. */
export interface Collected {
  files: Map<string, FileOutcome>;
  small: Map<string, Buffer>;
  structural: Problem[];
  bytes: number;
}

/** Receives the files of an archive as they stream by (extraction). */
export interface FileSink {
  mkdir(path: string): Promise<void>;
  open(path: string, mode: number): Promise<{ write(chunk: Buffer): Promise<void>; close(): Promise<void> }>;
}

/**
 * One sequential pass over an archive: every entry is judged before anything is done with it,
 * every file is hashed as it streams by and, with a sink, written. With a sink the first refused
 * entry ends the pass (nothing unsafe is ever written); without, all problems are collected.
 */
export async function streamArchive(path: string, kind: ArchiveKind, opts: { ctx?: JobContext; sink?: FileSink; totalBytes?: number } = {}): Promise<Collected> {
  const { ctx, sink } = opts;
  const src = await openArchive(path, kind);
  const reader = new TarReader(src);
  const tracker = new EntryTracker();
  const out: Collected = { files: new Map(), small: new Map(), structural: [], bytes: 0 };
  let last = 0;
  try {
    for await (const e of reader.entries(ctx?.signal)) {
      const v = tracker.check(e);
      if (v.kind === 'refused') {
        if (sink) throw bundleError(v.problem.code as 'bundle.unsafe_path', v.problem.params ?? {}, { problems: [v.problem] });
        out.structural.push(v.problem);
        continue;
      }
      if (v.kind === 'directory') {
        if (sink && v.path) await sink.mkdir(v.path);
        continue;
      }
      const h = createHash('sha256');
      const capture = captureWorthy(v.path, e.size) && out.small.size < CAPTURE_MAX_FILES;
      const parts: Buffer[] = [];
      const w = sink ? await sink.open(v.path, e.mode) : undefined;
      try {
        for await (const chunk of reader.body()) {
          h.update(chunk);
          if (capture) parts.push(Buffer.from(chunk));
          if (w) await w.write(chunk);
          out.bytes += chunk.length;
          const now = Date.now();
          if (ctx && now - last > 100) {
            last = now;
            ctx.progress({ step: sink ? 'extract' : 'hash', label: sink ? 'bundle.step.extract' : 'bundle.step.hash', current: out.files.size, total: -1, bytesDone: reader.offset, bytesTotal: opts.totalBytes, item: v.path });
            ctx.signal.throwIfAborted();
          }
        }
      } finally {
        await w?.close();
      }
      out.files.set(v.path, { size: e.size, hex: h.digest('hex') });
      if (capture) out.small.set(v.path, Buffer.concat(parts));
    }
    // Read to the end so gunzip checks its CRC: a damaged .tar.gz must fail as damaged.
    if (kind === 'tar.gz') await src.skip(Number.MAX_SAFE_INTEGER);
  } finally {
    await src.close();
  }
  return out;
}

/**
 * An uncompressed tar is hashed like a folder: one pass over the headers only (data is
 * skipped by seeking), then the file ranges go to the worker pool in parallel.
 */
async function collectTar(path: string, ctx?: JobContext, pool?: HashPool): Promise<Collected> {
  const src = await FileSource.open(path);
  const reader = new TarReader(src);
  const tracker = new EntryTracker();
  const out: Collected = { files: new Map(), small: new Map(), structural: [], bytes: 0 };
  const ranges: { key: string; path: string; start: number; end: number; size: number }[] = [];
  try {
    for await (const e of reader.entries(ctx?.signal)) {
      const v = tracker.check(e);
      if (v.kind === 'refused') {
        out.structural.push(v.problem);
        continue;
      }
      if (v.kind === 'directory') continue;
      if (captureWorthy(v.path, e.size) && out.small.size < CAPTURE_MAX_FILES) {
        const b = await reader.readAll(smallFileLimit(v.path));
        out.small.set(v.path, b);
        out.files.set(v.path, { size: e.size, hex: createHash('sha256').update(b).digest('hex') });
        out.bytes += b.length;
      } else {
        ranges.push({ key: v.path, path, start: e.dataOffset, end: e.dataOffset + e.size, size: e.size });
        out.files.set(v.path, { size: e.size });
      }
    }
  } finally {
    await src.close();
  }
  const hashed = await hashFiles(ranges, { ctx, pool });
  for (const r of ranges) merge(out, r.key, hashed.get(r.key));
  return out;
}

function merge(out: Collected, key: string, r: FileHashOutcome | undefined): void {
  const f = out.files.get(key)!;
  if (!r) f.error = 'not hashed';
  else if ('error' in r) f.error = r.error.message;
  else {
    f.hex = r.hex;
    out.bytes += r.bytes;
  }
}

async function collectFolder(root: string, ctx?: JobContext, pool?: HashPool): Promise<Collected> {
  ctx?.progress({ step: 'scan', label: 'bundle.step.scan', current: 0, total: -1 });
  const { files, problems } = await walkFolder(root, ctx?.signal);
  const out: Collected = { files: new Map(), small: new Map(), structural: problems, bytes: 0 };
  for (const f of files) out.files.set(f.path, { size: f.size });
  const hashed = await hashFiles(
    files.filter((f) => !META_FILES.has(f.path)).map((f) => ({ key: f.path, path: f.abs, size: f.size })),
    { ctx, pool },
  );
  for (const f of files) if (!META_FILES.has(f.path)) merge(out, f.path, hashed.get(f.path));
  out.small = await readSmallFiles(root, 'folder', [MANIFEST_FILE, SUMS_FILE, SIG_FILE]);
  // Spec files are read after the manifest says which they are.
  const m = out.small.get(MANIFEST_FILE);
  if (m) {
    const { manifest } = parseManifest(m.toString('utf8'));
    if (manifest) {
      const specs = manifestReferences(manifest).filter((r) => r.spec).map((r) => r.path);
      for (const [k, v] of await readSmallFiles(root, 'folder', specs)) out.small.set(k, v);
    }
  }
  return out;
}

/** Judges what a pass collected: SHA256SUMS against the files, the signature, the manifest. */
export function assess(c: Collected, trusted: PublicKey[], path: string): Omit<VerifyReport, 'path' | 'kind' | 'durationMs'> {
  const problems: Problem[] = [...c.structural];
  const sumsBytes = c.small.get(SUMS_FILE);
  const sigBytes = c.small.get(SIG_FILE);
  let digest: string | undefined;
  let listed = 0;
  let signature: VerifyReport['signature'] = sigBytes ? 'invalid' : 'unsigned';
  let keyId: string | undefined;
  let keyName: string | undefined;
  const listedFiles = new Set<string>();
  if (!sumsBytes) {
    problems.push(problem('bundle.sums_missing', { file: SUMS_FILE }));
  } else {
    digest = digestOfSums(sumsBytes);
    const parsed = parseSums(sumsBytes.toString('utf8'));
    problems.push(...parsed.problems);
    listed = parsed.sums.size;
    const sig = checkSignature(sumsBytes, sigBytes?.toString('utf8'), trusted);
    signature = sig.status;
    keyId = sig.keyId;
    keyName = sig.keyName;
    if (sig.status === 'unsigned') problems.push(problem('bundle.unsigned', { file: SIG_FILE }, 'warning'));
    else if (sig.status === 'untrusted') problems.push(problem('bundle.signature_untrusted', { file: SIG_FILE, keyId: sig.keyId ?? '?' }, 'warning'));
    else if (sig.status === 'invalid' && sig.keyId) problems.push(problem('bundle.signature_invalid', { file: SIG_FILE, keyId: sig.keyId }));
    else if (sig.status === 'invalid') problems.push(problem('bundle.signature_malformed', { file: SIG_FILE, reason: sig.reason ?? 'unreadable' }));
    for (const [p, hex] of parsed.sums) {
      const f = c.files.get(p);
      if (!f) problems.push(problem('bundle.file_missing', { file: p }));
      else if (f.error) problems.push({ ...problem('bundle.file_missing', { file: p }), message: `${p} could not be read: ${f.error}` });
      else if (f.hex !== hex) problems.push(problem('bundle.checksum_mismatch', { file: p }));
      else listedFiles.add(p);
    }
    for (const p of c.files.keys()) {
      if (!META_FILES.has(p) && !parsed.sums.has(p)) problems.push(problem('bundle.file_unlisted', { file: p }));
    }
  }
  let manifest: BundleManifest | undefined;
  const mtext = c.small.get(MANIFEST_FILE);
  if (!mtext) {
    if (!c.files.has(MANIFEST_FILE)) problems.push(problem('bundle.manifest_missing', { file: MANIFEST_FILE, path }));
  } else {
    const r = parseManifest(mtext.toString('utf8'));
    problems.push(...r.problems);
    manifest = r.manifest;
    if (manifest && sumsBytes) {
      problems.push(...checkReferences(manifest, new Set(parseSums(sumsBytes.toString('utf8')).sums.keys())));
      for (const ref of manifestReferences(manifest)) {
        if (!ref.spec) continue;
        const text = c.small.get(ref.path);
        if (text) problems.push(...parseSpec(ref.spec, text.toString('utf8'), ref.path).problems);
      }
    }
  }
  const intact = !problems.some((p) => p.severity === 'error');
  return {
    ok: intact && signature === 'valid',
    intact,
    signature,
    keyId,
    keyName,
    files: listed,
    bytes: c.bytes,
    digest,
    manifest,
    problems,
  };
}

export interface VerifyOptions {
  /** Vendor public keys to accept; none means every signed bundle is 'untrusted'. */
  trustedKeys?: TrustedKey[];
  ctx?: JobContext;
  pool?: HashPool;
}

/**
 * Verifies a bundle (folder, .tar or .tar.gz) before anything of it is used: streaming SHA-256
 * of every file against SHA256SUMS, the signature against the trusted keys, the archive's
 * entries against the safety rules, the manifest and specs against their schemas. Problems are
 * reported, not thrown; only an unreadable path throws.
 */
export async function verifyBundle(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const t0 = Date.now();
  const trusted = toPublicKeys(opts.trustedKeys);
  const kind: BundleKind = await detectKind(path);
  let c: Collected;
  if (kind === 'folder') c = await collectFolder(path, opts.ctx, opts.pool);
  else if (kind === 'tar') c = await collectTar(path, opts.ctx, opts.pool);
  else c = await streamArchive(path, kind, { ctx: opts.ctx });
  return { path, kind, ...assess(c, trusted, path), durationMs: Date.now() - t0 };
}

/** Throws `bundle.verify_failed` (all problems in details) unless the report is intact. */
export function assertIntact(report: VerifyReport): void {
  if (report.intact) return;
  const errors = report.problems.filter((p) => p.severity === 'error');
  throw bundleError('bundle.verify_failed', { count: errors.length, first: errors[0]?.message ?? 'unknown' }, { problems: errors });
}
