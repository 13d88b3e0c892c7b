import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OutpostError } from '../api/errors';
import { hostInput } from '../api/contract';
import type { Host, HostInput, ImportResult, Site, SiteDetail, SiteInput } from '../api/types';
import type { Store, HostRecord, AuditLog, KnownHost } from '../store';
import type { SecretBox, Redactor } from '../secrets';
import { SshSession, type SshTarget } from '../ssh';
import { parseCsvInventory, parseYamlInventory } from './import';

export interface InventoryDeps {
  store: Store;
  secrets: SecretBox;
  redactor: Redactor;
  audit: AuditLog;
  /** How long an SSH handshake may take before the host counts as not answering. */
  sshTimeoutMs?: number;
}

/** The public face of a stored host: secrets reduced to flags. */
export function toHost(r: HostRecord): Host {
  const { passwordEnc, passphraseEnc, ...rest } = r;
  return structuredClone({ ...rest, hasPassword: !!passwordEnc, hasPassphrase: !!passphraseEnc });
}

/** Sites and their hosts, with credentials encrypted at rest and SSH host keys pinned. */
export class Inventory {
  constructor(private readonly d: InventoryDeps) {}

  listSites(): Site[] {
    return structuredClone(this.d.store.data.sites);
  }

  getSite(id: string): SiteDetail {
    const site = this.site(id);
    return { ...structuredClone(site), hosts: this.hostRecords(id).map(toHost) };
  }

  async saveSite(input: SiteInput): Promise<Site> {
    const now = new Date().toISOString();
    const name = input.name.trim();
    if (this.d.store.data.sites.some((s) => s.name.toLowerCase() === name.toLowerCase() && s.id !== input.id)) {
      throw new OutpostError('sites.name_taken', `A site named "${name}" already exists.`, { field: 'name', name });
    }
    const site = await this.d.store.update((d) => {
      if (input.id) {
        const s = d.sites.find((x) => x.id === input.id);
        if (!s) throw new OutpostError('sites.not_found', `No site with id ${input.id}.`, { id: input.id });
        Object.assign(s, { name, description: input.description ?? s.description, updatedAt: now });
        return s;
      }
      const s: Site = { id: randomUUID(), name, description: input.description ?? '', createdAt: now, updatedAt: now };
      d.sites.push(s);
      return s;
    }, 'sites');
    await this.d.audit.append({ action: input.id ? 'site.update' : 'site.create', siteId: site.id, target: name, outcome: 'ok' });
    return structuredClone(site);
  }

  async removeSite(id: string): Promise<void> {
    const site = this.site(id);
    await this.d.store.update((d) => {
      d.sites = d.sites.filter((s) => s.id !== id);
      d.hosts = d.hosts.filter((h) => h.siteId !== id);
    }, 'sites');
    await this.d.audit.append({ action: 'site.remove', siteId: id, target: site.name, outcome: 'ok' });
  }

  hostRecords(siteId: string): HostRecord[] {
    return this.d.store.data.hosts.filter((h) => h.siteId === siteId);
  }

  hostRecord(id: string): HostRecord {
    const h = this.d.store.data.hosts.find((x) => x.id === id);
    if (!h) throw new OutpostError('hosts.not_found', `No host with id ${id}.`, { id });
    return h;
  }

  async saveHost(input: HostInput): Promise<Host> {
    this.site(input.siteId);
    const existing = input.id ? this.hostRecord(input.id) : undefined;
    const port = input.port ?? existing?.port ?? 22;
    const address = input.address.trim();
    const name = (input.name?.trim() || existing?.name || address);
    const siblings = this.hostRecords(input.siteId).filter((h) => h.id !== input.id);
    if (siblings.some((h) => h.address === address && h.port === port)) {
      throw new OutpostError('hosts.duplicate', `${address}:${port} is already a host of this site.`, { field: 'address', address, port });
    }
    if (siblings.some((h) => h.name.toLowerCase() === name.toLowerCase())) {
      throw new OutpostError('hosts.name_taken', `A host named "${name}" already exists in this site.`, { field: 'name', name });
    }
    if (input.auth === 'key' && !(input.keyPath ?? existing?.keyPath)) {
      throw new OutpostError('hosts.key_required', 'Key authentication needs the path of a private key file.', { field: 'keyPath' });
    }
    const hasPassword = input.password !== undefined ? input.password !== '' : !!existing?.passwordEnc;
    if (input.auth === 'password' && !hasPassword) {
      throw new OutpostError('hosts.password_required', 'Password authentication needs a password.', { field: 'password' });
    }
    if (input.sudo === 'password' && !hasPassword) {
      throw new OutpostError('hosts.sudo_password_required', 'sudo with a password needs the user\'s password.', { field: 'password' });
    }
    this.d.redactor.add(input.password);
    this.d.redactor.add(input.passphrase);
    const now = new Date().toISOString();
    const addressChanged = !!existing && (existing.address !== address || existing.port !== port);
    const rec = await this.d.store.update((d) => {
      const r: HostRecord = existing ?? {
        id: randomUUID(), siteId: input.siteId, name, address, port, user: input.user, auth: input.auth,
        sudo: 'none', role: 'server', createdAt: now, updatedAt: now,
      };
      Object.assign(r, {
        name, address, port, user: input.user, auth: input.auth,
        keyPath: input.auth === 'key' ? (input.keyPath ?? r.keyPath) : undefined,
        sudo: input.sudo ?? r.sudo, role: input.role ?? r.role, updatedAt: now,
      });
      if (input.password !== undefined) r.passwordEnc = input.password ? this.d.secrets.encrypt(input.password) : undefined;
      if (input.passphrase !== undefined) r.passphraseEnc = input.passphrase ? this.d.secrets.encrypt(input.passphrase) : undefined;
      // A pinned key belongs to an address; a new address is a new machine to trust.
      if (addressChanged) { r.hostKey = undefined; r.lastTest = undefined; }
      if (!existing) d.hosts.push(r);
      return r;
    }, 'hosts');
    await this.d.audit.append({ action: existing ? 'host.update' : 'host.add', siteId: rec.siteId, hostId: rec.id, target: `${rec.user}@${rec.address}:${rec.port}`, outcome: 'ok' });
    return toHost(rec);
  }

  async removeHost(id: string): Promise<void> {
    const h = this.hostRecord(id);
    await this.d.store.update((d) => { d.hosts = d.hosts.filter((x) => x.id !== id); }, 'hosts');
    await this.d.audit.append({ action: 'host.remove', siteId: h.siteId, hostId: id, target: `${h.user}@${h.address}:${h.port}`, outcome: 'ok' });
  }

  /** Bulk import; each row is validated like a form entry and errors name their line. */
  async importHosts(siteId: string, format: 'csv' | 'yaml', text: string): Promise<ImportResult> {
    this.site(siteId);
    const parsed = format === 'csv' ? parseCsvInventory(text) : parseYamlInventory(text);
    const result: ImportResult = { added: [], updated: [], errors: [...parsed.errors] };
    for (const { line, input } of parsed.hosts) {
      const candidate = { ...input, siteId };
      const v = hostInput.safeParse(candidate);
      if (!v.success) {
        result.errors.push({ line, message: v.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ') });
        continue;
      }
      const match = this.hostRecords(siteId).find((h) => h.address === v.data.address && h.port === (v.data.port ?? 22));
      try {
        const saved = await this.saveHost({ ...v.data, id: match?.id });
        (match ? result.updated : result.added).push(saved);
      } catch (e) {
        result.errors.push({ line, message: (e as Error).message });
      }
    }
    return result;
  }

  /** Pins the key the host offered on its last attempt, after the engineer verified it. */
  async trustKey(id: string, fingerprint: string): Promise<Host> {
    const h = this.hostRecord(id);
    const offered = h.lastTest?.offeredKey;
    if (!offered || offered.fingerprint !== fingerprint) {
      throw new OutpostError('hosts.key_not_offered',
        'That fingerprint is not the key this host offered on its last connection test. Test the connection again first.',
        { id, fingerprint, offered: offered?.fingerprint });
    }
    const previous = h.hostKey?.fingerprint;
    await this.d.store.update(() => {
      h.hostKey = { algorithm: offered.algorithm, fingerprint, pinnedAt: new Date().toISOString() };
      if (h.lastTest?.error?.code === 'ssh.host_key_changed') h.lastTest = undefined;
    }, 'hosts');
    await this.d.audit.append({
      action: 'host.trust_key', siteId: h.siteId, hostId: id, target: `${h.address}:${h.port}`,
      detail: `pinned ${fingerprint}${previous ? ` replacing ${previous}` : ''} (verified by the engineer)`, outcome: 'ok',
    });
    return toHost(h);
  }

  /** Decrypts what a connection needs; every secret opened is registered for redaction. */
  async sshTarget(h: HostRecord): Promise<SshTarget> {
    const t: SshTarget = { address: h.address, port: h.port, user: h.user };
    const password = h.passwordEnc ? this.d.secrets.decrypt(h.passwordEnc) : undefined;
    this.d.redactor.add(password);
    if (h.auth === 'password') t.password = password;
    if (h.auth === 'key') {
      try {
        t.privateKey = await readFile(h.keyPath!);
      } catch (e) {
        throw new OutpostError('hosts.key_unreadable', `The private key file ${h.keyPath} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { path: h.keyPath });
      }
      if (h.passphraseEnc) { t.passphrase = this.d.secrets.decrypt(h.passphraseEnc); this.d.redactor.add(t.passphrase); }
    }
    if (h.auth === 'agent') {
      t.agent = process.env.SSH_AUTH_SOCK;
      if (!t.agent) throw new OutpostError('hosts.no_agent', 'SSH agent authentication needs a running agent (SSH_AUTH_SOCK is not set).');
    }
    return t;
  }

  sudoPassword(h: HostRecord): string | undefined {
    return h.sudo === 'password' && h.passwordEnc ? this.d.secrets.decrypt(h.passwordEnc) : undefined;
  }

  /**
   * Opens an SSH session with the host-key policy applied: a pinned key must match;
   * an unpinned host is trusted on first use and its key pinned now.
   */
  async connect(h: HostRecord, signal?: AbortSignal): Promise<{ session: SshSession; pinnedNow: boolean }> {
    const target = await this.sshTarget(h);
    const known = () => this.d.store.collection<KnownHost>('knownHosts').find((k) => k.address === h.address && k.port === h.port);
    const pinned = h.adHoc ? known()?.fingerprint : h.hostKey?.fingerprint;
    const session = await SshSession.connect(target, { pinnedFingerprint: pinned, signal, readyTimeoutMs: this.d.sshTimeoutMs });
    if (pinned) return { session, pinnedNow: false };
    const pin = { ...session.offeredKey, pinnedAt: new Date().toISOString() };
    await this.d.store.update(() => {
      if (h.adHoc) this.d.store.collection<KnownHost>('knownHosts').push({ address: h.address, port: h.port, ...pin });
      else h.hostKey = pin;
    }, 'hosts');
    await this.d.audit.append({ action: 'host.pin_key', siteId: h.siteId || undefined, hostId: h.adHoc ? undefined : h.id, target: `${h.address}:${h.port}`, detail: `trusted on first use: ${pin.algorithm} ${pin.fingerprint}`, outcome: 'ok' });
    return { session, pinnedNow: true };
  }

  /** A host given on the command line: used for one run, never saved in a site. */
  adHocHost(input: { address: string; port?: number; user: string; keyPath?: string; password?: string; sudo: HostRecord['sudo'] }): HostRecord {
    this.d.redactor.add(input.password);
    const now = new Date().toISOString();
    const port = input.port ?? 22;
    return {
      id: `adhoc:${input.user}@${input.address}:${port}`, siteId: '', name: input.address, address: input.address, port, user: input.user,
      auth: input.keyPath ? 'key' : input.password !== undefined ? 'password' : 'agent', keyPath: input.keyPath,
      passwordEnc: input.password !== undefined ? this.d.secrets.encrypt(input.password) : undefined,
      sudo: input.sudo, role: 'server', createdAt: now, updatedAt: now, adHoc: true,
    };
  }

  private site(id: string): Site {
    const s = this.d.store.data.sites.find((x) => x.id === id);
    if (!s) throw new OutpostError('sites.not_found', `No site with id ${id}.`, { id });
    return s;
  }
}
