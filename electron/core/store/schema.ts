import type { AuditEntry, HostFields, JobSnapshot, Settings, Site } from '../api/types';

/** A host as stored: secrets only as encrypted blobs, never in clear text. */
export interface HostRecord extends HostFields {
  passwordEnc?: string;
  passphraseEnc?: string;
  /** A host named on the command line, not saved in a site: its key pin lives in `knownHosts`. */
  adHoc?: boolean;
}

/** Pins of hosts probed ad hoc from the CLI (trust on first use, like ~/.ssh/known_hosts). */
export interface KnownHost {
  address: string;
  port: number;
  algorithm: string;
  fingerprint: string;
  pinnedAt: string;
}

/** A job's durable journal: the snapshot plus what it needs to resume. */
export interface JobRecord extends JobSnapshot {
  checkpoint?: unknown;
}

export interface StoreData {
  schemaVersion: number;
  sites: Site[];
  hosts: HostRecord[];
  jobs: JobRecord[];
  audit: AuditEntry[];
  settings: Settings;
  /** Domain collections owned by later modules (bundle library, probe results, …). */
  collections: Record<string, unknown[]>;
}

export const SCHEMA_VERSION = 2;

export function emptyStore(): StoreData {
  return {
    schemaVersion: SCHEMA_VERSION,
    sites: [],
    hosts: [],
    jobs: [],
    audit: [],
    settings: { language: 'en', trustedVendorKeys: [] },
    collections: {},
  };
}

/**
 * Migrations from version N to N+1, applied in order at open. Each must be idempotent on
 * partial data, because an older file may lack any collection.
 */
export const migrations: Record<number, (d: Record<string, any>) => void> = {
  // v1 → v2: domain collections moved under `collections`, settings gained trusted vendor keys.
  1: (d) => {
    d.collections ??= {};
    for (const k of ['bundles', 'probes']) if (Array.isArray(d[k])) { d.collections[k] = d[k]; delete d[k]; }
    d.settings = { language: 'en', trustedVendorKeys: [], ...(d.settings ?? {}) };
  },
};
