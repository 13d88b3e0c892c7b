import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateJsonSchemas } from './json-schema';

describe('JSON Schemas in bundles/schema/', () => {
  it.each(Object.entries(generateJsonSchemas()))('%s is up to date (regenerate: node --import tsx bundles/schema/generate.ts)', (file, text) => {
    const committed = readFileSync(fileURLToPath(new URL(`../../../bundles/schema/${file}`, import.meta.url)), 'utf8');
    expect(committed).toBe(text);
  });

  it('describes the fields vendors write', () => {
    const s = JSON.parse(generateJsonSchemas()['bundle.schema.json']);
    expect(s.required).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties.spec.properties)).toEqual(
      expect.arrayContaining(['k3s', 'helm', 'images', 'groups', 'questions', 'preflight', 'health', 'cleanup', 'include']),
    );
  });
});
