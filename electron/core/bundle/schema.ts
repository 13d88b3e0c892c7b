import { z } from 'zod';
import { unsafePathReason } from './paths';

/**
 * The bundle format v1, as zod schemas. They are the single source of truth: the parser
 * validates with them, the TypeScript types are inferred from them, and the JSON Schemas in
 * bundles/schema/ (for vendors' editors) are generated from them. Objects are strict so a
 * misspelt key is an error naming the key, not a silently ignored setting.
 */

export const BUNDLE_API_VERSION = 'outpost.dev/v1';

const relPath = (what: string) =>
  z
    .string()
    .min(1)
    .superRefine((p, ctx) => {
      const reason = unsafePathReason(p);
      if (reason) ctx.addIssue({ code: 'custom', message: `unsafe path (${reason})` });
    })
    .describe(`${what}: a path relative to the bundle root, '/'-separated, no '..'`);

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-", starting and ending with a letter or digit')
  .max(53);

const duration = z
  .string()
  .regex(/^\d+(s|m|h|d|w)$/, 'a duration such as 30s, 15m, 12h, 7d or 2w')
  .describe('Duration: a number and a unit (s, m, h, d, w)');

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?(B|K|M|G|T|Ki|Mi|Gi|Ti)$/, 'a size such as 500Mi, 10Gi or 2G')
  .describe('Size: a number and a unit (B, K, M, G, T, Ki, Mi, Gi, Ti)');

const percent = z.number().min(0).max(100);

export const LocalizedTextSchema = z
  .union([z.string(), z.record(z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag such as en or zh-CN'), z.string())])
  .describe('Text shown to the user: a string, or a map of language tag to text, e.g. {en: Hostname, zh-CN: 主机名}');
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const QuestionSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and _, not starting with a digit')
      .describe('Key of the answer; templates read it as answers.<name>'),
    label: LocalizedTextSchema,
    description: LocalizedTextSchema.optional(),
    type: z
      .enum(['string', 'password', 'integer', 'number', 'boolean', 'enum', 'hostname', 'ip', 'port'])
      .default('string')
      .describe('password answers are stored encrypted and redacted in reports'),
    required: z.boolean().default(true),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z
      .array(z.union([z.string(), z.strictObject({ value: z.string(), label: LocalizedTextSchema.optional() })]))
      .optional()
      .describe('Allowed values of an enum question'),
    pattern: z.string().optional().describe('Regular expression a string answer must match'),
    min: z.number().optional(),
    max: z.number().optional(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    group: z.string().optional().describe('Heading the answers form shows this question under'),
  })
  .superRefine((q, ctx) => {
    if (q.type === 'enum' && !q.options?.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'an enum question needs options' });
    if (q.pattern !== undefined) {
      try {
        new RegExp(q.pattern);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid regular expression: ${(e as Error).message}` });
      }
    }
  });
export type Question = z.infer<typeof QuestionSchema>;

export const ChartSchema = z.strictObject({
  release: dnsLabel.describe('Helm release name, unique in the bundle'),
  chart: relPath('Chart folder (with Chart.yaml) or packaged chart .tgz'),
  namespace: dnsLabel.default('default').describe('Kubernetes namespace of the release (created when missing)'),
  values: relPath('Values template (Nunjucks, Jinja2 syntax) rendered with facts and answers').optional(),
  timeout: duration.default('5m').describe('How long helm waits for the release to become ready'),
  wait: z.boolean().default(true).describe('Wait until the release is ready before the next group starts'),
});
export type BundleChart = z.infer<typeof ChartSchema>;

export const GroupSchema = z.strictObject({
  name: dnsLabel.describe('Group name, e.g. data, apps, web'),
  charts: z.array(ChartSchema).min(1).describe('Charts installed in parallel inside the group'),
});
export type BundleGroup = z.infer<typeof GroupSchema>;

export const BundleManifestSchema = z
  .strictObject({
    apiVersion: z.literal(BUNDLE_API_VERSION),
    kind: z.literal('Bundle'),
    metadata: z.strictObject({
      name: dnsLabel.describe('Product name, e.g. acme-suite'),
      version: z
        .string()
        .regex(/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/, 'a semantic version such as 2.4.0 or 2.4.0-rc.1')
        .describe('Product version (semantic versioning)'),
      vendor: z.string().min(1).max(200),
      description: z.string().optional(),
      homepage: z.string().optional(),
    }),
    spec: z.strictObject({
      arch: z.enum(['amd64', 'arm64']).default('amd64').describe('CPU architecture of the target hosts'),
      k3s: z.strictObject({
        version: z
          .string()
          .regex(/^v\d+\.\d+\.\d+\+k3s\d+$/, 'a k3s release such as v1.30.4+k3s1')
          .describe('k3s release the binary and images belong to'),
        binary: relPath('The k3s binary'),
        images: relPath('k3s airgap images archive (k3s-airgap-images-<arch>.tar[.gz|.zst])'),
        installScript: relPath("k3s's install.sh"),
      }),
      helm: z.strictObject({
        binary: relPath('The helm binary for the target architecture'),
        version: z.string().optional(),
      }),
      images: z
        .array(relPath('Image archive (docker-archive or OCI layout tar) imported into containerd'))
        .default([]),
      groups: z.array(GroupSchema).min(1).describe('Installed in this order; charts inside a group in parallel'),
      questions: z.array(QuestionSchema).default([]).describe('Site-specific values asked before install'),
      preflight: relPath('troubleshoot.sh HostPreflight spec').optional(),
      health: relPath('Health spec (outpost.dev/v1 Health)').optional(),
      cleanup: relPath('Cleanup spec (outpost.dev/v1 Cleanup)').optional(),
      include: z
        .array(relPath('Extra file or folder to ship in the bundle (docs, licences)'))
        .default([])
        .describe('The builder ships bundle.yaml, what it references, and these; nothing else from the source folder'),
    }),
  })
  .superRefine((m, ctx) => {
    const groups = new Map<string, number>();
    const releases = new Map<string, string>();
    m.spec.groups.forEach((g, gi) => {
      if (groups.has(g.name)) ctx.addIssue({ code: 'custom', path: ['spec', 'groups', gi, 'name'], message: `group "${g.name}" appears twice` });
      groups.set(g.name, gi);
      g.charts.forEach((c, ci) => {
        const key = `${c.namespace}/${c.release}`;
        if (releases.has(key)) ctx.addIssue({ code: 'custom', path: ['spec', 'groups', gi, 'charts', ci, 'release'], message: `release "${c.release}" in namespace "${c.namespace}" appears twice` });
        releases.set(key, g.name);
      });
    });
    const names = new Set<string>();
    m.spec.questions.forEach((q, qi) => {
      if (names.has(q.name)) ctx.addIssue({ code: 'custom', path: ['spec', 'questions', qi, 'name'], message: `question "${q.name}" appears twice` });
      names.add(q.name);
    });
  });
export type BundleManifest = z.infer<typeof BundleManifestSchema>;

// --- preflight.yaml: the troubleshoot.sh HostPreflight shape (structure only; the preflight
// domain gives the analyzers their meaning). Unknown collector/analyzer kinds are kept, so a
// spec written for troubleshoot.sh still loads.

const OutcomeBody = z.looseObject({ when: z.string().optional(), message: z.string(), uri: z.string().optional() });
const OutcomeSchema = z.union([
  z.strictObject({ fail: OutcomeBody }),
  z.strictObject({ warn: OutcomeBody }),
  z.strictObject({ pass: OutcomeBody }),
]);

const AnalyzerBody = z.looseObject({
  checkName: z.string().optional(),
  collectorName: z.string().optional(),
  exclude: z.union([z.boolean(), z.string()]).optional(),
  strict: z.union([z.boolean(), z.string()]).optional(),
  outcomes: z.array(OutcomeSchema).min(1),
});

const oneKey = <T extends z.ZodType>(body: T, what: string) =>
  z.record(z.string(), body).superRefine((r, ctx) => {
    if (Object.keys(r).length !== 1) ctx.addIssue({ code: 'custom', message: `each ${what} has exactly one kind key (cpu, memory, diskUsage, tcpPortStatus, ...)` });
  });

export const HostPreflightSchema = z.looseObject({
  apiVersion: z.literal('troubleshoot.sh/v1beta2'),
  kind: z.literal('HostPreflight'),
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({
    collectors: z.array(oneKey(z.looseObject({ collectorName: z.string().optional() }), 'collector')).default([]),
    analyzers: z.array(oneKey(AnalyzerBody, 'analyzer')).min(1),
  }),
});
export type HostPreflight = z.infer<typeof HostPreflightSchema>;

// --- health.yaml: what an inspection checks, and which checks gate an install (acceptance).

const thresholds = { warnPercent: percent.default(80), failPercent: percent.default(90) };

export const HealthSpecSchema = z.strictObject({
  apiVersion: z.literal(BUNDLE_API_VERSION),
  kind: z.literal('Health'),
  metadata: z.strictObject({ name: z.string() }).optional(),
  spec: z.strictObject({
    nodes: z
      .strictObject({
        allReady: z.boolean().default(true).describe('Every node of the site topology must be Ready'),
        etcdMembers: z.boolean().default(true).describe('HA sites: every server must be an etcd member'),
      })
      .default({ allReady: true, etcdMembers: true }),
    workloads: z
      .array(
        z.strictObject({
          kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
          namespace: dnsLabel.default('default'),
          name: z.string().min(1),
          minReady: z.number().int().min(0).optional().describe('Default: the desired replica count'),
        }),
      )
      .default([]),
    http: z
      .array(
        z.strictObject({
          name: dnsLabel,
          service: z.strictObject({ namespace: dnsLabel.default('default'), name: z.string(), port: z.number().int().min(1).max(65535) }),
          path: z.string().startsWith('/').default('/'),
          expectStatus: z.number().int().min(100).max(599).default(200),
          contains: z.string().optional().describe('Text the response body must contain'),
          timeout: duration.default('5s'),
          acceptance: z.boolean().default(true).describe('Run right after install as part of the acceptance gate'),
        }),
      )
      .default([]),
    disk: z
      .array(z.strictObject({ path: z.string().startsWith('/'), ...thresholds }))
      .default([]),
    memory: z.strictObject(thresholds).optional(),
    certificates: z
      .strictObject({ warnDays: z.number().int().min(0).default(30), failDays: z.number().int().min(0).default(7) })
      .optional(),
  }),
});
export type HealthSpec = z.infer<typeof HealthSpecSchema>;

// --- cleanup.yaml: what may be deleted, under which conditions. Every rule runs dry first.

const ruleBase = {
  name: dnsLabel,
  description: LocalizedTextSchema.optional(),
  when: z
    .strictObject({ diskAbovePercent: percent.describe('Only when the disk holding the target is fuller than this') })
    .optional(),
};

export const CleanupRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...ruleBase,
    kind: z.literal('images'),
    unusedFor: duration.optional().describe('Only images no container used for this long'),
    keep: z.array(z.string()).default([]).describe('Image reference globs never removed, e.g. docker.io/rancher/*'),
  }),
  z.strictObject({
    ...ruleBase,
    kind: z.literal('logs'),
    paths: z.array(z.string().startsWith('/')).min(1).describe('Folders or globs of log files'),
    olderThan: duration,
    maxTotalSize: byteSize.optional(),
  }),
  z.strictObject({
    ...ruleBase,
    kind: z.literal('journal'),
    maxSize: byteSize.optional(),
    maxAge: duration.optional(),
  }),
  z.strictObject({
    ...ruleBase,
    kind: z.literal('pods'),
    phases: z.array(z.enum(['Succeeded', 'Failed'])).min(1),
    olderThan: duration,
    namespaces: z.array(dnsLabel).optional(),
  }),
  z.strictObject({
    ...ruleBase,
    kind: z.literal('files'),
    paths: z.array(z.string().startsWith('/')).min(1),
    olderThan: duration,
  }),
]);
export type CleanupRule = z.infer<typeof CleanupRuleSchema>;

export const CleanupSpecSchema = z.strictObject({
  apiVersion: z.literal(BUNDLE_API_VERSION),
  kind: z.literal('Cleanup'),
  metadata: z.strictObject({ name: z.string() }).optional(),
  spec: z.strictObject({
    rules: z.array(CleanupRuleSchema).min(1),
  }),
});
export type CleanupSpec = z.infer<typeof CleanupSpecSchema>;

/** Which schema validates which bundle file, by the manifest field that names it. */
export const SPEC_SCHEMAS = {
  preflight: HostPreflightSchema,
  health: HealthSpecSchema,
  cleanup: CleanupSpecSchema,
} as const;
