/**
 * The one typed API contract (VS Code's "the interface is the contract"): every method is
 * declared once here with its argument schema and result type. Channel names, the IPC
 * handlers, the preload bridge, the WebSocket dispatcher, the renderer proxy and the CLI
 * are all derived from this object, never written by hand twice.
 */
import { z } from 'zod';
import type {
  AppInfo, AuditEntry, AuditVerifyResult, Host, ImportResult, JobSnapshot, Settings, Site, SiteDetail,
} from './types';
import type { ProbeRecord } from '../probe/probe-job';
import { bundleContract } from '../bundle/api-contract';
import type { PreflightRecord } from '../preflight/site-preflight';

/** Declares a method: `returns<Result>()(argsSchema)`. The result type is phantom. */
const returns = <O>() => <I extends z.ZodType>(input: I) => ({ input, output: undefined as unknown as O });

const id = z.string().min(1).max(200);
const none = z.object({}).strict().optional();
const jobStarted = returns<{ jobId: string }>();

const siteInput = z.object({
  id: id.optional(),
  name: z.string().trim().min(1, 'required').max(120),
  description: z.string().max(2000).optional(),
}).strict();

export const hostInput = z.object({
  id: id.optional(),
  siteId: id,
  name: z.string().trim().max(120).optional(),
  address: z.string().trim().min(1, 'required').max(255).regex(/^[A-Za-z0-9.:\-_[\]%]+$/, 'not a host name or IP address'),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().trim().min(1, 'required').max(64).regex(/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/, 'not a valid user name'),
  auth: z.enum(['key', 'password', 'agent']),
  keyPath: z.string().max(4096).optional(),
  password: z.string().max(4096).optional(),
  passphrase: z.string().max(4096).optional(),
  sudo: z.enum(['none', 'nopasswd', 'password']).optional(),
  role: z.enum(['server', 'agent']).optional(),
}).strict();

export const contract = {
  app: {
    info: returns<AppInfo>()(none),
    /** A native file/folder dialog where the front end has one (Electron); `supported: false` elsewhere. */
    pickPath: returns<{ supported: boolean; path: string | null }>()(z.object({ kind: z.enum(['file', 'folder']), title: z.string().max(200).optional() }).strict()),
  },
  settings: {
    get: returns<Settings>()(none),
    update: returns<Settings>()(z.object({ language: z.enum(['en', 'zh-CN']).optional() }).strict()),
  },
  sites: {
    list: returns<Site[]>()(none),
    get: returns<SiteDetail>()(z.object({ id }).strict()),
    save: returns<Site>()(siteInput),
    remove: returns<void>()(z.object({ id }).strict()),
  },
  hosts: {
    save: returns<Host>()(hostInput),
    remove: returns<void>()(z.object({ id }).strict()),
    import: returns<ImportResult>()(z.object({
      siteId: id,
      format: z.enum(['csv', 'yaml']),
      text: z.string().max(5_000_000),
    }).strict()),
    /** Tests SSH connections (all hosts of the site, or the listed ones) as a job. */
    test: jobStarted(z.object({ siteId: id, hostIds: z.array(id).optional() }).strict()),
    /** "I have verified the new key": pins the key the host offered last time. */
    trustKey: returns<Host>()(z.object({ id, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/) }).strict()),
  },
  // Bundles: shapes and implementation live in electron/core/bundle/api.ts (bundleContract, createBundleApi).
  bundles: bundleContract,
  probe: {
    /** Probes the site's hosts (all, or the listed ones) as a job; results are kept per host. */
    run: jobStarted(z.object({ siteId: id, hostIds: z.array(id).optional() }).strict()),
    results: returns<ProbeRecord[]>()(z.object({ siteId: id }).strict()),
  },
  preflight: {
    /** Probes, measures reachability and evaluates the bundle's (or a given) spec, as a job. */
    run: jobStarted(z.object({
      siteId: id,
      bundleDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/).optional(),
      spec: z.string().max(1_000_000).optional(),
      require: z.array(z.string().max(200)).max(50).optional(),
      hostIds: z.array(id).optional(),
    }).strict()),
    latest: returns<PreflightRecord | null>()(z.object({ siteId: id }).strict()),
    export: returns<{ filename: string; mime: string; content: string }>()(z.object({ siteId: id, format: z.enum(['json', 'html']), lang: z.enum(['en', 'zh-CN']).optional() }).strict()),
    override: returns<PreflightRecord>()(z.object({ siteId: id, reason: z.string().trim().min(10, 'give a reason of at least 10 characters').max(2000) }).strict()),
  },
  jobs: {
    list: returns<JobSnapshot[]>()(z.object({ siteId: id.optional(), limit: z.number().int().min(1).max(500).optional() }).strict().optional()),
    get: returns<JobSnapshot>()(z.object({ id }).strict()),
    cancel: returns<void>()(z.object({ id }).strict()),
    resume: jobStarted(z.object({ id }).strict()),
  },
  audit: {
    list: returns<AuditEntry[]>()(z.object({ limit: z.number().int().min(1).max(10_000).optional(), siteId: id.optional() }).strict().optional()),
    verify: returns<AuditVerifyResult>()(none),
  },
} as const;

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodName = { [N in Namespace]: `${N & string}.${keyof Contract[N] & string}` }[Namespace];

type Def = { input: z.ZodType; output: unknown };
type Fn<D> = D extends Def
  ? undefined extends z.input<D['input']>
    ? (args?: z.input<D['input']>) => Promise<D['output']>
    : (args: z.input<D['input']>) => Promise<D['output']>
  : never;

/** The API every front end calls and the core implements. */
export type OutpostApi = { [N in Namespace]: { [M in keyof Contract[N]]: Fn<Contract[N][M]> } };

/** Every method as `namespace.method`, derived from the contract (used for channel names). */
export const methodNames: MethodName[] = Object.entries(contract).flatMap(([ns, methods]) =>
  Object.keys(methods).map((m) => `${ns}.${m}` as MethodName),
);

export function lookupMethod(name: string): Def | undefined {
  const [ns, m] = name.split('.');
  const group = (contract as Record<string, Record<string, Def>>)[ns];
  return group && Object.prototype.hasOwnProperty.call(group, m) ? group[m] : undefined;
}

/** Every reply on every transport. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; error: import('./errors').ErrorInfo };

export const IPC_PREFIX = 'outpost:';
export const IPC_EVENT_CHANNEL = 'outpost:event';
export const ipcChannel = (method: MethodName) => `${IPC_PREFIX}${method}`;
