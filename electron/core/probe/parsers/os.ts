import type { OsFamily, OsInfo } from '../types';

/** Parses os-release / lsb-release style `KEY="value"` files (quotes, escapes and comments per os-release(5)). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2].trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length >= 2) || (v.startsWith("'") && v.endsWith("'") && v.length >= 2)) {
      const q = v[0];
      v = v.slice(1, -1);
      if (q === '"') v = v.replace(/\\([\\"$`])/g, '$1');
    }
    out[m[1]] = v;
  }
  return out;
}

/** IDs whose family is fixed whatever ID_LIKE says (the distributions themselves). */
const CORE_FAMILY: Record<string, OsFamily> = {
  rhel: 'rhel', centos: 'rhel', fedora: 'rhel', debian: 'debian', ubuntu: 'debian',
  sles: 'suse', sled: 'suse', opensuse: 'suse', 'opensuse-leap': 'suse', 'opensuse-tumbleweed': 'suse',
};

/**
 * Distributions that declare no (or a misleading) ID_LIKE, placed by what they are built on:
 * Kylin Advanced Server V10 and openEuler are RPM/RHEL-like (openEuler ships no ID_LIKE), so are
 * Anolis, OpenCloudOS, TencentOS, EulerOS, BC-Linux and NeoKylin. Deepin is Debian-based. UOS is
 * decided separately: its 'e' server editions are RPM-based, its 'a'/desktop editions Debian-based.
 */
const BUILT_ON: Record<string, OsFamily> = {
  rocky: 'rhel', almalinux: 'rhel', ol: 'rhel', amzn: 'rhel', kylin: 'rhel', neokylin: 'rhel', openeuler: 'rhel',
  euleros: 'rhel', hce: 'rhel', anolis: 'rhel', opencloudos: 'rhel', tencentos: 'rhel', bclinux: 'rhel', circle: 'rhel',
  miraclelinux: 'rhel', eurolinux: 'rhel', navix: 'rhel', virtuozzo: 'rhel', cloudlinux: 'rhel', 'centos-stream': 'rhel',
  deepin: 'debian', linuxmint: 'debian', kali: 'debian', raspbian: 'debian', pop: 'debian', ubuntukylin: 'debian',
  'sle-micro': 'suse', 'sles_sap': 'suse',
};

function familyFromLike(like: string[]): OsFamily | null {
  for (const l of like) {
    if (l === 'rhel' || l === 'centos' || l === 'fedora') return 'rhel';
    if (l === 'debian' || l === 'ubuntu') return 'debian';
    if (l === 'suse' || l.startsWith('opensuse') || l === 'sles') return 'suse';
  }
  return null;
}

export interface ReleaseFiles {
  osRelease?: string;
  redhatRelease?: string;
  systemRelease?: string;
  centosRelease?: string;
  kylinRelease?: string;
  openEulerRelease?: string;
  lsbRelease?: string;
  debianVersion?: string;
  productInfo?: string;
  packageManagers?: Array<'rpm' | 'dpkg'>;
}

/** 'CentOS Linux release 7.9.2009 (Core)' → id, version, codename. */
export function parseReleaseLine(line: string): { id: string; name: string; version: string | null; codename: string | null } | null {
  const m = /^(.*?)\s+release\s+(\S+)(?:\s*\(([^)]*)\))?/i.exec(line.trim());
  if (!m) return null;
  const name = m[1].trim();
  const lower = name.toLowerCase();
  let id = lower.replace(/\s+linux.*$/, '').replace(/\s+/g, '');
  if (lower.startsWith('red hat')) id = 'rhel';
  else if (lower.startsWith('centos')) id = 'centos';
  else if (lower.startsWith('rocky')) id = 'rocky';
  else if (lower.startsWith('almalinux')) id = 'almalinux';
  else if (lower.startsWith('kylin') || lower.startsWith('neokylin')) id = lower.startsWith('neo') ? 'neokylin' : 'kylin';
  else if (lower.startsWith('openeuler')) id = 'openeuler';
  else if (lower.startsWith('uos') || lower.startsWith('uniontech')) id = 'uos';
  else if (lower.startsWith('oracle')) id = 'ol';
  return { id, name, version: m[2] ?? null, codename: m[3]?.trim() || null };
}

const KYLIN_SP: Record<string, string> = { tercel: 'SP1', sword: 'SP2', lance: 'SP3' };

function codenameOf(rel: Record<string, string>): string | null {
  if (rel.VERSION_CODENAME) return rel.VERSION_CODENAME;
  if (rel.UBUNTU_CODENAME) return rel.UBUNTU_CODENAME;
  const m = /\(([^)]+)\)/.exec(rel.VERSION ?? '');
  // openEuler writes '22.03 (LTS-SP2)' and Ubuntu '22.04.4 LTS (Jammy Jellyfish)': only a word is a codename.
  if (m && !/^LTS/i.test(m[1]) && !/^\d/.test(m[1])) return m[1].trim();
  return null;
}

/** The OS, from os-release when there is one, else the older release files, in that order. */
export function parseOs(files: ReleaseFiles): OsInfo | null {
  const pms = files.packageManagers ?? [];
  let id = '';
  let versionId: string | null = null;
  let prettyName: string | null = null;
  let name: string | null = null;
  let idLike: string[] = [];
  let codename: string | null = null;
  let source: OsInfo['source'] = 'unknown';
  let platformId = '';

  const rel = files.osRelease ? parseEnvFile(files.osRelease) : null;
  if (rel && rel.ID) {
    id = rel.ID.toLowerCase();
    versionId = rel.VERSION_ID ?? null;
    prettyName = rel.PRETTY_NAME ?? null;
    name = rel.NAME ?? null;
    idLike = (rel.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    codename = codenameOf(rel);
    platformId = rel.PLATFORM_ID ?? '';
    source = 'os-release';
  } else {
    const tries: Array<[OsInfo['source'], string | undefined]> = [
      ['redhat-release', files.redhatRelease ?? files.centosRelease],
      ['kylin-release', files.kylinRelease],
      ['openEuler-release', files.openEulerRelease],
      ['system-release', files.systemRelease],
    ];
    for (const [src, text] of tries) {
      const r = text ? parseReleaseLine(text.split('\n')[0]) : null;
      if (r) {
        id = r.id; versionId = r.version; name = r.name; codename = r.codename; source = src;
        prettyName = text!.split('\n')[0].trim();
        break;
      }
    }
    if (!id && files.lsbRelease) {
      const lsb = parseEnvFile(files.lsbRelease);
      if (lsb.DISTRIB_ID) {
        id = lsb.DISTRIB_ID.toLowerCase();
        versionId = lsb.DISTRIB_RELEASE ?? null;
        prettyName = lsb.DISTRIB_DESCRIPTION ?? null;
        name = lsb.DISTRIB_ID;
        codename = lsb.DISTRIB_CODENAME ?? null;
        source = 'lsb-release';
      }
    }
    if (!id && files.debianVersion) {
      id = 'debian';
      versionId = files.debianVersion.trim().split('\n')[0] || null;
      prettyName = `Debian ${versionId ?? ''}`.trim();
      name = 'Debian';
      source = 'debian_version';
    }
  }
  if (!id) return null;

  let family: OsFamily | null = CORE_FAMILY[id] ?? null;
  if (!family && id === 'uos') {
    // UOS Server 20 'e' editions (uelc20, uel20) are RPM-based and ship redhat-release; the others are Debian-based.
    family = /uel/i.test(platformId) || files.redhatRelease || idLike.some((l) => l === 'rhel' || l === 'fedora')
      ? 'rhel' : (pms.includes('rpm') && !pms.includes('dpkg') ? 'rhel' : 'debian');
  }
  family ??= familyFromLike(idLike) ?? BUILT_ON[id] ?? null;
  if (!family && (id.startsWith('opensuse') || id.startsWith('sles'))) family = 'suse';
  if (!family && (files.redhatRelease || files.centosRelease)) family = 'rhel';
  if (!family && files.debianVersion) family = 'debian';
  if (!family) family = pms.includes('rpm') && !pms.includes('dpkg') ? 'rhel' : pms.includes('dpkg') && !pms.includes('rpm') ? 'debian' : 'other';

  const servicePack = id === 'kylin' && codename ? (KYLIN_SP[codename.toLowerCase()] ?? null) : null;
  return { id, versionId, prettyName, family, name, idLike, codename, servicePack, source, packageManagers: pms };
}
