import { z } from 'zod';
import { BundleManifestSchema, CleanupSpecSchema, HealthSpecSchema, HostPreflightSchema } from './schema';

/**
 * JSON Schemas for vendors' editors (YAML language server: `# yaml-language-server:
 * $schema=…`), generated from the zod schemas so they cannot drift: a unit test fails when
 * bundles/schema/*.json differ from what this returns (regenerate with
 * `node --import tsx bundles/schema/generate.ts`).
 */
const SCHEMAS = {
  'bundle.schema.json': { schema: BundleManifestSchema, title: 'Outpost bundle manifest (bundle.yaml), format v1' },
  'health.schema.json': { schema: HealthSpecSchema, title: 'Outpost health spec (health.yaml)' },
  'cleanup.schema.json': { schema: CleanupSpecSchema, title: 'Outpost cleanup spec (cleanup.yaml)' },
  'preflight.schema.json': { schema: HostPreflightSchema, title: 'troubleshoot.sh HostPreflight, as Outpost reads it (preflight.yaml)' },
} as const;

export function generateJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [file, { schema, title }] of Object.entries(SCHEMAS)) {
    const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
    const doc = { $schema: js.$schema, $id: `https://outpost.dev/schema/v1/${file}`, title, ...js };
    out[file] = JSON.stringify(doc, null, 2) + '\n';
  }
  return out;
}
