import type { OutpostApi } from '../api/contract';
import type { Store, AuditLog } from '../store';
import type { JobManager } from '../jobs';

export interface BundleApiDeps {
  store: Store;
  audit: AuditLog;
  jobs: JobManager;
  dataDir: string;
}

/** Implements the `bundles` namespace of the API (wired in create-core.ts). */
export function createBundleApi(d: BundleApiDeps): OutpostApi['bundles'] {
  return {
    list: async () => structuredClone(d.store.collection('bundles')),
  };
}
