import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseProbeOutput } from './parse';
import { parseOs } from './parsers/os';
import { buildProbeScript } from './script';
import { runLocal } from './test-helpers';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/os-release', import.meta.url));

/** Runs the real script under dash with /etc redirected to a fixture root, and parses it. */
async function probeRoot(root: string) {
  const script = buildProbeScript();
  const sentAt = Date.now();
  const r = await runLocal(script, { shell: 'dash', env: { OUTPOST_ROOT: root } });
  return parseProbeOutput(r.stdout, { host: 'fixture', sentAt, receivedAt: Date.now() });
}

const CASES: Array<[string, { id: string; versionId: string; family: string; pretty: RegExp; codename?: string | null; servicePack?: string }]> = [
  ['centos-7', { id: 'centos', versionId: '7', family: 'rhel', pretty: /^CentOS Linux 7 \(Core\)$/ }],
  ['rhel-8', { id: 'rhel', versionId: '8.9', family: 'rhel', pretty: /Red Hat Enterprise Linux 8\.9/, codename: 'Ootpa' }],
  ['rocky-9', { id: 'rocky', versionId: '9.3', family: 'rhel', pretty: /Rocky Linux 9\.3/, codename: 'Blue Onyx' }],
  ['ubuntu-22.04', { id: 'ubuntu', versionId: '22.04', family: 'debian', pretty: /Ubuntu 22\.04/, codename: 'jammy' }],
  ['debian-12', { id: 'debian', versionId: '12', family: 'debian', pretty: /bookworm/, codename: 'bookworm' }],
  ['kylin-v10-sp1', { id: 'kylin', versionId: 'V10', family: 'rhel', pretty: /Kylin Linux Advanced Server V10 \(Tercel\)/, codename: 'Tercel', servicePack: 'SP1' }],
  ['kylin-v10-sp2', { id: 'kylin', versionId: 'V10', family: 'rhel', pretty: /Kylin Linux Advanced Server V10 \(Sword\)/, codename: 'Sword', servicePack: 'SP2' }],
  ['uos-20', { id: 'uos', versionId: '20', family: 'debian', pretty: /UnionTech OS Server 20/, codename: 'fou' }],
  ['uos-20-e', { id: 'uos', versionId: '20', family: 'rhel', pretty: /UOS Server 20/, codename: 'kongzi' }],
  ['openeuler-22.03', { id: 'openeuler', versionId: '22.03', family: 'rhel', pretty: /openEuler 22\.03 LTS/, codename: null }],
];

describe.concurrent('OS identification from real release files (script run under dash with OUTPOST_ROOT)', () => {
  for (const [dir, want] of CASES) {
    it(dir, async () => {
      const f = await probeRoot(join(FIXTURES, dir));
      expect(f.ok).toBe(true);
      expect(f.os).toMatchObject({ id: want.id, versionId: want.versionId, family: want.family, source: 'os-release' });
      expect(f.os!.prettyName).toMatch(want.pretty);
      if (want.codename !== undefined) expect(f.os!.codename).toBe(want.codename);
      if (want.servicePack) expect(f.os!.servicePack).toBe(want.servicePack);
      // Release files are kept verbatim in the raw output for support.
      expect(f.raw).toContain('file:/etc/os-release');
    });
  }
});

describe('fallbacks when os-release is missing', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'outpost-osrel-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const root = (name: string, files: Record<string, string>) => {
    const r = join(tmp, name);
    mkdirSync(join(r, 'etc'), { recursive: true });
    for (const [f, c] of Object.entries(files)) writeFileSync(join(r, 'etc', f), c);
    return r;
  };

  it('CentOS 6: redhat-release only', async () => {
    const f = await probeRoot(root('c6', { 'redhat-release': 'CentOS release 6.10 (Final)\n' }));
    expect(f.os).toMatchObject({ id: 'centos', versionId: '6.10', family: 'rhel', source: 'redhat-release', codename: 'Final' });
  });

  it('RHEL 7 server: redhat-release only', async () => {
    const f = await probeRoot(root('r7', { 'redhat-release': 'Red Hat Enterprise Linux Server release 7.9 (Maipo)\n' }));
    expect(f.os).toMatchObject({ id: 'rhel', versionId: '7.9', family: 'rhel' });
  });

  it('Kylin: kylin-release only', async () => {
    const f = await probeRoot(root('ky', { 'kylin-release': 'Kylin Linux Advanced Server release V10 (Sword)\n' }));
    expect(f.os).toMatchObject({ id: 'kylin', versionId: 'V10', family: 'rhel', source: 'kylin-release', servicePack: 'SP2' });
  });

  it('lsb-release only, then debian_version only', async () => {
    const f = await probeRoot(root('lsb', { 'lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=16.04\nDISTRIB_CODENAME=xenial\nDISTRIB_DESCRIPTION="Ubuntu 16.04.7 LTS"\n' }));
    expect(f.os).toMatchObject({ id: 'ubuntu', versionId: '16.04', family: 'debian', source: 'lsb-release' });
    const d = await probeRoot(root('deb', { debian_version: '9.13\n' }));
    expect(d.os).toMatchObject({ id: 'debian', versionId: '9.13', family: 'debian', source: 'debian_version' });
  });

  it('nothing at all: os is null with a warning, everything else still there', async () => {
    const f = await probeRoot(root('none', {}));
    expect(f.ok).toBe(true);
    expect(f.os).toBeNull();
    expect(f.warnings.map((w) => w.message.key)).toContain('probe.warnings.osUnknown');
    expect(f.cpu?.count).toBeGreaterThan(0);
  });
});

describe('family rules', () => {
  it('ID_LIKE decides for derivatives; a Debian-based Kylin desktop stays debian', () => {
    expect(parseOs({ osRelease: 'ID=kylin\nID_LIKE=debian\nVERSION_ID="V10"' })?.family).toBe('debian');
    expect(parseOs({ osRelease: 'ID=almalinux\nID_LIKE="rhel centos fedora"' })?.family).toBe('rhel');
    expect(parseOs({ osRelease: 'ID="sles"\nID_LIKE="suse"\nVERSION_ID="15.5"' })?.family).toBe('suse');
    expect(parseOs({ osRelease: 'ID=anolis\nVERSION_ID="8.8"' })?.family).toBe('rhel');
    expect(parseOs({ osRelease: 'ID=mystery', packageManagers: ['rpm'] })?.family).toBe('rhel');
    expect(parseOs({ osRelease: 'ID=mystery' })?.family).toBe('other');
  });
});
