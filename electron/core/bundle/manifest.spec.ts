import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkReferences, manifestReferences, parseManifest, parseManifestOrThrow, parseSpec } from './manifest';

const demo = (f: string) => readFileSync(fileURLToPath(new URL(`../../../bundles/demo/${f}`, import.meta.url)), 'utf8');

describe('bundle.yaml', () => {
  it('accepts the demo product and fills defaults', () => {
    const { manifest, problems } = parseManifest(demo('bundle.yaml'));
    expect(problems).toEqual([]);
    expect(manifest!.metadata).toMatchObject({ name: 'outpost-demo', version: '1.0.0' });
    expect(manifest!.spec.groups.map((g) => g.name)).toEqual(['data', 'apps']);
    expect(manifest!.spec.groups[1].charts[0]).toMatchObject({ release: 'demo-api', chart: 'charts/demo-api', wait: true, timeout: '5m' });
    expect(manifest!.spec.questions.find((q) => q.name === 'apiReplicas')).toMatchObject({ type: 'integer', default: 2, required: true });
  });

  it('names the file, field and line of every problem', () => {
    const text = demo('bundle.yaml')
      .replace('  images:\n', '  imagse:\n')
      .replace('values: values/api.yaml.njk', 'values: ../values/api.yaml.njk')
      .replace('version: v1.30.4+k3s1', 'version: 1.30.4');
    const { manifest, problems } = parseManifest(text);
    expect(manifest).toBeUndefined();
    const byField = Object.fromEntries(problems.map((p) => [p.field, p]));
    expect(Object.keys(byField).sort()).toEqual(['spec.groups[1].charts[0].values', 'spec.imagse', 'spec.k3s.version']);
    const lines = text.split('\n');
    expect(lines[byField['spec.imagse'].line! - 1]).toMatch(/imagse:/);
    expect(lines[byField['spec.k3s.version'].line! - 1]).toMatch(/version: 1.30.4/);
    expect(byField['spec.k3s.version'].message).toMatch(/^bundle\.yaml:\d+: spec\.k3s\.version: a k3s release such as v1\.30\.4\+k3s1$/);
    expect(byField['spec.groups[1].charts[0].values'].message).toMatch(/unsafe path \('\.\.' segment\)/);
    expect(byField['spec.imagse'].message).toMatch(/Unrecognized key/);
  });

  it('reports duplicate groups, releases and questions', () => {
    const text = demo('bundle.yaml').replace('- name: apps', '- name: data').replace('release: demo-api', 'release: demo-db');
    const fields = parseManifest(text).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['spec.groups[1].name', 'spec.groups[1].charts[0].release']));
  });

  it('reports YAML syntax errors with line and column', () => {
    const { problems } = parseManifest('apiVersion: outpost.dev/v1\nkind: [Bundle\n', 'bundle.yaml');
    expect(problems[0]).toMatchObject({ code: 'bundle.yaml_syntax', file: 'bundle.yaml' });
    expect(problems[0].message).toMatch(/^bundle\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('throws the first problem as an OutpostError with all of them', () => {
    expect(() => parseManifestOrThrow('kind: Bundle\n')).toThrow(expect.objectContaining({ code: 'bundle.schema_invalid' }));
  });

  it('lists references and checks them against the file list', () => {
    const m = parseManifestOrThrow(demo('bundle.yaml'));
    const refs = manifestReferences(m);
    expect(refs.map((r) => r.path)).toEqual(expect.arrayContaining(['k3s/k3s', 'helm/helm', 'charts/demo-db', 'values/db.yaml.njk', 'preflight.yaml', 'README.md']));
    const files = new Set(['k3s/k3s', 'k3s/k3s-airgap-images-amd64.tar', 'k3s/install.sh', 'helm/helm', 'images/outpost-demo-images.tar', 'charts/demo-db/Chart.yaml', 'values/db.yaml.njk', 'values/api.yaml.njk', 'preflight.yaml', 'health.yaml', 'cleanup.yaml', 'README.md']);
    const problems = checkReferences(m, files);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'bundle.reference_missing', field: 'spec.groups[1].charts[0].chart' });
    expect(problems[0].message).toBe('spec.groups[1].charts[0].chart in bundle.yaml refers to charts/demo-api/Chart.yaml, which is not in the bundle');
  });
});

describe('spec files', () => {
  it.each(['preflight', 'health', 'cleanup'] as const)('accepts the demo %s.yaml', (k) => {
    expect(parseSpec(k, demo(`${k}.yaml`), `${k}.yaml`).problems).toEqual([]);
  });

  it('names the bad field of a cleanup rule', () => {
    const text = demo('cleanup.yaml').replace('olderThan: 7d', 'olderThan: a week');
    const { problems } = parseSpec('cleanup', text, 'cleanup.yaml');
    expect(problems[0]).toMatchObject({ file: 'cleanup.yaml', field: 'spec.rules[1].olderThan' });
    expect(problems[0].message).toMatch(/a duration such as 30s/);
  });

  it('requires outcomes on every preflight analyzer', () => {
    const text = 'apiVersion: troubleshoot.sh/v1beta2\nkind: HostPreflight\nmetadata: {name: x}\nspec:\n  analyzers:\n    - cpu: {checkName: c}\n';
    const { problems } = parseSpec('preflight', text, 'preflight.yaml');
    expect(problems[0].field).toBe('spec.analyzers[0].cpu.outcomes');
  });
});
