import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog, Store } from '.';

async function logWith(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-audit-'));
  const store = await Store.open(dir);
  const audit = new AuditLog(store, 'tester@laptop');
  for (let i = 0; i < n; i++) await audit.append({ action: 'ssh.exec', target: `root@10.0.0.${i}`, detail: `cmd ${i}`, outcome: 'ok' });
  return { dir, store, audit };
}

describe('AuditLog', () => {
  it('chains entries and verifies an untouched log', async () => {
    const { audit } = await logWith(5);
    const entries = audit.list({ limit: 10 }).reverse();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(entries[0].actor).toBe('tester@laptop');
    expect(audit.verify()).toEqual({ ok: true, entries: 5 });
  });

  it('detects an edited entry in the file on disk', async () => {
    const { dir } = await logWith(4);
    const file = join(dir, 'outpost.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.audit[2].detail = 'rm -rf / (edited)';
    writeFileSync(file, JSON.stringify(data));
    const r = new AuditLog(await Store.open(dir)).verify();
    expect(r.ok).toBe(false);
    expect(r.brokenAt).toBe(3);
    expect(r.reason).toMatch(/edited/);
  });

  it('detects a removed entry', async () => {
    const { dir } = await logWith(4);
    const file = join(dir, 'outpost.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.audit.splice(1, 1);
    writeFileSync(file, JSON.stringify(data));
    const r = new AuditLog(await Store.open(dir)).verify();
    expect(r).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
