import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the packages' `@smswire/source` export condition.
const conditions = ['@smswire/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/contract/global-setup.ts'],
    testTimeout: 20_000,
  },
});
