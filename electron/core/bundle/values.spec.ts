import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseManifestOrThrow } from './manifest';
import { checkTemplate, renderValues, validateAnswers } from './values';

const demo = (f: string) => readFileSync(fileURLToPath(new URL(`../../../bundles/demo/${f}`, import.meta.url)), 'utf8');
const manifest = parseManifestOrThrow(demo('bundle.yaml'));
const bundle = { name: 'outpost-demo', version: '1.0.0', vendor: 'Outpost Demo Vendor' };
const facts = {
  site: { name: 'Plant 7 "North"' },
  hosts: [
    { name: 's1', address: '10.0.0.1', role: 'server', memoryBytes: 8 * 2 ** 30 },
    { name: 'a1', address: '10.0.0.2', role: 'agent', memoryBytes: 2 * 2 ** 30 },
  ],
};

describe('answers', () => {
  it('fills defaults and coerces form strings', () => {
    const { answers, problems } = validateAnswers(manifest.spec.questions, { adminPassword: 'correct horse', apiReplicas: '3', exposeNodePort: 'true' });
    expect(problems).toEqual([]);
    expect(answers).toEqual({ adminPassword: 'correct horse', apiReplicas: 3, exposeNodePort: true, nodePort: 30080, dbStorageGi: 1, logLevel: 'info' });
  });

  it('reports every problem by question', () => {
    const { problems } = validateAnswers(manifest.spec.questions, { adminPassword: 'short', apiReplicas: 9, siteDomain: 'not a host!', logLevel: 'loud', nodePort: 80, extra: 1 });
    const by = Object.fromEntries(problems.map((p) => [p.field, p.message]));
    expect(by).toEqual({
      adminPassword: 'The answer to "adminPassword" is invalid: shorter than 8 characters',
      apiReplicas: 'The answer to "apiReplicas" is invalid: more than 5',
      siteDomain: 'The answer to "siteDomain" is invalid: not a host name',
      logLevel: 'The answer to "logLevel" is invalid: expected one of error, warn, info, debug',
      nodePort: 'The answer to "nodePort" is invalid: less than 30000',
      extra: '"extra" is not a question of this bundle',
    });
    expect(validateAnswers(manifest.spec.questions, {}).problems.map((p) => p.code)).toEqual(['bundle.answer_missing']);
  });
});

describe('values templates', () => {
  const { answers } = validateAnswers(manifest.spec.questions, { adminPassword: 'p@ss: "word"', apiReplicas: 3, siteDomain: 'demo.example.local' });

  it('renders the demo templates from facts and answers', () => {
    const api = renderValues(demo('values/api.yaml.njk'), { facts, answers, bundle, release: { name: 'demo-api', namespace: 'outpost-demo' }, name: 'values/api.yaml.njk' });
    expect(api.values).toEqual({
      replicaCount: 2, // never more than hosts
      siteName: 'Plant 7 "North"',
      adminPassword: 'p@ss: "word"',
      logLevel: 'info',
      database: { host: 'demo-db.outpost-demo.svc.cluster.local', port: 6379 },
      service: { type: 'ClusterIP' },
      ingress: { enabled: true, host: 'demo.example.local' },
    });
    const db = renderValues(demo('values/db.yaml.njk'), { facts, answers, bundle, release: { name: 'demo-db', namespace: 'outpost-demo' } });
    expect(db.values).toEqual({ persistence: { enabled: true, size: '1Gi' }, resources: { requests: { cpu: '25m', memory: '16Mi' }, limits: { memory: '32Mi' } } });
    expect(db.text).toMatch(/^# Rendered by Outpost for site Plant 7 "North" \(outpost-demo 1\.0\.0\)/);
  });

  it('adds HA placement only when there are several servers', () => {
    const ha = { ...facts, hosts: ['a', 'b', 'c'].map((n) => ({ name: n, address: n, role: 'server', memoryBytes: 8 * 2 ** 30 })) };
    const db = renderValues(demo('values/db.yaml.njk'), { facts: ha, answers, bundle, release: { name: 'demo-db', namespace: 'x' } });
    expect(db.values).toEqual({ persistence: { enabled: true, size: '1Gi' }, nodeSelector: { 'node-role.kubernetes.io/control-plane': 'true' } });
  });

  it('names the missing value, the template and the line', () => {
    expect(() => renderValues('a: 1\nb: {{ answers.nope }}\n', { facts, answers, name: 'values/x.yaml.njk' })).toThrow(
      expect.objectContaining({ code: 'bundle.values_render', message: 'values/x.yaml.njk:2: answers.nope is not defined' }),
    );
    expect(() => renderValues('x: {{ facts.site.region }}', { facts, answers, name: 't' })).toThrow(/facts\.site\.region is not defined/);
  });

  it('reports YAML that the template broke', () => {
    expect(() => renderValues('a: {{ answers.adminPassword }}\n', { facts, answers, name: 'v.njk' })).toThrow(expect.objectContaining({ code: 'bundle.values_yaml' }));
    expect(() => renderValues('- a\n', { facts, answers, name: 'v.njk' })).toThrow(/must be a YAML mapping/);
  });

  it('offers Ansible-style filters', () => {
    const r = renderValues(
      'b64: {{ "hi" | b64encode }}\nsha: {{ "x" | sha256 }}\ncfg: {{ {"a": [1, 2]} | to_json }}\nn: {{ [3, 1, 2] | max }}\nsrv: {{ facts.hosts | rejectattr("role", "equalto", "agent") | length }}\nm: {{ answers.siteDomain | mandatory }}\n',
      { facts, answers },
    );
    expect(r.values).toEqual({ b64: 'aGk=', sha: '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881', cfg: { a: [1, 2] }, n: 3, srv: 1, m: 'demo.example.local' });
  });

  it('checks template syntax at build time', () => {
    expect(() => checkTemplate('a: 1\n{% if %}\n', 'values/bad.yaml.njk')).toThrow(expect.objectContaining({ code: 'bundle.values_render', message: expect.stringMatching(/^values\/bad\.yaml\.njk:2: /) }));
    expect(() => checkTemplate(demo('values/api.yaml.njk'))).not.toThrow();
  });
});
