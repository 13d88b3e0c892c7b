// vitest globalSetup of the "cluster" project: one etcd + kube-apiserver per
// run, shared by every suite (tests keep out of each other's way with their
// own namespaces). Runs in the main vitest process; tests get plain data
// through provide/inject and reconnect with connectTestCluster().
import type { TestProject } from 'vitest/node';
import { MissingPrerequisite, startTestCluster } from './harness';
import type { SharedCluster } from './shared';

export default async function setup(project: TestProject) {
  // CI (.ci/run) sets this: there, a tier that cannot run is a failure.
  const strict = process.env.OUTPOST_REQUIRE_ALL_TIERS === '1';
  const started = Date.now();
  try {
    const cluster = await startTestCluster();
    console.log(`[cluster] kube-apiserver ready at ${cluster.server} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    project.provide('outpostCluster', { info: { kubeconfigPath: cluster.kubeconfigPath, server: cluster.server, helmPath: cluster.helmPath, helmEnv: cluster.helmEnv } } satisfies SharedCluster);
    return () => cluster.stop();
  } catch (err) {
    if (err instanceof MissingPrerequisite && !strict) {
      console.warn(`[cluster] tier skipped: ${err.message}`);
      project.provide('outpostCluster', { skip: err.message } satisfies SharedCluster);
      return;
    }
    throw err;
  }
}
