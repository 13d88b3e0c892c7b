/**
 * The host × check grid, built from a PreflightReport: one row per check id (in report order), one
 * column per host, and the site-wide checks as their own section. Pure, so it is unit-tested.
 */
import type { Msg } from '../../../../electron/core/api/types';
import type { CheckCategory, CheckResult, CheckStatus, PreflightReport } from '../../../../electron/core/preflight/types';
import { hostKey } from './format';

export interface GridHost {
  /** The report's key for the host (address, or address:port). */
  key: string;
  /** The site's host it belongs to, when it is still in the site. */
  hostId?: string;
  name: string;
  address: string;
  counts: Record<CheckStatus, number>;
}

export interface GridRow {
  id: string;
  scope: 'host' | 'site';
  title: string | Msg;
  analyzer: string;
  category?: CheckCategory;
  strict: boolean;
  /** Host key → result ('site' for a site-wide check). */
  cells: Record<string, CheckResult>;
  worst: CheckStatus;
}

export interface Grid {
  hosts: GridHost[];
  rows: GridRow[];
}

/** Worse first: a failure outranks a check that could not run, which outranks a warning. */
export const STATUS_ORDER: CheckStatus[] = ['fail', 'error', 'warn', 'unsupported', 'pass'];
export const SITE = 'site';

export function worst(statuses: CheckStatus[]): CheckStatus {
  return STATUS_ORDER.find((s) => statuses.includes(s)) ?? 'pass';
}

const zero = (): Record<CheckStatus, number> => ({ pass: 0, warn: 0, fail: 0, unsupported: 0, error: 0 });

export function buildGrid(report: PreflightReport, siteHosts: { id: string; name: string; address: string; port: number }[]): Grid {
  const byKey = new Map(siteHosts.map((h) => [hostKey(h), h]));
  const hosts: GridHost[] = report.hosts.map((hr) => {
    const h = byKey.get(hr.host);
    const counts = zero();
    for (const r of hr.results) counts[r.status]++;
    return { key: hr.host, hostId: h?.id, name: h?.name ?? hr.host, address: hr.host, counts };
  });

  const rows = new Map<string, GridRow>();
  const add = (scope: 'host' | 'site', key: string, r: CheckResult) => {
    const id = `${scope}:${r.id}`;
    let row = rows.get(id);
    if (!row) {
      row = { id: r.id, scope, title: r.title, analyzer: r.analyzer, category: r.category, strict: false, cells: {}, worst: 'pass' };
      rows.set(id, row);
    }
    row.cells[key] = r;
    row.strict ||= !!r.strict;
  };
  for (const hr of report.hosts) for (const r of hr.results) add('host', hr.host, r);
  for (const r of report.site) add('site', SITE, r);
  for (const row of rows.values()) row.worst = worst(Object.values(row.cells).map((c) => c.status));
  // A host that could not be probed has only that row: it comes first, it explains the empty cells.
  const all = [...rows.values()];
  return { hosts, rows: [...all.filter((x) => x.id === 'outpost.probe'), ...all.filter((x) => x.id !== 'outpost.probe')] };
}
