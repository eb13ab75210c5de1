import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources through the packages' `@smswire/source` export condition.
const conditions = ['@smswire/source', 'module', 'node', 'development|production'];

// Where tests live: each package's test/ and the repository's test/.
const roots = ['packages/*/test/**', 'test/**'];

/**
 * A test file's name says its tier, and nothing else does (test/tiers.test.ts holds every test
 * file to exactly one):
 *
 * - `name.test.ts`, `unit`: in-process, loopback servers at most, a second or two a file at most
 *   (the fast loop, `pnpm test:unit`).
 * - `name.int.test.ts`, `integration`: the spec-driven sweeps that call every operation of
 *   every vendor, whose time grows with the specs, and tests that spawn Node processes.
 * - `name.contract.test.ts`, `contract`: the clients against a Prism mock of each spec, started
 *   once by the tier's global setup.
 * - `name.e2e.test.ts`, `e2e`: packs and installs the packages, builds the reference pages in
 *   Chromium and type-checks their samples with tsc, regenerates into a copy, spawns the command,
 *   and runs the Redis ledger against redis-server.
 *
 * `pnpm test` runs them all.
 */
const named = (suffix: string) => roots.map((root) => `${root}/*${suffix}.test.ts`);

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
          include: named(''),
          // Any other dot before `.test.ts` names a tier; one that names none matches no tier,
          // which test/tiers.test.ts refuses.
          exclude: [...configDefaults.exclude, ...named('.*')],
          // A worker a core: each worker imports the packages once, and the tier keeps a core
          // busy. The files of a worker share one module graph, which halves the tier's import
          // time: each file restores what it changes (timers, spies), and none needs a fresh
          // copy of a module. Its own group, as its worker count differs from the other tiers'.
          maxWorkers: availableParallelism(),
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: named('.int'),
          // Its sweeps wait on loopback sockets and timers, so a worker more than the cores
          // keeps them busy; files share a worker's module graph as in `unit`.
          maxWorkers: Math.max(3, availableParallelism() - 1),
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'contract',
          include: named('.contract'),
          globalSetup: ['test/contract/global-setup.ts'],
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: named('.e2e'),
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
