import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OutpostApi } from './api/contract';
import { OutpostError } from './api/errors';
import { EventHub } from './api/events';
import { JobManager } from './jobs';
import { Store, AuditLog } from './store';
import { keyFileBox, Redactor, type SecretBox } from './secrets';
import { Inventory, connectionTestJob } from './inventory';
import { probeJob, latestProbes } from './probe/probe-job';
import { createBundleApi, trustedKeysOf } from './bundle/api';
import { preflightJob, latestPreflight, overridePreflight, type PreflightDeps } from './preflight/site-preflight';
import { preflightToHtml, preflightToJson } from './preflight';
import { createI18n } from './i18n';

export interface CoreOptions {
  dataDir: string;
  mode: 'electron' | 'web' | 'cli';
  /** Electron passes a safeStorage-backed box; web and CLI use the 0600 key file. */
  secrets?: SecretBox;
  sshTimeoutMs?: number;
  /** The desktop shell's native open dialog; absent in web and CLI mode. */
  pickPath?: (o: { kind: 'file' | 'folder'; title?: string }) => Promise<string | null>;
}

export interface Core {
  api: OutpostApi;
  events: EventHub;
  jobs: JobManager;
  store: Store;
  audit: AuditLog;
  inventory: Inventory;
  redactor: Redactor;
  close(): Promise<void>;
}

export function appVersion(): string {
  try {
    return JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')).version;
  } catch {
    return process.env.OUTPOST_VERSION ?? '0.0.0';
  }
}

/** Builds the whole domain core. Front ends only wire a transport to `api` and `events`. */
export async function createCore(opts: CoreOptions): Promise<Core> {
  const store = await Store.open(opts.dataDir);
  const secrets = opts.secrets ?? keyFileBox(opts.dataDir);
  const redactor = new Redactor();
  const audit = new AuditLog(store);
  const events = new EventHub();
  const jobs = new JobManager(store, (e) => events.emit('job', e), redactor);
  const inventory = new Inventory({ store, secrets, redactor, audit, sshTimeoutMs: opts.sshTimeoutMs });
  jobs.register(connectionTestJob(inventory, audit, store));
  jobs.register(probeJob({ store, inv: inventory, audit, redactor }));
  const preflightDeps: PreflightDeps = {
    store, inv: inventory, audit, redactor,
    trustedKeys: () => trustedKeysOf(store),
  };
  jobs.register(preflightJob(preflightDeps));
  await jobs.recoverInterrupted();
  store.onChange((c) => {
    if (c === 'sites' || c === 'hosts' || c === 'settings' || c === 'bundles' || c === 'probes' || c === 'preflight') events.emit('store.changed', { collection: c });
  });

  const api: OutpostApi = {
    app: {
      info: async () => ({ version: appVersion(), mode: opts.mode, dataDir: opts.dataDir, secretScheme: secrets.scheme, platform: process.platform }),
      pickPath: async (o) => (opts.pickPath ? { supported: true, path: await opts.pickPath(o) } : { supported: false, path: null }),
    },
    settings: {
      get: async () => structuredClone(store.data.settings),
      update: async (s) => structuredClone(await store.update((d) => Object.assign(d.settings, s), 'settings')),
    },
    sites: {
      list: async () => inventory.listSites(),
      get: async ({ id }) => inventory.getSite(id),
      save: async (s) => inventory.saveSite(s),
      remove: async ({ id }) => inventory.removeSite(id),
    },
    hosts: {
      save: async (h) => inventory.saveHost(h),
      remove: async ({ id }) => inventory.removeHost(id),
      import: async ({ siteId, format, text }) => inventory.importHosts(siteId, format, text),
      test: async (p) => jobs.start('hosts.test', p),
      trustKey: async ({ id, fingerprint }) => inventory.trustKey(id, fingerprint),
    },
    bundles: createBundleApi({ store, audit, jobs, dataDir: opts.dataDir }),
    probe: {
      run: async (p) => jobs.start('probe.run', p),
      results: async ({ siteId }) => structuredClone(latestProbes(store, siteId)),
    },
    preflight: {
      run: async (p) => jobs.start('preflight.run', p),
      latest: async ({ siteId }) => structuredClone(latestPreflight(store, siteId)),
      async export({ siteId, format, lang }) {
        const rec = latestPreflight(store, siteId);
        if (!rec) throw new OutpostError('preflight.none', 'Run the preflight for this site first.', { siteId });
        const site = inventory.getSite(siteId);
        const stamp = rec.at.replace(/[:.]/g, '-');
        const base = `preflight-${site.name.replace(/[^\w.-]+/g, '_')}-${stamp}`;
        if (format === 'json') return { filename: `${base}.json`, mime: 'application/json', content: preflightToJson(rec.report) };
        const language = lang ?? store.data.settings.language;
        const { t } = await createI18n(language);
        return { filename: `${base}.html`, mime: 'text/html', content: preflightToHtml(rec.report, t, { lang: language }) };
      },
      override: async ({ siteId, reason }) => overridePreflight(preflightDeps, siteId, reason),
    },
    jobs: {
      list: async (p) => jobs.list(p ?? {}),
      get: async ({ id }) => jobs.get(id),
      cancel: async ({ id }) => jobs.cancel(id),
      resume: async ({ id }) => jobs.resume(id),
    },
    audit: {
      list: async (p) => audit.list(p ?? {}),
      verify: async () => audit.verify(),
    },
  };

  return {
    api, events, jobs, store, audit, inventory, redactor,
    async close() {
      await jobs.cancelAll();
      await store.flush();
    },
  };
}
