// The bundles section of the API contract (electron/core/api/contract.ts spreads it in).
import { z } from 'zod';
import type { Site } from '../api/types';
import type { BundleDiff, BundleInfo, BundleKind, FoundBundle, LibraryEntry, MediaInfo, VerifyReport } from './types';

const returns = <O>() => <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });
const jobStarted = returns<{ jobId: string }>();

const none = z.object({}).strict().optional();
const id = z.string().min(1).max(200);
/** A path on the machine running Outpost (the USB stick, a folder, an archive). */
const path = z.string().trim().min(1, 'required').max(4096);
export const digestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'not a bundle digest (sha256:<64 hex>)');
/** A bundle named by its library digest or by a path. */
const bundleRef = z.union([digestSchema, path]);
const reason = z.string().trim().min(1, 'required').max(2000);

/** A bundle the library knows: copied into `<dataDir>/library`, or used where it lies (in place). */
export interface BundleRecord extends LibraryEntry {
  /** 'library': a verified copy in `<dataDir>/library`; 'in-place': used where it was loaded from (e.g. the USB stick). */
  location: 'library' | 'in-place';
  kind: BundleKind;
  /** Whether its files are there right now (an in-place bundle's stick may be unplugged). Computed on every list. */
  available: boolean;
}

/** A vendor public key the app trusts, kept in the settings. */
export interface TrustedVendorKey {
  /** Key id (16 hex digits, the signify key number). */
  id: string;
  name: string;
  /** signify `.pub` text or PEM. */
  publicKey: string;
  addedAt: string;
}

/** What a load job ends with. */
export interface BundleLoadResult {
  entry: BundleRecord;
  /** The verification report (absent when the bundle was in the library already). */
  report?: VerifyReport;
  /** The same bundle (digest) was loaded before; nothing was copied again. */
  already?: boolean;
}

/** Parameters of the bundle jobs, as stored in the job journal. */
export interface BundleScanParams { roots?: string[]; depth?: number }
export interface BundleVerifyParams { path?: string; digest?: string }
export interface BundleLoadParams { path: string; copy?: boolean; allowUntrusted?: { reason: string } }

export const bundleContract = {
  /** Removable drives and mounted media (USB sticks) that can be scanned. */
  media: returns<MediaInfo[]>()(none),
  /** Scans media (all, or the given roots) for bundles, as a job; the job's result is FoundBundle[]. */
  scan: jobStarted(z.object({
    roots: z.array(path).min(1).max(50).optional(),
    depth: z.number().int().min(0).max(8).optional(),
  }).strict().optional()),
  /** Verifies a bundle (a path, or a library entry again) as a job with byte progress; the result is a VerifyReport. */
  verify: jobStarted(z.object({ path: path.optional(), digest: digestSchema.optional() }).strict()
    .refine((v) => !!v.path !== !!v.digest, 'give either path or digest')),
  /**
   * Verifies a bundle and records it in the library, as a job (result: BundleLoadResult).
   * `copy` copies it into the library first (resumable); otherwise it is used in place.
   * Unsigned or untrusted bundles are refused unless `allowUntrusted.reason` says why (audited).
   */
  load: jobStarted(z.object({
    path,
    copy: z.boolean().optional(),
    allowUntrusted: z.object({ reason }).strict().optional(),
  }).strict()),
  /** The library, newest first per name. */
  list: returns<BundleRecord[]>()(none),
  /** Reads a bundle's metadata (charts with versions, images, questions); no hashing. */
  inspect: returns<BundleInfo>()(z.object({ ref: bundleRef }).strict()),
  /** What changes from one bundle to another (library digests or paths). */
  diff: returns<BundleDiff>()(z.object({ from: bundleRef, to: bundleRef }).strict()),
  /** Removes a bundle from the library (a copy is deleted; an in-place bundle is only forgotten). */
  remove: returns<void>()(z.object({ digest: digestSchema }).strict()),
  listKeys: returns<TrustedVendorKey[]>()(none),
  /** Trusts a vendor public key (signify .pub text or PEM). */
  addKey: returns<TrustedVendorKey>()(z.object({
    publicKey: z.string().trim().min(1, 'required').max(10_000),
    name: z.string().trim().max(120).optional(),
  }).strict()),
  removeKey: returns<void>()(z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'not a key id') }).strict()),
  /** Records which bundle a site runs (or is about to install). */
  useForSite: returns<Site>()(z.object({ siteId: id, digest: digestSchema }).strict()),
} as const;
