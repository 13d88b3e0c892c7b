/**
 * Version strings from the field are messy: '10.11.6-MariaDB-0+deb12u1', '15.18 (Debian 15.18-0+deb12u1)',
 * 'V10', '1.8.0_392', 'v1.30.4+k3s1', '1:10.11.19-0+deb12u1'. We compare them numerically on the
 * leading dotted numbers only, which is what every constraint a vendor writes actually means.
 */

/** The leading numeric parts of a version string, or null when it has none. */
export function versionParts(raw: string | null | undefined): number[] | null {
  if (!raw) return null;
  let s = String(raw).trim();
  // dpkg epochs ('1:10.11.19-0') and a leading 'v'/'V' ('v1.30.4', Kylin's 'V10') carry no order of their own.
  s = s.replace(/^\d+:(?=\d)/, '').replace(/^[vV](?=\d)/, '');
  const m = /^(\d+(?:\.\d+)*)/.exec(s) ?? /(\d+(?:\.\d+)+)/.exec(s) ?? /(\d+)/.exec(s);
  if (!m) return null;
  return m[1].split('.').map((p) => Number.parseInt(p, 10));
}

/**
 * Java reports itself as '1.8.0_392' up to 8 and '17.0.15' after; vendors write either 'java >= 1.8'
 * or 'java >= 8'. Folding the '1.' prefix makes both spellings compare the same way.
 */
export function javaParts(parts: number[] | null): number[] | null {
  if (parts && parts.length >= 2 && parts[0] === 1 && parts[1] >= 2 && parts[1] <= 8) return parts.slice(1);
  return parts;
}

/** -1, 0 or 1; missing trailing parts count as 0 ('5.7' equals '5.7.0'). */
export function compareParts(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Compares two version strings; null when either has no number in it. */
export function compareVersions(a: string, b: string, opts: { java?: boolean } = {}): number | null {
  let pa = versionParts(a);
  let pb = versionParts(b);
  if (opts.java) { pa = javaParts(pa); pb = javaParts(pb); }
  if (!pa || !pb) return null;
  return compareParts(pa, pb);
}

export type VersionOp = '<' | '<=' | '>' | '>=' | '=' | '==' | '===' | '!=' | '!==';

const OPS: readonly string[] = ['<=', '>=', '!==', '===', '!=', '==', '<', '>', '='];

function applyOp(op: VersionOp, cmp: number): boolean {
  switch (op) {
    case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '>': return cmp > 0;
    case '>=': return cmp >= 0;
    case '!=': case '!==': return cmp !== 0;
    default: return cmp === 0;
  }
}

export interface VersionClause { op: VersionOp; version: string }

/**
 * Parses a constraint such as '>= 5.7', '>=5.7 <9', '>= 5.7, < 9.0' or '>= 10.5 || >= 8.0' into
 * alternatives of clauses (OR of ANDs). A bare version means '='; 'x' wildcards ('5.7.x') mean a prefix match.
 */
export function parseVersionConstraint(text: string): VersionClause[][] {
  const alternatives = text.split('||').map((s) => s.trim()).filter(Boolean);
  if (alternatives.length === 0) throw new Error(`empty version constraint`);
  return alternatives.map((alt) => {
    const clauses: VersionClause[] = [];
    const tokens = alt.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      let tok = tokens[i];
      let op = OPS.find((o) => tok.startsWith(o)) as VersionOp | undefined;
      if (op) {
        tok = tok.slice(op.length);
        if (!tok) tok = tokens[++i] ?? '';
      } else {
        op = '=';
      }
      if (!tok || !versionParts(tok)) throw new Error(`cannot read version '${tok}' in constraint '${text}'`);
      clauses.push({ op, version: tok });
    }
    return clauses;
  });
}

/** True when `version` satisfies the constraint; null when the version has no number to compare. */
export function satisfiesVersion(version: string, constraint: string | VersionClause[][], opts: { java?: boolean } = {}): boolean | null {
  const alts = typeof constraint === 'string' ? parseVersionConstraint(constraint) : constraint;
  let have = versionParts(version);
  if (opts.java) have = javaParts(have);
  if (!have) return null;
  return alts.some((clauses) => clauses.every(({ op, version: want }) => {
    // '5.7.x' / '5.7.*': compare only as many parts as the wildcard spells out.
    const wildcard = /\.(x|\*)$/i.test(want);
    let wantParts = versionParts(want.replace(/\.(x|\*)$/i, ''))!;
    if (opts.java) wantParts = javaParts(wantParts)!;
    const mine = wildcard ? have!.slice(0, wantParts.length) : have!;
    return applyOp(op, compareParts(mine, wantParts));
  }));
}
