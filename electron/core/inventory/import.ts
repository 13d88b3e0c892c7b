import { parse as parseCsv } from 'csv-parse/sync';
import YAML from 'yaml';
import type { HostInput } from '../api/types';

export interface ParsedInventory {
  hosts: { line: number; input: Omit<HostInput, 'siteId'> }[];
  errors: { line: number; message: string }[];
}

const FIELDS = ['name', 'address', 'port', 'user', 'auth', 'keyPath', 'password', 'passphrase', 'sudo', 'role'] as const;
const ALIASES: Record<string, (typeof FIELDS)[number]> = {
  host: 'address', ip: 'address', hostname: 'name', username: 'user', key: 'keyPath', key_path: 'keyPath', keypath: 'keyPath',
  identity_file: 'keyPath', ansible_host: 'address', ansible_user: 'user', ansible_port: 'port',
  ansible_ssh_private_key_file: 'keyPath', ansible_password: 'password', ansible_become_password: 'password',
};

function normaliseKey(k: string): (typeof FIELDS)[number] | undefined {
  const t = k.trim();
  if ((FIELDS as readonly string[]).includes(t)) return t as (typeof FIELDS)[number];
  return ALIASES[t.toLowerCase()];
}

function toInput(raw: Record<string, unknown>): Omit<HostInput, 'siteId'> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const f = normaliseKey(k);
    if (f && v !== undefined && v !== null && String(v).trim() !== '') o[f] = typeof v === 'string' ? v.trim() : v;
  }
  // Sensible defaults for a field engineer's spreadsheet: key auth when a key is named, else password.
  o.auth ??= o.keyPath ? 'key' : o.password ? 'password' : 'agent';
  if (o.port !== undefined) o.port = Number(o.port);
  return o as Omit<HostInput, 'siteId'>;
}

/** CSV with a header row (name,address,port,user,auth,keyPath,password,sudo,role). */
export function parseCsvInventory(text: string): ParsedInventory {
  const out: ParsedInventory = { hosts: [], errors: [] };
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, comment: '#', bom: true });
  } catch (e) {
    out.errors.push({ line: (e as { lines?: number }).lines ?? 1, message: (e as Error).message });
    return out;
  }
  rows.forEach((r, i) => out.hosts.push({ line: i + 2, input: toInput(r) }));
  return out;
}

/**
 * YAML: either `hosts: [ {address, user, …} ]`, or an Ansible YAML inventory
 * (`all: { hosts: { name: { ansible_host, ansible_user } }, children: … }`), which many
 * customer IT teams already keep.
 */
export function parseYamlInventory(text: string): ParsedInventory {
  const out: ParsedInventory = { hosts: [], errors: [] };
  let doc: any;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    out.errors.push({ line: (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1, message: (e as Error).message });
    return out;
  }
  if (Array.isArray(doc?.hosts)) {
    doc.hosts.forEach((h: unknown, i: number) => {
      if (h && typeof h === 'object') out.hosts.push({ line: i + 1, input: toInput(h as Record<string, unknown>) });
      else out.errors.push({ line: i + 1, message: 'each entry under hosts must be a mapping' });
    });
    return out;
  }
  if (doc?.all && typeof doc.all === 'object') {
    let n = 0;
    const walk = (group: any, inherited: Record<string, unknown>, role?: string) => {
      const vars = { ...inherited, ...(group?.vars ?? {}) };
      for (const [name, hv] of Object.entries(group?.hosts ?? {})) {
        n++;
        out.hosts.push({ line: n, input: toInput({ name, address: name, ...(role ? { role } : {}), ...vars, ...((hv as object) ?? {}) }) });
      }
      for (const [cname, child] of Object.entries(group?.children ?? {})) {
        const r = /agent|worker|node/i.test(cname) ? 'agent' : /server|master|control/i.test(cname) ? 'server' : role;
        walk(child, vars, r);
      }
    };
    walk(doc.all, {});
    return out;
  }
  out.errors.push({ line: 1, message: 'expected a `hosts:` list or an Ansible `all:` inventory' });
  return out;
}
