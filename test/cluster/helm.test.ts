// The real helm against the real API server: the demo bundle's charts install,
// their objects land in the API, and helm reads the releases back.
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { useCluster } from './shared';

const cluster = useCluster();
const chartsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bundles/demo/charts');

describe.skipIf(cluster.skip)(cluster.title('helm against kube-apiserver'), () => {
  const ns = `helm-${Date.now().toString(36)}`;
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'outpost-helm-test-'));
  });
  afterAll(async () => {
    await cluster.get().kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name: ns }).catch(() => {});
    await rm(tmp, { recursive: true, force: true });
  });

  it('installs every demo bundle chart and reads the releases back', async () => {
    const { helm, kubeConfig } = cluster.get();
    const charts = (await readdir(chartsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(charts).toEqual(expect.arrayContaining(['demo-api', 'demo-db']));

    for (const chart of charts) {
      // No --wait: nothing runs pods here, so nothing would ever become ready.
      await helm('upgrade', '--install', chart, path.join(chartsDir, chart), '--namespace', ns, '--create-namespace');
    }

    const list: { name: string; status: string; chart: string; revision: string }[] = JSON.parse(await helm('list', '-n', ns, '-o', 'json'));
    expect(list.map((r) => [r.name, r.status, r.revision]).sort()).toEqual(charts.map((c) => [c, 'deployed', '1']));

    const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    for (const chart of charts) {
      const status = JSON.parse(await helm('status', chart, '-n', ns, '-o', 'json'));
      expect(status).toMatchObject({ name: chart, namespace: ns, version: 1, info: { status: 'deployed' } });
      expect(list.find((r) => r.name === chart)?.chart).toMatch(new RegExp(`^${chart}-\\d`));

      // Every object the chart rendered exists in the API server.
      const manifest = parseAllDocuments(await helm('get', 'manifest', chart, '-n', ns))
        .map((d) => d.toJS() as KubernetesObject | null)
        .filter((o): o is KubernetesObject => !!o?.kind);
      expect(manifest.map((o) => o.kind)).toEqual(expect.arrayContaining(['Service']));
      for (const o of manifest) {
        const live = await objects.read({ apiVersion: o.apiVersion!, kind: o.kind!, metadata: { name: o.metadata!.name!, namespace: o.metadata?.namespace ?? ns } });
        expect(live.metadata?.annotations?.['meta.helm.sh/release-name'], `${o.kind}/${o.metadata?.name}`).toBe(chart);
      }
    }
    const workloads = (await helm('get', 'manifest', 'demo-api', '-n', ns)) + (await helm('get', 'manifest', 'demo-db', '-n', ns));
    expect(workloads).toMatch(/kind: (Deployment|StatefulSet)/);
  });

  it('upgrades, rolls back and uninstalls a release', async () => {
    const { helm, kubeConfig } = cluster.get();
    const chart = path.join(tmp, 'tiny');
    await mkdir(path.join(chart, 'templates'), { recursive: true });
    await writeFile(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\n');
    await writeFile(path.join(chart, 'values.yaml'), 'greeting: hello\n');
    await writeFile(path.join(chart, 'templates', 'cm.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\ndata:\n  greeting: {{ .Values.greeting | quote }}\n');
    const core = kubeConfig.makeApiClient(CoreV1Api);
    const greeting = async () => (await core.readNamespacedConfigMap({ namespace: ns, name: 'tiny-cfg' })).data?.greeting;

    await helm('upgrade', '--install', 'tiny', chart, '-n', ns, '--create-namespace');
    await helm('upgrade', '--install', 'tiny', chart, '-n', ns, '--set', 'greeting=ni hao');
    expect(await greeting()).toBe('ni hao');
    expect(JSON.parse(await helm('status', 'tiny', '-n', ns, '-o', 'json')).version).toBe(2);

    await helm('rollback', 'tiny', '1', '-n', ns);
    expect(await greeting()).toBe('hello');
    const history = JSON.parse(await helm('history', 'tiny', '-n', ns, '-o', 'json'));
    expect(history.map((h: { revision: number; status: string }) => h.status)).toEqual(['superseded', 'superseded', 'deployed']);

    await helm('uninstall', 'tiny', '-n', ns);
    await expect(greeting()).rejects.toThrow();
  });
});

