// The cluster that test/cluster/global-setup.ts started for this run.
//
//   const cluster = useCluster();
//   describe.skipIf(cluster.skip)(cluster.title('kube api'), () => { ... cluster.get() ... });
import { inject } from 'vitest';
import { connectTestCluster, type ClusterInfo } from './harness';

export type SharedCluster = { info: ClusterInfo; skip?: undefined } | { info?: undefined; skip: string };

declare module 'vitest' {
  export interface ProvidedContext {
    outpostCluster: SharedCluster;
  }
}

export function useCluster() {
  const shared = inject('outpostCluster');
  if (!shared) throw new Error('no test cluster: run this file in the vitest "cluster" project (its globalSetup starts the cluster)');
  let handles: ReturnType<typeof connectTestCluster> | undefined;
  return {
    /** Set when the tier cannot run on this machine (never under OUTPOST_REQUIRE_ALL_TIERS=1). */
    skip: shared.skip,
    /** Suite title that carries the skip reason into the test report. */
    title: (name: string) => (shared.skip ? `${name} [skipped: ${shared.skip}]` : name),
    get: () => (handles ??= connectTestCluster(shared.info!)),
  };
}
