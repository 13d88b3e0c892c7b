import { createHash } from 'node:crypto';
import { userInfo, hostname } from 'node:os';
import type { AuditEntry, AuditVerifyResult } from '../api/types';
import type { Store } from './store';

export type AuditInput = Omit<AuditEntry, 'seq' | 'at' | 'actor' | 'prevHash' | 'hash'> & { actor?: string };

const GENESIS = '0'.repeat(64);

/** Who acts: the laptop's user and machine, as an auditor reading the log later would ask. */
export function defaultActor(): string {
  let user = 'unknown';
  try { user = userInfo().username; } catch { /* no passwd entry in some containers */ }
  return `${user}@${hostname()}`;
}

/** Stable JSON (sorted keys) so the hash does not depend on property order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as any)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((v as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function hashEntry(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonical(e)).digest('hex');
}

/**
 * The audit log of every action taken on a customer host. Each entry carries the hash of the
 * one before it, so editing, deleting or reordering any entry breaks the chain.
 */
export class AuditLog {
  constructor(private readonly store: Store, private readonly actor = defaultActor()) {}

  append(input: AuditInput): Promise<AuditEntry> {
    return this.store.update((d) => {
      const prev = d.audit[d.audit.length - 1];
      const body: Omit<AuditEntry, 'hash'> = {
        seq: (prev?.seq ?? 0) + 1,
        at: new Date().toISOString(),
        actor: input.actor ?? this.actor,
        action: input.action,
        siteId: input.siteId,
        hostId: input.hostId,
        target: input.target,
        detail: input.detail,
        outcome: input.outcome,
        prevHash: prev?.hash ?? GENESIS,
      };
      const entry = { ...body, hash: hashEntry(body) } as AuditEntry;
      for (const k of Object.keys(entry) as (keyof AuditEntry)[]) if (entry[k] === undefined) delete entry[k];
      d.audit.push(entry);
      return entry;
    }, 'audit');
  }

  list(opts: { limit?: number; siteId?: string } = {}): AuditEntry[] {
    const all = this.store.data.audit.filter((e) => !opts.siteId || e.siteId === opts.siteId);
    return all.slice(-(opts.limit ?? 200)).reverse();
  }

  verify(): AuditVerifyResult {
    return verifyChain(this.store.data.audit);
  }
}

export function verifyChain(entries: readonly AuditEntry[]): AuditVerifyResult {
  let prevHash = GENESIS;
  for (let i = 0; i < entries.length; i++) {
    const { hash, ...body } = entries[i];
    if (body.prevHash !== prevHash) {
      return { ok: false, entries: entries.length, brokenAt: body.seq ?? i + 1, reason: 'chain link does not match the previous entry (an entry was removed, inserted or reordered)' };
    }
    if (hashEntry(body) !== hash) {
      return { ok: false, entries: entries.length, brokenAt: body.seq ?? i + 1, reason: 'entry content does not match its hash (the entry was edited)' };
    }
    if (body.seq !== i + 1) {
      return { ok: false, entries: entries.length, brokenAt: body.seq, reason: 'sequence numbers are not contiguous' };
    }
    prevHash = hash;
  }
  return { ok: true, entries: entries.length };
}
