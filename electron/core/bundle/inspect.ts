import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import type { JobContext } from '../jobs/context';
import { problem } from './entries';
import { manifestReferences, parseManifest } from './manifest';
import { bundleError } from './messages';
import { unsafePathReason } from './paths';
import { checkSignature, toPublicKeys } from './signing';
import { detectKind, sizeOf, smallFileLimit, SMALL_FILE_LIMIT } from './source';
import { digestOfSums, MANIFEST_FILE, parseSums, SIG_FILE, SUMS_FILE, type Sums } from './sums';
import { FileSource, openArchive, StreamSource, TarReader, type ByteSource, entryPath } from './tar-read';
import type { BundleInfo, BundleKind, BundleManifest, ChartInfo, ImageArchiveInfo, Problem, TrustedKey } from './types';

/**
 * Reads what a person (or a diff) needs to know about a bundle from its metadata, in one pass
 * and without hashing: the manifest, SHA256SUMS, the signature, each chart's Chart.yaml (also
 * inside a packaged .tgz), the image references inside each image archive, and the small text
 * files (values templates, specs). `inspect` does not prove integrity; `verify` does.
 */

type Want = 'text' | 'image' | 'chart-tgz';

interface ChartMeta {
  name?: string;
  version?: string;
  appVersion?: string;
}

export interface BundleMeta {
  info: BundleInfo;
  sums: Sums;
  /** Values templates and spec files, by bundle path. */
  texts: Map<string, string>;
}

async function parseImageArchive(src: ByteSource): Promise<{ refs: string[]; reason?: string }> {
  const r = new TarReader(src);
  let index: unknown;
  let manifest: unknown;
  try {
    for await (const e of r.entries()) {
      const p = entryPath(e);
      if (e.type !== 'file' || e.size > SMALL_FILE_LIMIT) continue;
      if (p === 'index.json') index = JSON.parse((await r.readAll(SMALL_FILE_LIMIT)).toString('utf8'));
      else if (p === 'manifest.json') manifest = JSON.parse((await r.readAll(SMALL_FILE_LIMIT)).toString('utf8'));
      if (index !== undefined && manifest !== undefined) break;
    }
  } catch (e) {
    return { refs: [], reason: (e as Error).message };
  }
  const refs = new Set<string>();
  if (Array.isArray(manifest)) {
    for (const m of manifest) for (const t of (m as { RepoTags?: string[] }).RepoTags ?? []) refs.add(t);
  }
  const manifests = (index as { manifests?: { annotations?: Record<string, string> }[] } | undefined)?.manifests;
  if (Array.isArray(manifests)) {
    for (const m of manifests) {
      const a = m.annotations ?? {};
      const name = a['io.containerd.image.name'] ?? a['org.opencontainers.image.ref.name'];
      if (name) refs.add(name);
    }
  }
  if (index === undefined && manifest === undefined) return { refs: [], reason: 'neither index.json nor manifest.json found' };
  return { refs: [...refs].sort() };
}

async function parseChartTgz(src: ByteSource): Promise<ChartMeta | undefined> {
  const r = new TarReader(src);
  for await (const e of r.entries()) {
    const parts = entryPath(e).split('/');
    if (e.type === 'file' && parts.length === 2 && parts[1] === 'Chart.yaml') return chartMeta((await r.readAll(SMALL_FILE_LIMIT)).toString('utf8'));
  }
  return undefined;
}

function chartMeta(text: string): ChartMeta {
  try {
    const c = parseYaml(text) as Record<string, unknown>;
    const s = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    return { name: s(c?.name), version: s(c?.version), appVersion: s(c?.appVersion) };
  } catch {
    return {};
  }
}

function gunzipSource(stream: Readable): ByteSource {
  const gz = createGunzip();
  stream.on('error', (e) => gz.destroy(e));
  return new StreamSource(stream.pipe(gz), [stream]);
}

/** Reads the wanted files of a folder or archive bundle; one sequential pass for archives. */
type Visited = Map<string, string | ChartMeta | { refs: string[]; reason?: string }> & { sizes: Map<string, number> };

async function visit(path: string, kind: BundleKind, wanted: Map<string, Want>): Promise<Visited> {
  const out = Object.assign(new Map<string, string | ChartMeta | { refs: string[]; reason?: string }>(), { sizes: new Map<string, number>() });
  const handle = async (p: string, want: Want, src: () => ByteSource | Promise<ByteSource>, readText: () => Promise<Buffer>) => {
    if (want === 'text') out.set(p, (await readText()).toString('utf8'));
    else if (want === 'image') {
      const s = await src();
      try {
        out.set(p, await parseImageArchive(s));
      } finally {
        await s.close();
      }
    } else {
      const s = await src();
      try {
        const m = await parseChartTgz(s).catch(() => undefined);
        if (m) out.set(p, m);
      } finally {
        await s.close();
      }
    }
  };
  if (kind === 'folder') {
    for (const [p, want] of wanted) {
      if (unsafePathReason(p)) continue;
      const abs = join(path, ...p.split('/'));
      const st = await fsp.lstat(abs).catch(() => undefined);
      if (!st?.isFile()) continue;
      out.sizes.set(p, st.size);
      if (want === 'text' && st.size > smallFileLimit(p)) continue;
      await handle(
        p,
        want,
        () => (want === 'chart-tgz' ? gunzipSource(createReadStream(abs)) : FileSource.open(abs)),
        () => fsp.readFile(abs),
      );
    }
    return out;
  }
  const src = await openArchive(path, kind);
  try {
    const r = new TarReader(src);
    for await (const e of r.entries()) {
      const p = entryPath(e);
      const want = e.type === 'file' ? wanted.get(p) : undefined;
      if (!want || out.has(p)) continue;
      out.sizes.set(p, e.size);
      if (want === 'text' && e.size > smallFileLimit(p)) continue;
      const body = () => Readable.from(r.body(), { objectMode: false });
      await handle(
        p,
        want,
        () => (want === 'chart-tgz' ? gunzipSource(body()) : new StreamSource(body())),
        () => r.readAll(smallFileLimit(p)),
      );
      if (out.size === wanted.size) break;
    }
  } finally {
    await src.close();
  }
  return out;
}

/** sha256 over the SHA256SUMS lines of a file or of everything under a folder. */
export function subtreeDigest(sums: Sums, path: string): string | undefined {
  const lines = [...sums].filter(([p]) => p === path || p.startsWith(path + '/')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!lines.length) return undefined;
  const h = createHash('sha256');
  for (const [p, hex] of lines) h.update(`${hex}  ${p}\n`);
  return 'sha256:' + h.digest('hex');
}

export async function readBundleMeta(path: string, opts: { trustedKeys?: TrustedKey[]; ctx?: JobContext } = {}): Promise<BundleMeta> {
  const kind = await detectKind(path);
  opts.ctx?.progress({ step: 'inspect', label: 'bundle.step.inspect', current: 0, total: -1, item: path });
  const first = await visit(path, kind, new Map<string, Want>([[MANIFEST_FILE, 'text'], [SUMS_FILE, 'text'], [SIG_FILE, 'text']]));
  const mtext = first.get(MANIFEST_FILE) as string | undefined;
  if (mtext === undefined) throw bundleError('bundle.manifest_missing', { path });
  const problems: Problem[] = [];
  const parsed = parseManifest(mtext);
  if (!parsed.manifest) {
    const p = parsed.problems[0];
    throw bundleError(p.code as 'bundle.schema_invalid', p.params ?? {}, { problems: parsed.problems });
  }
  const m: BundleManifest = parsed.manifest;
  const sumsText = first.get(SUMS_FILE) as string | undefined;
  let sums: Sums = new Map();
  let digest: string | undefined;
  let signature: BundleInfo['signature'] = 'unsigned';
  let keyId: string | undefined;
  if (sumsText === undefined) problems.push(problem('bundle.sums_missing', { file: SUMS_FILE }));
  else {
    const ps = parseSums(sumsText);
    sums = ps.sums;
    problems.push(...ps.problems);
    digest = digestOfSums(Buffer.from(sumsText));
    const sig = checkSignature(Buffer.from(sumsText), first.get(SIG_FILE) as string | undefined, toPublicKeys(opts.trustedKeys));
    signature = sig.status;
    keyId = sig.keyId;
    if (sig.status === 'unsigned') problems.push(problem('bundle.unsigned', { file: SIG_FILE }, 'warning'));
    else if (sig.status === 'untrusted') problems.push(problem('bundle.signature_untrusted', { file: SIG_FILE, keyId: sig.keyId ?? '?' }, 'warning'));
    else if (sig.status === 'invalid') problems.push(problem('bundle.signature_invalid', { file: SIG_FILE, keyId: sig.keyId ?? '?' }));
  }

  const wanted = new Map<string, Want>();
  for (const ref of manifestReferences(m)) {
    if (ref.spec || ref.field.endsWith('.values')) wanted.set(ref.path, 'text');
    if (ref.kind === 'chart') wanted.set(ref.path.endsWith('.tgz') ? ref.path : `${ref.path}/Chart.yaml`, ref.path.endsWith('.tgz') ? 'chart-tgz' : 'text');
  }
  for (const img of m.spec.images) wanted.set(img, 'image');
  const got = await visit(path, kind, wanted);

  const texts = new Map<string, string>();
  for (const [p, v] of got) if (typeof v === 'string') texts.set(p, v);
  const groups = m.spec.groups.map((g) => ({
    name: g.name,
    charts: g.charts.map((c): ChartInfo => {
      const meta = (c.chart.endsWith('.tgz') ? got.get(c.chart) : chartMeta(texts.get(`${c.chart}/Chart.yaml`) ?? '')) as ChartMeta | undefined;
      return {
        group: g.name,
        release: c.release,
        namespace: c.namespace,
        chart: c.chart,
        name: meta?.name,
        version: meta?.version,
        appVersion: meta?.appVersion,
        values: c.values,
        digest: subtreeDigest(sums, c.chart),
      };
    }),
  }));
  const sizes = got.sizes;
  const images: ImageArchiveInfo[] = m.spec.images.map((file) => {
    const r = got.get(file) as { refs: string[]; reason?: string } | undefined;
    const probs = r?.reason ? [problem('bundle.image_archive_invalid', { file, reason: r.reason })] : r ? [] : [problem('bundle.file_missing', { file })];
    problems.push(...probs);
    return { file, sizeBytes: sizes.get(file) ?? 0, refs: r?.refs ?? [], problems: probs };
  });
  const info: BundleInfo = {
    ...m.metadata,
    path,
    kind,
    sizeBytes: await sizeOf(path, kind),
    digest,
    signature,
    keyId,
    manifest: m,
    k3sVersion: m.spec.k3s.version,
    arch: m.spec.arch,
    groups,
    images,
    questions: m.spec.questions,
    files: sums.size,
    problems,
  };
  return { info, sums, texts };
}

/** What `outpost bundle inspect` prints: metadata, charts with versions, image references. */
export async function inspectBundle(path: string, opts: { trustedKeys?: TrustedKey[]; ctx?: JobContext } = {}): Promise<BundleInfo> {
  return (await readBundleMeta(path, opts)).info;
}
