// The real API server answers @kubernetes/client-node the way a k3s server
// would: list, create, watch, and status written through the subresource.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppsV1Api, CoreV1Api, Watch, type V1Deployment } from '@kubernetes/client-node';
import { createNode, createPod, podStatus, setDeploymentRollout, setNodeReady, setPodStatus } from './harness';
import { useCluster } from './shared';

const cluster = useCluster();

describe.skipIf(cluster.skip)(cluster.title('kube-apiserver via @kubernetes/client-node'), () => {
  const ns = `kapi-${Date.now().toString(36)}`;
  let core: CoreV1Api;
  let apps: AppsV1Api;

  beforeAll(async () => {
    const { kubeConfig } = cluster.get();
    core = kubeConfig.makeApiClient(CoreV1Api);
    apps = kubeConfig.makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: ns } } });
  });
  afterAll(async () => {
    await core?.deleteNamespace({ name: ns }).catch(() => {});
  });

  it('lists namespaces', async () => {
    const names = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', ns]));
  });

  it('creates a Deployment and sees it through a watch', async () => {
    const { kubeConfig } = cluster.get();
    const events: string[] = [];
    let abort: AbortController | undefined;
    const seen = new Promise<void>((resolve, reject) => {
      new Watch(kubeConfig)
        .watch(`/apis/apps/v1/namespaces/${ns}/deployments`, {}, (phase, obj: V1Deployment) => {
          events.push(`${phase} ${obj.metadata?.name} ready=${obj.status?.readyReplicas ?? 0}`);
          if (phase === 'MODIFIED' && obj.status?.readyReplicas === 2) resolve();
        }, (err) => err && reject(err))
        .then((a) => (abort = a), reject);
    });
    // The watch must be open before the object appears, or ADDED is missed.
    await new Promise((r) => setTimeout(r, 200));

    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'registry.local/web:1' }] } },
        },
      },
    });
    // No controller-manager: the rollout only completes when the test says so.
    const d = await setDeploymentRollout(kubeConfig, ns, 'web');
    expect(d.status?.observedGeneration).toBe(d.metadata?.generation);

    await seen;
    abort?.abort();
    expect(events[0]).toBe('ADDED web ready=0');
  });

  it('stages a CrashLoopBackOff pod through the status subresource', async () => {
    const { kubeConfig } = cluster.get();
    await createPod(kubeConfig, ns, 'api-0', { labels: { app: 'api' } });
    await setPodStatus(kubeConfig, ns, 'api-0', podStatus('CrashLoopBackOff', { restarts: 7 }));

    const pod = await core.readNamespacedPod({ namespace: ns, name: 'api-0' });
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({
      restartCount: 7, ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } },
    });

    await setPodStatus(kubeConfig, ns, 'api-0', podStatus('Running'));
    const healed = await core.readNamespacedPod({ namespace: ns, name: 'api-0' });
    expect(healed.status?.containerStatuses?.[0].state?.running).toBeDefined();
  });

  it('stages a NotReady node', async () => {
    const { kubeConfig } = cluster.get();
    const name = `${ns}-node`;
    await createNode(kubeConfig, name, { labels: { 'node-role.kubernetes.io/control-plane': 'true' } });
    await setNodeReady(kubeConfig, name, false);
    const node = await core.readNode({ name });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'KubeletNotReady' });
    await core.deleteNode({ name });
  });
});
