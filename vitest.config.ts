import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the packages' `@smswire/source` export condition.
const conditions = ['@smswire/source', 'module', 'node', 'development|production'];

/**
 * Three tiers: `unit` needs no mock server or browser (the fast loop), `contract` is the only one
 * with the Prism global setup, `e2e` packs and installs the packages, builds the reference
 * pages in Chromium and type-checks their samples with tsc, regenerates into a copy, spawns the
 * command, and runs the Redis ledger against redis-server.
 * `pnpm test` runs them all.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Much of the tier waits on loopback sockets and timers, so a worker more than the
          // cores keeps them busy. The files of a worker share one module graph, which halves
          // the tier's import time: each file restores what it changes (timers, spies), and
          // none needs a fresh copy of a module. Its own group, as its worker count differs
          // from the other tiers'.
          maxWorkers: Math.max(3, availableParallelism() - 1),
          isolate: false,
          sequence: { groupOrder: 0 },
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            'test/contract/**',
            'test/cli/**',
            'test/package/**',
            'test/docs/**',
            'test/check-generated.test.ts',
            'test/new-vendor.test.ts',
            'test/changesets.test.ts',
            'test/code-samples.test.ts',
            'test/redis/**',
            'test/demo.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          sequence: { groupOrder: 1 },
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          include: [
            'test/package/**/*.test.ts',
            'test/docs/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/check-generated.test.ts',
            'test/new-vendor.test.ts',
            'test/changesets.test.ts',
            'test/code-samples.test.ts',
            'test/redis/**/*.test.ts',
            'test/demo.test.ts',
          ],
        },
      },
    ],
  },
});
