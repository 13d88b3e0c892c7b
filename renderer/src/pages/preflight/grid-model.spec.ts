import { describe, expect, it } from 'vitest';
import type { CheckResult, PreflightReport } from '../../../../electron/core/preflight/types';
import { buildGrid, SITE, worst } from './grid-model';

const r = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({ id, analyzer: 'outpost', title: id, status, message: `${id} ${status}`, ...extra });

const report: PreflightReport = {
  name: 'demo',
  generatedAt: '2026-01-01T00:00:00.000Z',
  hosts: [
    { host: '10.0.0.1', results: [r('ts.0.cpu', 'pass', { analyzer: 'cpu' }), r('outpost.port.tcp.6443', 'fail', { strict: true })] },
    { host: '10.0.0.2:2222', results: [r('ts.0.cpu', 'pass', { analyzer: 'cpu' }), r('outpost.port.tcp.6443', 'pass'), r('outpost.clock', 'warn')] },
    { host: '10.0.0.9', results: [r('outpost.probe', 'error')] },
  ],
  site: [r('outpost.middleware.mysql', 'pass')],
  summary: { pass: 4, warn: 1, fail: 1, unsupported: 0, error: 1 },
};

describe('the host × check grid', () => {
  const hosts = [
    { id: 'a', name: 'web-1', address: '10.0.0.1', port: 22 },
    { id: 'b', name: 'db-1', address: '10.0.0.2', port: 2222 },
  ];
  const grid = buildGrid(report, hosts);

  it('has a column per host of the report, named after the site host (by address, with the port when not 22)', () => {
    expect(grid.hosts.map((h) => [h.key, h.hostId, h.name])).toEqual([['10.0.0.1', 'a', 'web-1'], ['10.0.0.2:2222', 'b', 'db-1'], ['10.0.0.9', undefined, '10.0.0.9']]);
    expect(grid.hosts[0].counts).toMatchObject({ pass: 1, fail: 1 });
  });

  it('has a row per check id in report order (a failed probe first), host checks before the site-wide ones', () => {
    expect(grid.rows.map((x) => `${x.scope}:${x.id}`)).toEqual([
      'host:outpost.probe', 'host:ts.0.cpu', 'host:outpost.port.tcp.6443', 'host:outpost.clock', 'site:outpost.middleware.mysql',
    ]);
    const port = grid.rows[2];
    expect(port.strict).toBe(true);
    expect(port.worst).toBe('fail');
    expect(Object.keys(port.cells)).toEqual(['10.0.0.1', '10.0.0.2:2222']);
    expect(grid.rows[4].cells[SITE].status).toBe('pass');
  });

  it('ranks statuses worst first', () => {
    expect(worst(['pass', 'warn', 'error'])).toBe('error');
    expect(worst(['error', 'fail'])).toBe('fail');
    expect(worst(['pass', 'unsupported'])).toBe('unsupported');
    expect(worst([])).toBe('pass');
  });
});
