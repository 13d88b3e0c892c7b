import { promises as fsp } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { OutpostApi } from '../api/contract';
import { OutpostError } from '../api/errors';
import type { Site } from '../api/types';
import type { Store, AuditLog } from '../store';
import type { JobDefinition, JobManager, RunContext } from '../jobs';
import type { BundleLoadParams, BundleLoadResult, BundleRecord, BundleScanParams, BundleVerifyParams, TrustedVendorKey } from './api-contract';
import { diffBundles } from './diff';
import { inspectBundle } from './inspect';
import { assertTrusted, copyToLibrary, listLibrary, removeFromLibrary, type TrustPolicy } from './library';
import { listMedia, scanMedia, summarize } from './media';
import { bundleError } from './messages';
import { parsePublicKey } from './signing';
import { detectKind } from './source';
import { assertIntact, verifyBundle } from './verify';
import type { BundleInfo, FoundBundle, LibraryEntry, TrustedKey, VerifyReport } from './types';

export interface BundleApiDeps {
  store: Store;
  audit: AuditLog;
  jobs: JobManager;
  dataDir: string;
}

/** A library record as the store keeps it; `available` is computed when listed. */
type StoredRecord = Omit<BundleRecord, 'available'>;

const COLLECTION = 'bundles';

/** Newer versions first: numeric parts compared as numbers (1.10.0 after 1.9.0). */
function compareVersionsDesc(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const c = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(y) - Number(x) : y.localeCompare(x);
    if (c !== 0) return c;
  }
  return 0;
}

async function exists(p: string): Promise<boolean> {
  return fsp.stat(p).then(() => true, () => false);
}

/**
 * The uncompressed size a gzip file declares in its trailer (ISIZE, modulo 2^32). A .tar.gz
 * streams without a known total; this turns its byte progress into a percentage. Only an
 * estimate: a caller must not trust it beyond bytes it has seen.
 */
async function gzipDeclaredSize(path: string): Promise<number | undefined> {
  const fh = await fsp.open(path, 'r');
  try {
    const { size } = await fh.stat();
    if (size < 18) return undefined;
    const b = Buffer.alloc(4);
    await fh.read(b, 0, 4, size - 4);
    return b.readUInt32LE(0) || undefined;
  } finally {
    await fh.close();
  }
}

/** Fills in bytesTotal for a .tar.gz, whose stream has no total of its own. */
async function withByteTotals<C extends RunContext>(path: string, ctx: C): Promise<C> {
  const kind = await detectKind(path).catch(() => undefined);
  if (kind !== 'tar.gz') return ctx;
  const declared = await gzipDeclaredSize(path).catch(() => undefined);
  if (!declared) return ctx;
  return {
    ...ctx,
    progress: (p) => ctx.progress(p.bytesDone !== undefined && p.bytesTotal === undefined && p.bytesDone <= declared ? { ...p, bytesTotal: declared } : p),
  };
}

function entryFromInfo(info: BundleInfo, report: VerifyReport, policy: TrustPolicy, path: string): LibraryEntry {
  return {
    name: info.name,
    version: info.version,
    vendor: info.vendor,
    ...(info.description ? { description: info.description } : {}),
    digest: report.digest!,
    path,
    sizeBytes: info.sizeBytes,
    files: report.files,
    signature: report.signature,
    keyId: report.keyId,
    keyName: report.keyName,
    ...(report.signature !== 'valid' && policy.allowUntrusted ? { trustOverride: { reason: policy.allowUntrusted.reason, at: new Date().toISOString() } } : {}),
    k3sVersion: info.k3sVersion,
    arch: info.arch,
    charts: info.groups.flatMap((g) => g.charts.map((c) => ({ group: g.name, release: c.release, name: c.name, version: c.version }))),
    source: path,
    addedAt: new Date().toISOString(),
  };
}

/** The name a vendor gave its key in the signify comment line, e.g. "acme 2025 public key" → "acme 2025". */
function nameFromComment(text: string): string | undefined {
  const m = /^untrusted comment:\s*(.+?)\s*(?:public key)?\s*$/m.exec(text);
  const n = m?.[1]?.trim();
  return n && n.length <= 120 ? n : undefined;
}

/** The vendor keys the user trusts, as the bundle library takes them. */
export function trustedKeysOf(store: Store): TrustedKey[] {
  return store.data.settings.trustedVendorKeys.map((k) => ({ publicKey: k.publicKey, name: k.name }));
}

/** Implements the `bundles` namespace of the API (wired in create-core.ts). */
export function createBundleApi(d: BundleApiDeps): OutpostApi['bundles'] {
  const libraryDir = join(d.dataDir, 'library');
  const records = () => d.store.collection<StoredRecord>(COLLECTION);
  const trustedKeys = () => trustedKeysOf(d.store);
  const loading = new Set<string>();

  const upsert = (rec: StoredRecord) =>
    d.store.update((data) => {
      const list = (data.collections[COLLECTION] ??= []) as StoredRecord[];
      const i = list.findIndex((r) => r.digest === rec.digest);
      if (i >= 0) list[i] = rec;
      else list.push(rec);
    }, COLLECTION);

  const byDigest = (digest: string): StoredRecord => {
    const r = records().find((x) => x.digest === digest);
    if (!r) throw bundleError('bundle.library_missing', { digest });
    return r;
  };

  /** A library digest or a path on this machine. */
  const resolveRef = (ref: string): string => (/^sha256:[0-9a-f]{64}$/.test(ref) ? byDigest(ref).path : resolve(ref));

  const describe = (r: Pick<LibraryEntry, 'name' | 'version' | 'digest'>) => `${r.name} ${r.version} (${r.digest.slice(0, 19)}…)`;

  // ---------------------------------------------------------------- jobs

  const scanJob: JobDefinition<BundleScanParams> = {
    kind: 'bundles.scan',
    title: (p) => (p.roots?.length
      ? { key: 'bundle.job.scanRoots', params: { roots: p.roots.join(', ') }, text: `Look for bundles in ${p.roots.join(', ')}` }
      : { key: 'bundle.job.scan', text: 'Look for bundles on removable media' }),
    async run(p, ctx): Promise<FoundBundle[]> {
      const roots = p.roots?.map((r) => resolve(r));
      const found = await scanMedia({ roots, depth: p.depth, trustedKeys: trustedKeys(), ctx });
      ctx.log(`Found ${found.length} bundle(s)${roots ? ` in ${roots.join(', ')}` : ' on the media'}.`);
      return found;
    },
  };

  const verifyJob: JobDefinition<BundleVerifyParams> = {
    kind: 'bundles.verify',
    title: (p) => ({ key: 'bundle.job.verify', params: { name: p.path ? basename(p.path) : (p.digest ?? '').slice(0, 19) }, text: `Verify ${p.path ? basename(p.path) : p.digest}` }),
    async run(p, ctx): Promise<VerifyReport> {
      const path = p.digest ? byDigest(p.digest).path : resolve(p.path!);
      ctx.log(`Verifying ${path}`);
      const report = await verifyBundle(path, { trustedKeys: trustedKeys(), ctx: await withByteTotals(path, ctx) });
      ctx.progress({ step: 'verified', label: 'bundle.step.verified', current: report.files, total: report.files, bytesDone: report.bytes, bytesTotal: report.bytes });
      for (const pr of report.problems) ctx.log(`${pr.severity}: ${pr.message}`, pr.severity === 'error' ? 'error' : 'warn');
      ctx.log(report.ok ? `Verified: ${report.files} files, signature ${report.signature}${report.keyName ? ` (${report.keyName})` : ''}.`
        : report.intact ? `Intact, but the signature is ${report.signature}.` : `Verification failed: ${report.problems.filter((x) => x.severity === 'error').length} problem(s).`,
      report.ok ? 'info' : 'warn');
      return report;
    },
  };

  const loadJob: JobDefinition<BundleLoadParams, { phase: 'copy' | 'verify'; source: string }> = {
    kind: 'bundles.load',
    // A copy interrupted by a pulled stick or a closed lid continues from the partial files.
    resumable: true,
    title: (p) => ({ key: p.copy ? 'bundle.job.copy' : 'bundle.job.load', params: { name: basename(p.path) }, text: `${p.copy ? 'Copy to the library' : 'Load'}: ${basename(p.path)}` }),
    async run(p, ctx): Promise<BundleLoadResult> {
      const source = resolve(p.path);
      if (loading.has(source)) throw new OutpostError('bundle.busy', `${source} is being loaded already`, { path: source });
      loading.add(source);
      try {
        return await load(p, source, ctx);
      } catch (e) {
        const err = e as OutpostError;
        if ((e as Error).name !== 'AbortError' && !ctx.signal.aborted) {
          const refused = err.code === 'bundle.signature_required' || err.code === 'bundle.verify_failed';
          await d.audit.append({ action: 'bundle.load', target: source, detail: `${err.code ?? 'error'}: ${err.message}`, outcome: refused ? 'refused' : 'error' });
        }
        throw e;
      } finally {
        loading.delete(source);
      }
    },
  };

  async function load(p: BundleLoadParams, source: string, ctx: RunContext<{ phase: 'copy' | 'verify'; source: string }>): Promise<BundleLoadResult> {
    const policy: TrustPolicy = { trustedKeys: trustedKeys(), allowUntrusted: p.allowUntrusted };
    if (ctx.checkpoint?.phase === 'copy') ctx.log('Resuming: the copy continues from the files already copied.');
    const kind = await detectKind(source);
    // The signature first (a few kilobytes): nothing is copied or hashed for a bundle the user must still allow.
    const first = await summarize(source, kind, policy.trustedKeys);
    if (!first) throw bundleError('bundle.manifest_missing', { path: source });
    // The same files (digest) verified into the library before: nothing new would be used.
    const known = first.digest ? records().find((r) => r.digest === first.digest) : undefined;
    if (known?.location === 'library' && (await exists(known.path))) {
      ctx.log(`${describe(known)} is in the library already.`);
      return { entry: { ...structuredClone(known), available: true }, already: true };
    }
    assertTrusted(first.signature, policy);
    if (first.signature !== 'valid') {
      await d.audit.append({
        action: 'bundle.allow_untrusted', target: `${first.name} ${first.version} at ${source}`,
        detail: `signature ${first.signature}${first.keyId ? ` (key ${first.keyId})` : ''}; reason: ${p.allowUntrusted!.reason}`, outcome: 'info',
      });
      ctx.log(`The bundle is ${first.signature}; loading it anyway as allowed: ${p.allowUntrusted!.reason}`, 'warn');
    }

    let rec: StoredRecord;
    let report: VerifyReport | undefined;
    const jctx = await withByteTotals(source, ctx);
    if (p.copy) {
      await ctx.saveCheckpoint({ phase: 'copy', source });
      ctx.log(`Copying ${source} to the library`);
      const entry = await copyToLibrary({ source, libraryDir, ...policy, ctx: jctx });
      rec = { ...entry, location: 'library', kind: 'folder' };
    } else {
      await ctx.saveCheckpoint({ phase: 'verify', source });
      ctx.log(`Verifying ${source} in place`);
      report = await verifyBundle(source, { trustedKeys: policy.trustedKeys, ctx: jctx });
      assertIntact(report);
      assertTrusted(report.signature, policy);
      const info = await inspectBundle(source, { trustedKeys: policy.trustedKeys });
      rec = { ...entryFromInfo(info, report, policy, source), location: 'in-place', kind };
    }
    if (known?.trustOverride && !rec.trustOverride && rec.signature !== 'valid') rec.trustOverride = known.trustOverride;
    await upsert(rec);
    // The last word of the progress bar: everything copied and checked.
    const bytes = report?.bytes ?? rec.sizeBytes;
    ctx.progress({ step: 'verified', label: 'bundle.step.verified', current: rec.files, total: rec.files, bytesDone: bytes, bytesTotal: bytes });
    await d.audit.append({
      action: 'bundle.load', target: describe(rec),
      detail: `${rec.location === 'library' ? `copied to the library from ${source}` : `used in place at ${source}`}; signature ${rec.signature}${rec.keyName ? ` (${rec.keyName})` : rec.keyId ? ` (key ${rec.keyId})` : ''}`,
      outcome: 'ok',
    });
    ctx.log(`Loaded ${describe(rec)}.`);
    return { entry: { ...structuredClone(rec), available: true }, report, already: !!known };
  }

  d.jobs.register(scanJob);
  d.jobs.register(verifyJob);
  d.jobs.register(loadJob);

  // ---------------------------------------------------------------- methods

  return {
    media: async () => listMedia(),
    scan: async (p) => d.jobs.start('bundles.scan', { ...(p ?? {}) }),
    verify: async (p) => {
      if (p.digest) byDigest(p.digest);
      return d.jobs.start('bundles.verify', { ...p });
    },
    load: async (p) => d.jobs.start('bundles.load', { ...p, path: resolve(p.path) }),

    list: async () => {
      // The library folder is the truth for copies: a record lost from the store comes back from disk.
      const onDisk = await listLibrary(libraryDir);
      const missing = onDisk.filter((e) => !records().some((r) => r.digest === e.digest));
      if (missing.length) {
        await d.store.update((data) => {
          const list = (data.collections[COLLECTION] ??= []) as StoredRecord[];
          for (const e of missing) list.push({ ...e, location: 'library', kind: 'folder' });
        }, COLLECTION);
      }
      const out: BundleRecord[] = [];
      for (const r of records()) out.push({ ...structuredClone(r), available: await exists(r.path) });
      return out.sort((a, b) => a.name.localeCompare(b.name) || compareVersionsDesc(a.version, b.version) || b.addedAt.localeCompare(a.addedAt));
    },

    inspect: async ({ ref }) => inspectBundle(resolveRef(ref), { trustedKeys: trustedKeys() }),
    diff: async ({ from, to }) => diffBundles(resolveRef(from), resolveRef(to), { trustedKeys: trustedKeys() }),

    remove: async ({ digest }) => {
      const rec = records().find((r) => r.digest === digest);
      const onDisk = await exists(join(libraryDir, 'bundles', `${digest.slice('sha256:'.length)}.json`));
      if (!rec && !onDisk) throw bundleError('bundle.library_missing', { digest });
      const users = d.store.data.sites.filter((s) => s.bundleDigest === digest);
      if (users.length) {
        throw new OutpostError('bundle.in_use', `The bundle is used by ${users.map((s) => s.name).join(', ')}; pick another bundle for that site first`, { sites: users.map((s) => s.name).join(', ') });
      }
      if (!rec || rec.location === 'library') await removeFromLibrary(libraryDir, digest);
      await d.store.update((data) => {
        const list = (data.collections[COLLECTION] ??= []) as StoredRecord[];
        const i = list.findIndex((r) => r.digest === digest);
        if (i >= 0) list.splice(i, 1);
      }, COLLECTION);
      await d.audit.append({ action: 'bundle.remove', target: rec ? describe(rec) : digest, detail: rec?.location === 'in-place' ? `forgotten (files left at ${rec.path})` : 'deleted from the library', outcome: 'ok' });
    },

    listKeys: async () => structuredClone(d.store.data.settings.trustedVendorKeys) as TrustedVendorKey[],

    addKey: async ({ publicKey, name }) => {
      const text = publicKey.trim() + '\n';
      const parsed = parsePublicKey(text, name || 'public key');
      const existing = d.store.data.settings.trustedVendorKeys.find((k) => k.id === parsed.keyId);
      if (existing) throw new OutpostError('bundle.key_exists', `Key ${parsed.keyId} is trusted already, as "${existing.name}"`, { keyId: parsed.keyId, name: existing.name });
      const key: TrustedVendorKey = { id: parsed.keyId, name: name || nameFromComment(text) || `vendor key ${parsed.keyId}`, publicKey: text, addedAt: new Date().toISOString() };
      await d.store.update((data) => { data.settings.trustedVendorKeys.push(key); }, 'settings');
      await d.audit.append({ action: 'bundle.trust_key', target: key.id, detail: `trusted vendor key "${key.name}"`, outcome: 'ok' });
      return structuredClone(key);
    },

    removeKey: async ({ id }) => {
      const key = d.store.data.settings.trustedVendorKeys.find((k) => k.id === id);
      if (!key) throw new OutpostError('bundle.key_missing', `No trusted vendor key ${id}`, { keyId: id });
      await d.store.update((data) => {
        data.settings.trustedVendorKeys = data.settings.trustedVendorKeys.filter((k) => k.id !== id);
      }, 'settings');
      await d.audit.append({ action: 'bundle.untrust_key', target: id, detail: `no longer trusted: "${key.name}"`, outcome: 'ok' });
    },

    useForSite: async ({ siteId, digest }) => {
      const rec = byDigest(digest);
      const site = await d.store.update((data): Site => {
        const s = data.sites.find((x) => x.id === siteId);
        if (!s) throw new OutpostError('sites.not_found', `No site with id ${siteId}.`, { id: siteId });
        Object.assign(s, { bundleDigest: rec.digest, bundleVersion: rec.version, updatedAt: new Date().toISOString() });
        return structuredClone(s);
      }, 'sites');
      await d.audit.append({ action: 'site.use_bundle', siteId, target: describe(rec), detail: rec.digest, outcome: 'ok' });
      return site;
    },
  };
}

