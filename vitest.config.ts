import { defineConfig } from 'vitest/config';

// One runner, four tiers. scripts/test.mjs decides which tiers this machine can run.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['electron/**/*.spec.ts', 'renderer/**/*.spec.ts', 'test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      { test: { name: 'integration', include: ['test/integration/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } },
      { test: { name: 'cluster', include: ['test/cluster/**/*.test.ts'], globalSetup: ['test/cluster/global-setup.ts'], testTimeout: 180_000, hookTimeout: 900_000, fileParallelism: false } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 300_000, fileParallelism: false } },
    ],
  },
});
