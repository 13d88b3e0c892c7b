// `outpost bundle …` as a vendor and a field engineer run it: keygen, build the demo product with
// the k3s stand-in, verify (tampered file, foreign key), inspect, diff two versions, and the
// library commands (trust, load, list) against a state folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoImages } from '../../bundles/demo/build-images';
import { demoSourceV110 } from '../../bundles/demo/build';
import { ROOT, STANDIN, STANDIN_HELM, tempDir } from './bundle/helpers';

const tmp = tempDir('bundle-cli');
const home = join(tmp, 'home');

function outpost(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/outpost.mjs', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, OUTPOST_HOME: home, OUTPOST_LANG: 'en', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
}

function build(src: string, key: string, out: string) {
  return outpost(['bundle', 'build', src, '--key', key, '-o', out, '--k3s-dir', STANDIN, '--helm', STANDIN_HELM, '--add', `images=${join(tmp, 'images')}`, '--json']);
}

describe('outpost bundle', () => {
  const v1 = join(tmp, 'outpost-demo-1.0.0.tar.gz');
  const v2 = join(tmp, 'outpost-demo-1.1.0.tar.gz');
  const folder = join(tmp, 'outpost-demo-folder');
  let digest = '';

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    await buildDemoImages({ outDir: join(tmp, 'images') });
  }, 120_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('makes a key pair: .pub to pin, .sec readable only by its owner, never overwritten', () => {
    const r = outpost(['bundle', 'keygen', '-o', join(tmp, 'vendor'), '--json']);
    expect(r.code).toBe(0);
    const kp = JSON.parse(r.stdout);
    expect(kp).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{16}$/), publicKey: join(tmp, 'vendor.pub'), secretKey: join(tmp, 'vendor.sec') });
    expect(statSync(kp.secretKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(kp.publicKey, 'utf8')).toMatch(/^untrusted comment: .*\n[A-Za-z0-9+/=]{56}\n$/);
    const again = outpost(['bundle', 'keygen', '-o', join(tmp, 'vendor')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('vendor.sec exists already');
    expect(outpost(['bundle', 'keygen', '-o', join(tmp, 'other')]).code).toBe(0);
  });

  it('builds the demo bundle signed, and verify passes with the vendor key', () => {
    const b = build(join(ROOT, 'bundles/demo'), join(tmp, 'vendor.sec'), v1);
    expect(b.code, b.stderr).toBe(0);
    const built = JSON.parse(b.stdout);
    expect(built).toMatchObject({ out: v1, format: 'tar.gz', digest: expect.stringMatching(/^sha256:/), keyId: expect.any(String) });
    digest = built.digest;

    const ok = outpost(['bundle', 'verify', v1, '--pubkey', join(tmp, 'vendor.pub')]);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.stdout).toMatch(/^OK: outpost-demo 1\.0\.0 \(Outpost Demo Vendor\) verified: \d+ files/);
    expect(ok.stdout).toContain(`Digest: ${digest}`);
    const json = JSON.parse(outpost(['bundle', 'verify', v1, '--pubkey', join(tmp, 'vendor.pub'), '--json']).stdout);
    expect(json).toMatchObject({ ok: true, intact: true, accepted: true, signature: 'valid', keyName: 'vendor.pub', digest, problems: [] });
  });

  it('refuses a bundle without its vendor key unless a reason is given', () => {
    const r = outpost(['bundle', 'verify', v1]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NOT TRUSTED');
    expect(r.stdout).toContain('--pubkey FILE');
    const allowed = outpost(['bundle', 'verify', v1, '--allow-untrusted', 'key arrives tomorrow', '--json']);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ ok: false, intact: true, accepted: true, signature: 'untrusted', allowUntrusted: { reason: 'key arrives tomorrow' } });
  });

  it('fails when one byte of one file changed, naming that file', () => {
    expect(build(join(ROOT, 'bundles/demo'), join(tmp, 'vendor.sec'), folder).code).toBe(0);
    const file = join(folder, 'charts/demo-api/values.yaml');
    const bytes = readFileSync(file);
    bytes[10] ^= 0x01;
    writeFileSync(file, bytes);
    const r = outpost(['bundle', 'verify', folder, '--pubkey', join(tmp, 'vendor.pub')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('charts/demo-api/values.yaml is corrupted: its SHA-256 does not match SHA256SUMS');
    // A reason cannot make a damaged bundle acceptable.
    expect(outpost(['bundle', 'verify', folder, '--allow-untrusted', 'please']).code).toBe(1);
    const json = JSON.parse(outpost(['bundle', 'verify', folder, '--pubkey', join(tmp, 'vendor.pub'), '--json']).stdout);
    expect(json.problems).toEqual([expect.objectContaining({ code: 'bundle.checksum_mismatch', file: 'charts/demo-api/values.yaml', severity: 'error' })]);
    const zh = outpost(['bundle', 'verify', folder, '--pubkey', join(tmp, 'vendor.pub')], { OUTPOST_LANG: 'zh-CN' });
    expect(zh.code).toBe(1);
    expect(zh.stdout).toContain('charts/demo-api/values.yaml');
    expect(zh.stdout).toMatch(/失败/);
  });

  it('fails for a bundle signed with another key', () => {
    const foreign = join(tmp, 'outpost-demo-foreign.tar');
    expect(build(join(ROOT, 'bundles/demo'), join(tmp, 'other.sec'), foreign).code).toBe(0);
    const r = outpost(['bundle', 'verify', foreign, '--pubkey', join(tmp, 'vendor.pub')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/signed with key [0-9a-f]{16}, which is not one of the trusted vendor keys \[SHA256SUMS\.sig\]/);
    expect(outpost(['bundle', 'verify', foreign, '--pubkey', join(tmp, 'other.pub')]).code).toBe(0);
  });

  it('inspects a bundle and diffs two versions', () => {
    const info = JSON.parse(outpost(['bundle', 'inspect', v1, '--pubkey', join(tmp, 'vendor.pub'), '--json']).stdout);
    expect(info).toMatchObject({ name: 'outpost-demo', version: '1.0.0', signature: 'valid', k3sVersion: 'v1.30.4+k3s1', digest });
    expect(outpost(['bundle', 'inspect', v1]).stdout).toMatch(/apps\s+demo-api\s+demo-api\s+1\.0\.0\s+outpost-demo\s+values\/api\.yaml\.njk/);

    const src = demoSourceV110(join(tmp, 'src-1.1.0'), 'greeting: hello');
    expect(build(src, join(tmp, 'vendor.sec'), v2).code).toBe(0);

    const d = outpost(['bundle', 'diff', v1, v2]);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('outpost-demo 1.0.0 → outpost-demo 1.1.0');
    expect(d.stdout).toContain('k3s: v1.30.4+k3s1 → v1.31.2+k3s1');
    expect(d.stdout).toMatch(/~ demo-api {2}1\.0\.0 → 1\.1\.0 {2}\(chart files changed, values template changed\)/);
    expect(d.stdout).toMatch(/= demo-db {2}1\.0\.0/);
    expect(d.stdout).toContain('+greeting: hello');
    const json = JSON.parse(outpost(['bundle', 'diff', v1, v2, '--json']).stdout);
    expect(json.k3s).toEqual({ from: 'v1.30.4+k3s1', to: 'v1.31.2+k3s1', changed: true });
    expect(JSON.parse(outpost(['bundle', 'diff', v1, v1, '--json']).stdout).identical).toBe(true);
  });

  it('trusts the vendor key, loads bundles into the library and lists them', () => {
    expect(outpost(['bundle', 'list']).stdout).toContain('The library is empty');
    const refused = outpost(['bundle', 'load', v1]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The bundle signature is untrusted');

    const t = outpost(['bundle', 'trust', join(tmp, 'vendor.pub'), '--name', 'Outpost Demo Vendor', '--json']);
    expect(t.code, t.out).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{16}$/), name: 'Outpost Demo Vendor' });
    const l = outpost(['bundle', 'load', v1, '--copy', '--json']);
    expect(l.code, l.out).toBe(0);
    expect(JSON.parse(l.stdout).entry).toMatchObject({ digest, location: 'library', signature: 'valid', keyName: 'Outpost Demo Vendor' });
    expect(outpost(['bundle', 'load', v2]).stdout).toContain('used in place at');
    const list = JSON.parse(outpost(['bundle', 'list', '--json']).stdout);
    expect(list.map((r: { version: string; location: string }) => [r.version, r.location])).toEqual([['1.1.0', 'in-place'], ['1.0.0', 'library']]);
    expect(outpost(['bundle', 'list']).stdout).toMatch(/outpost-demo\s+1\.0\.0\s+Outpost Demo Vendor\s+valid\s+library/);
    const audit = JSON.parse(outpost(['audit', 'list', '--json']).stdout).map((e: { action: string }) => e.action);
    expect(audit).toEqual(['bundle.load', 'bundle.load', 'bundle.trust_key', 'bundle.load']);
  });

  it('says what is wrong with its arguments', () => {
    expect(outpost(['bundle', 'verify']).code).toBe(2);
    expect(outpost(['bundle', 'build', join(ROOT, 'bundles/demo')]).code).toBe(2);
    const missing = outpost(['bundle', 'verify', join(tmp, 'nope.tar.gz')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No bundle at ${join(tmp, 'nope.tar.gz')}`);
  });
});
