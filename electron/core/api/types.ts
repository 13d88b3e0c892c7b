/**
 * Data shapes shared by the core, the Electron shell, the web mode, the CLI and the renderer.
 * Type-only: no runtime code here, so the renderer can import it freely.
 */
import type { ErrorInfo } from './errors';
import type { Msg } from '../i18n';
import type { Progress, LogLevel } from '../jobs/context';

export type { ErrorInfo, Msg, Progress, LogLevel };

export interface AppInfo {
  version: string;
  mode: 'electron' | 'web' | 'cli';
  dataDir: string;
  secretScheme: 'safe-storage' | 'aes-256-gcm';
  platform: string;
}

export interface Site {
  id: string;
  name: string;
  description: string;
  /** Digest of the bundle the site runs, once installed. */
  bundleDigest?: string;
  bundleVersion?: string;
  createdAt: string;
  updatedAt: string;
}

export interface SiteInput {
  id?: string;
  name: string;
  description?: string;
}

export type AuthMethod = 'key' | 'password' | 'agent';
export type SudoMode = 'none' | 'nopasswd' | 'password';
export type HostRole = 'server' | 'agent';

export interface PinnedHostKey {
  algorithm: string;
  /** `SHA256:<base64>`, the same text `ssh-keygen -lf` prints. */
  fingerprint: string;
  pinnedAt: string;
}

export interface ConnectionTest {
  at: string;
  ok: boolean;
  latencyMs?: number;
  error?: ErrorInfo;
  /** The key the host offered on this attempt (also when it was refused). */
  offeredKey?: { algorithm: string; fingerprint: string };
  /** True when this attempt pinned the key for the first time (trust on first use). */
  pinnedNow?: boolean;
  remote?: { uid: number; os: string; sudo: 'root' | 'ok' | 'failed' | 'not-configured' };
}

/** What every view of a host has: the UI's `Host` and the store's `HostRecord` extend it. */
export interface HostFields {
  id: string;
  siteId: string;
  name: string;
  address: string;
  port: number;
  user: string;
  auth: AuthMethod;
  keyPath?: string;
  sudo: SudoMode;
  role: HostRole;
  hostKey?: PinnedHostKey;
  lastTest?: ConnectionTest;
  createdAt: string;
  updatedAt: string;
}

/** A host as the UI sees it: secrets are reduced to "is one stored". */
export interface Host extends HostFields {
  hasPassword: boolean;
  hasPassphrase: boolean;
}

export interface HostInput {
  id?: string;
  siteId: string;
  name?: string;
  address: string;
  port?: number;
  user: string;
  auth: AuthMethod;
  keyPath?: string;
  /** Login password (auth=password) or sudo password; write-only. Empty string clears it. */
  password?: string;
  /** Passphrase of the private key; write-only. */
  passphrase?: string;
  sudo?: SudoMode;
  role?: HostRole;
}

export interface SiteDetail extends Site {
  hosts: Host[];
}

export interface ImportResult {
  added: Host[];
  updated: Host[];
  errors: { line: number; message: string }[];
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobLogLine {
  at: string;
  level: LogLevel;
  text: string;
}

export interface JobSnapshot {
  id: string;
  kind: string;
  title: Msg;
  state: JobState;
  params: Record<string, unknown>;
  progress?: Progress;
  log: JobLogLine[];
  startedAt: string;
  endedAt?: string;
  result?: unknown;
  error?: ErrorInfo;
  resumable: boolean;
  /** Site the job works on, if any, so screens can filter. */
  siteId?: string;
}

export type JobEvent =
  | { type: 'snapshot'; job: JobSnapshot }
  | { type: 'progress'; jobId: string; progress: Progress }
  | { type: 'log'; jobId: string; line: JobLogLine };

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  siteId?: string;
  hostId?: string;
  target?: string;
  detail?: string;
  outcome: 'ok' | 'error' | 'refused' | 'info';
  prevHash: string;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  /** First entry whose hash or chain link does not match. */
  brokenAt?: number;
  reason?: string;
}

export interface Settings {
  language: 'en' | 'zh-CN';
  trustedVendorKeys: { id: string; name: string; publicKey: string; addedAt: string }[];
}

/** Events pushed from the core to every front end. */
export interface OutpostEvents {
  job: JobEvent;
  'store.changed': { collection: 'sites' | 'hosts' | 'settings' | 'bundles' | 'probes' | 'preflight' };
}

// Offline bundles: the shapes the screens need (type-only; defined in electron/core/bundle).
export type {
  BundleDiff, BundleInfo, BundleKind, ChartChange, ChartInfo, FoundBundle, ImageArchiveInfo, LibraryEntry, MediaInfo, Problem,
  Question, SignatureStatus, VerifyReport,
} from '../bundle/types';
export type { BundleLoadResult, BundleRecord, TrustedVendorKey } from '../bundle/api-contract';
