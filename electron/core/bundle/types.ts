/**
 * Data shapes of the bundle domain, type-only, so the API contract, the store and the
 * renderer can import them without pulling in Node code.
 */
import type { BundleManifest, Question } from './schema';

export type { BundleManifest, Question };
export type {
  BundleGroup,
  BundleChart,
  LocalizedText,
  HealthSpec,
  CleanupSpec,
  CleanupRule,
  HostPreflight,
} from './schema';

export type Severity = 'error' | 'warning';

/** One thing wrong with a bundle; `code` is a stable i18n key, `message` its English text. */
export interface Problem {
  code: string;
  severity: Severity;
  message: string;
  /** Bundle-relative file the problem is about. */
  file?: string;
  /** Dotted field path inside that file, e.g. `spec.groups[1].charts[0].values`. */
  field?: string;
  line?: number;
  params?: Record<string, string | number>;
}

/**
 * valid: signed by a trusted key and the signature checks out.
 * unsigned: no SHA256SUMS.sig. untrusted: signed, but by a key not in the trusted set.
 * invalid: signed by a trusted key but the signature fails, or the .sig is malformed.
 */
export type SignatureStatus = 'valid' | 'unsigned' | 'untrusted' | 'invalid';

export type BundleKind = 'folder' | 'tar' | 'tar.gz';

/** A vendor public key the app or a site pins: signify `.pub` text (or its base64 line) or PEM. */
export type TrustedKey = string | { publicKey: string; name?: string };

export interface VerifyReport {
  /** Intact and signed by a trusted key: safe to use without asking anybody. */
  ok: boolean;
  /** Every file matches SHA256SUMS, nothing missing or extra, manifest valid, archive safe, signature not invalid. */
  intact: boolean;
  path: string;
  kind: BundleKind;
  signature: SignatureStatus;
  /** 16 hex digits of the signing key (signify key number), when the bundle is signed. */
  keyId?: string;
  /** Name of the trusted key that verified it, when one did. */
  keyName?: string;
  /** Files listed in SHA256SUMS. */
  files: number;
  /** Bytes hashed. */
  bytes: number;
  /** sha256 of SHA256SUMS, `sha256:<hex>`: the bundle's identity. */
  digest?: string;
  manifest?: BundleManifest;
  problems: Problem[];
  durationMs: number;
}

/** Name, version and vendor: what a person reads to tell bundles apart. */
export interface BundleSummary {
  name: string;
  version: string;
  vendor: string;
  description?: string;
}

export interface ChartInfo {
  group: string;
  release: string;
  namespace: string;
  /** Bundle-relative chart path (a chart folder or a .tgz). */
  chart: string;
  /** From the chart's Chart.yaml. */
  name?: string;
  version?: string;
  appVersion?: string;
  values?: string;
  /** sha256 over the chart's entries in SHA256SUMS: changes with any chart file. */
  digest?: string;
}

export interface ImageArchiveInfo {
  file: string;
  sizeBytes: number;
  /** Image references inside the archive (docker-archive RepoTags or OCI ref annotations). */
  refs: string[];
  problems: Problem[];
}

/** What `outpost bundle inspect` shows: read from the bundle's metadata, no full hashing. */
export interface BundleInfo extends BundleSummary {
  path: string;
  kind: BundleKind;
  sizeBytes: number;
  digest?: string;
  signature: SignatureStatus;
  keyId?: string;
  manifest: BundleManifest;
  k3sVersion: string;
  arch: string;
  groups: { name: string; charts: ChartInfo[] }[];
  images: ImageArchiveInfo[];
  questions: Question[];
  files: number;
  problems: Problem[];
}

export interface ChartChange {
  release: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  from?: ChartInfo;
  to?: ChartInfo;
  /** The chart's files differ (digest over its SHA256SUMS lines). */
  chartChanged: boolean;
  valuesChanged: boolean;
  /** Unified diff of the values template, when it changed. */
  valuesDiff?: string;
  /** Moved to another group, or the group order changed around it. */
  groupChanged: boolean;
}

export interface BundleDiff {
  from: BundleSummary & { digest?: string };
  to: BundleSummary & { digest?: string };
  identical: boolean;
  k3s: { from: string; to: string; changed: boolean };
  helm: { changed: boolean };
  groups: { from: string[]; to: string[]; orderChanged: boolean };
  charts: ChartChange[];
  images: { added: string[]; removed: string[]; archivesChanged: string[] };
  questions: { added: string[]; removed: string[]; changed: string[] };
  specs: { preflight: boolean; health: boolean; cleanup: boolean };
  files: { added: string[]; removed: string[]; changed: string[] };
}

export interface MediaInfo {
  /** Mount point or drive root to scan, e.g. `/media/eng/USB1` or `E:\`. */
  mount: string;
  label?: string;
  device?: string;
  fsType?: string;
  removable: boolean;
  sizeBytes?: number;
  freeBytes?: number;
  /** How it was found: a block device that says removable, a mount under /media|/run/media|/mnt|/Volumes, a drive letter. */
  source: 'block-device' | 'mount-point' | 'drive-letter' | 'explicit';
}

export interface FoundBundle extends BundleSummary {
  path: string;
  kind: BundleKind;
  sizeBytes: number;
  signature: SignatureStatus;
  keyId?: string;
  digest?: string;
  /** The media (mount point) it was found on. */
  media?: string;
  k3sVersion?: string;
  problems: Problem[];
}

/**
 * A bundle in the local library, as plain data for the store (lowdb). The library folder
 * also keeps `<digest-hex>.json` with the same shape, so the store can be rebuilt from disk.
 */
export interface LibraryEntry extends BundleSummary {
  /** `sha256:<hex>` of SHA256SUMS. */
  digest: string;
  /** Verified folder bundle inside the library. */
  path: string;
  sizeBytes: number;
  files: number;
  signature: SignatureStatus;
  keyId?: string;
  keyName?: string;
  /** Present when the user loaded a bundle that is not validly signed, with their reason. */
  trustOverride?: { reason: string; at: string };
  k3sVersion: string;
  arch: string;
  charts: { group: string; release: string; name?: string; version?: string }[];
  /** Where it was copied from. */
  source?: string;
  addedAt: string;
}

export interface BuildResult {
  out: string;
  format: BundleKind;
  digest: string;
  /** sha256 of the output archive (absent for a folder output). */
  sha256?: string;
  files: number;
  bytes: number;
  keyId?: string;
}

export interface KeyPair {
  /** signify-compatible public key file text: pin this in the app or the site. */
  publicKey: string;
  /** signify-compatible secret key file text (unencrypted): keep it offline. */
  secretKey: string;
  keyId: string;
}

/** Values rendered for one chart release. */
export interface RenderedValues {
  release: string;
  template: string;
  text: string;
  values: Record<string, unknown>;
}
