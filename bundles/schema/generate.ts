/**
 * Writes the JSON Schemas of the bundle format next to this script, from the zod schemas in
 * electron/core/bundle/schema.ts. A unit test (electron/core/bundle/json-schema.spec.ts) fails
 * when the committed files are stale.
 *
 *   node --import tsx bundles/schema/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJsonSchemas } from '../../electron/core/bundle/json-schema';

const here = dirname(fileURLToPath(import.meta.url));
for (const [file, text] of Object.entries(generateJsonSchemas())) {
  writeFileSync(join(here, file), text);
  console.log(`wrote bundles/schema/${file}`);
}
