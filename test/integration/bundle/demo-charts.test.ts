import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderBundleValues } from '../../../electron/core/bundle';
import { parseManifestOrThrow } from '../../../electron/core/bundle/manifest';
import { DEMO_SRC, has, tempDir } from './helpers';

/** A real helm: $OUTPOST_HELM, on PATH, or the one the cluster tier builds (scripts/cluster-build.sh). */
function findHelm(): string | undefined {
  if (process.env.OUTPOST_HELM && existsSync(process.env.OUTPOST_HELM)) return process.env.OUTPOST_HELM;
  if (has('helm')) return 'helm';
  const cache = join(process.env.OUTPOST_CACHE_DIR ?? join(homedir(), '.cache/outpost'), 'cluster');
  for (const v of existsSync(cache) ? readdirSync(cache) : []) if (existsSync(join(cache, v, 'helm'))) return join(cache, v, 'helm');
  return undefined;
}

const helm = findHelm();

describe.skipIf(!helm)('demo charts with a real helm', () => {
  it('lint, and render with the values Outpost renders for a site', async () => {
    execFileSync(helm!, ['lint', '--strict', join(DEMO_SRC, 'charts/demo-db'), join(DEMO_SRC, 'charts/demo-api')], { stdio: 'pipe' });
    const manifest = parseManifestOrThrow(readFileSync(join(DEMO_SRC, 'bundle.yaml'), 'utf8'));
    const values = await renderBundleValues(
      { dir: DEMO_SRC, manifest },
      {
        facts: { site: { name: 'plant-7' }, hosts: ['a', 'b', 'c'].map((n, i) => ({ name: n, address: `10.0.0.${i + 1}`, role: 'server', memoryBytes: 2 ** 31 })) },
        answers: { adminPassword: 'correct horse', siteDomain: 'demo.local', exposeNodePort: true, apiReplicas: 5 },
      },
    );
    const tmp = tempDir('charts');
    const kinds: Record<string, string[]> = {};
    for (const v of values) {
      const c = manifest.spec.groups.flatMap((g) => g.charts).find((x) => x.release === v.release)!;
      writeFileSync(join(tmp, `${v.release}.yaml`), v.text);
      const out = execFileSync(helm!, ['template', v.release, join(DEMO_SRC, c.chart), '-n', c.namespace, '-f', join(tmp, `${v.release}.yaml`)], { encoding: 'utf8' });
      const docs = parseAllDocuments(out).map((d) => d.toJS()).filter(Boolean);
      kinds[v.release] = docs.map((d) => d.kind).sort();
      if (v.release === 'demo-api') {
        const dep = docs.find((d) => d.kind === 'Deployment');
        expect(dep.spec.replicas).toBe(3);
        expect(dep.spec.template.spec.containers[0].image).toBe('outpost.local/demo/api:1.0.0');
        expect(docs.find((d) => d.kind === 'Service').spec).toMatchObject({ type: 'NodePort', ports: [expect.objectContaining({ nodePort: 30080 })] });
        expect(docs.find((d) => d.kind === 'Ingress').spec.rules[0].host).toBe('demo.local');
      } else {
        const sts = docs.find((d) => d.kind === 'StatefulSet');
        expect(sts.spec.template.spec.nodeSelector).toEqual({ 'node-role.kubernetes.io/control-plane': 'true' });
        expect(sts.spec.template.spec.containers[0].resources.limits.memory).toBe('32Mi');
      }
    }
    rmSync(tmp, { recursive: true, force: true });
    expect(kinds).toEqual({ 'demo-db': ['Service', 'StatefulSet'], 'demo-api': ['ConfigMap', 'Deployment', 'Ingress', 'Secret', 'Service'] });
  });
});
