import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the packages' `@smswire/source` export condition.
const conditions = ['@smswire/source', 'module', 'node', 'development|production'];

/**
 * Three tiers: `unit` needs no mock server or browser (the fast loop), `contract` is the only one
 * with the Prism global setup, `e2e` packs and installs the packages, builds the reference
 * pages in Chromium and regenerates into a copy. `pnpm test` runs them all.
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
          include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            'test/contract/**',
            'test/package/**',
            'test/docs/**',
            'test/check-generated.test.ts',
            'test/new-vendor.test.ts',
            'test/changesets.test.ts',
            'test/demo.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/contract/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: [
            'test/package/**/*.test.ts',
            'test/docs/**/*.test.ts',
            'test/check-generated.test.ts',
            'test/new-vendor.test.ts',
            'test/changesets.test.ts',
            'test/demo.test.ts',
          ],
        },
      },
    ],
  },
});
