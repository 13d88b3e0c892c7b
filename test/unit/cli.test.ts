import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function outpost(home: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/outpost.mjs', ...args], { encoding: 'utf8', env: { ...process.env, OUTPOST_HOME: home, OUTPOST_LANG: 'en', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('outpost CLI', () => {
  it('creates sites, prints JSON, and verifies the audit log — then detects an edited entry', () => {
    const home = mkdtempSync(join(tmpdir(), 'outpost-cli-'));
    expect(outpost(home, ['site', 'add', 'Plant 7']).code).toBe(0);
    const list = outpost(home, ['site', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(['Plant 7']);
    expect(outpost(home, ['host', 'add', '--site', 'plant 7', 'ops@10.20.0.5:2222', '--password-env', 'PW', '--sudo', 'password'], { PW: 'Very$ecret-42' }).code).toBe(0);
    const ok = outpost(home, ['audit', 'verify', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, entries: 2 });
    // The password is encrypted in the state file.
    expect(readFileSync(join(home, 'outpost.json'), 'utf8')).not.toContain('Very$ecret-42');

    const file = join(home, 'outpost.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.audit[0].target = 'Plant 8';
    writeFileSync(file, JSON.stringify(data));
    const bad = outpost(home, ['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/TAMPERED at entry 1/);
  });

  it('speaks zh-CN and gives clear errors with exit codes', () => {
    const home = mkdtempSync(join(tmpdir(), 'outpost-cli-'));
    expect(outpost(home, ['site', 'add', '工厂'], { OUTPOST_LANG: 'zh-CN' }).stdout).toMatch(/已创建站点 工厂/);
    const dup = outpost(home, ['site', 'add', '工厂', '--json']);
    expect(dup.code).toBe(1);
    expect(JSON.parse(dup.stdout).error).toMatchObject({ code: 'sites.name_taken' });
    expect(dup.stderr).toMatch(/already exists/);
    expect(outpost(home, ['host', 'add', '--site', '工厂']).code).toBe(2);
    expect(outpost(home, ['nonsense']).code).toBe(2);
    const missing = outpost(home, ['host', 'list', '--site', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist|No site/);
  });
});
