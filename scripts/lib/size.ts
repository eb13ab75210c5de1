import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';
import { listVendors, root } from './vendors.js';

const coreDir = join(root, 'packages', 'core');
const coreExports: Record<string, { '@smswire/source'?: string }> = JSON.parse(
  readFileSync(join(coreDir, 'package.json'), 'utf8'),
).exports;

/**
 * `@smswire/core` and its internal entry stay outside a vendor's bundle (counted once, in
 * @smswire/core); the other entries, which a vendor's definition imports when it uses them
 * (`@smswire/core/xml`, `/json`, `/code`, `/pipe`, `/scalar`, `/dates`, `/oauth`, and `/raw` and
 * `/prepare` in every one), come inside it, but for the modules of core's main and internal
 * entries they share, which they load from there.
 */
function coreEntries(coreModules: ReadonlySet<string>): Plugin {
  return {
    name: 'core-entries',
    setup(build) {
      build.onResolve({ filter: /^@smswire\/core(\/.*)?$/ }, ({ path }) => {
        const source = coreExports[`.${path.slice('@smswire/core'.length)}`]?.['@smswire/source'];
        return sharedEntries.has(path) || !source ? { path, external: true } : { path: join(coreDir, source) };
      });
      sharedWith(coreModules).setup(build);
    },
  };
}

/** Leaves out the modules of another measured bundle (`modules`): they are counted there. */
function sharedWith(modules: ReadonlySet<string>): Plugin {
  return {
    name: 'shared-with',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, ({ path, resolveDir }) => {
        const file = join(resolveDir, path.replace(/\.js$/, '.ts'));
        return modules.has(file) ? { path: file, external: true } : undefined;
      });
    },
  };
}
const sharedEntries = new Set(['@smswire/core', '@smswire/core/errors', '@smswire/core/internal']);

/** Third-party runtime dependencies, which the size budgets exclude. */
const thirdParty = ['openapi-fetch', 'fast-xml-parser', 'xmlbuilder2'];

/** Core's main and internal entries together: what every vendor client loads of it. */
const coreEntry = {
  contents: "export * from './index.js';\nexport * from './internal.js';",
  resolveDir: join(root, 'packages', 'core', 'src'),
  loader: 'ts' as const,
};

const smsSource = join(root, 'packages', 'sms', 'src');
const smsEntries = {
  // Every vendor's adapter, one per spec: a new vendor's counts in the layer's budget.
  contents: ['index', ...listVendors().map((v) => v.id), 'file-ledger', 'redis-ledger']
    .map((file) => `export * from './${file}.js';`)
    .join('\n'),
  resolveDir: smsSource,
  loader: 'ts' as const,
};
const reportEndpointEntries = {
  contents: "export * from './report-endpoint.js';\nexport * from './redis-report-store.js';",
  resolveDir: smsSource,
  loader: 'ts' as const,
};

/** `sms.track`'s module, which `createSms` loads when a tracking first starts: measured on its own, without what it shares with the main entry. */
const trackEntry = { contents: "export * from './track.js';", resolveDir: smsSource, loader: 'ts' as const };
const trackName = '@smswire/sms: track (loaded on first use)';
const lazyTrack: Plugin = {
  name: 'lazy-track',
  setup(build) {
    build.onResolve({ filter: /^\.\/track\.js$/, namespace: 'file' }, ({ path, kind }) =>
      kind === 'dynamic-import' ? { path, external: true } : undefined,
    );
  },
};

/** The entries measured from @smswire/sms's sources, with its dependencies left outside. */
const smsNames = new Set(['@smswire/sms', trackName, '@smswire/sms/report-endpoint', '@smswire/opentelemetry']);

/** Each vendor package's budget: about 5 % above its size when core's entries were split (issue 32). */
const vendorLimits: Record<string, number> = {
  '@smswire/dinisoft': 4_150,
  '@smswire/dreams': 9_250,
  '@smswire/sms365': 10_650,
  '@smswire/smsleads': 9_250,
  '@smswire/unified': 4_050,
};

export interface PackageSize {
  name: string;
  bytes: number;
  /** Budget for minified + gzipped bytes. */
  limit: number;
}

/**
 * Minified + gzipped size of each package's own code. Core's main and internal entries are
 * counted once, in @smswire/core; each of its other entries is counted in every vendor package
 * that loads it, since only those vendors' users pay for it.
 */
export async function packageSizes(): Promise<PackageSize[]> {
  const entries = [
    // Raised from 8,000 B by the fidelity and hardening work (per-operation credentials, named
    // servers, JSON reply shapes, UCS-2 hex, phone numbers, caller checks): readability and safety
    // are not traded for bytes; see docs/benchmarks.md, "Sizes". Then to 11,000 B when reading UTF-8
    // replies as text and building requests without copies took core from 10,475 to 10,650 B
    // for 1–1.5 points of the ratios to the careful hand-written call (docs/benchmarks.md, "Reply text" and "Cold").
    // Then to 12,000 B when each operation's argument reader, request encoder and reply decoder
    // came to be made once per client instead of the tables being walked on every call: 10,650
    // to 11,414 B for 3–5 points of the latency ratio to the careful call and 2–4 of its
    // throughput ratio, the targets of issue 16 (docs/benchmarks.md, "Made once").
    // Then to 12,600 B for seeing into calls (issue 34): `client.prepare` (11,269 to 11,500 B) and
    // the debug log and the `smswire:call` tracing channel (to 12,305 B), which a call only enters
    // when there is a logger or a subscriber. Then to 13,500 B with structural redaction (every
    // echo spelling, whole-value masking of short credentials; issue 29) and a call's deadline
    // covering the wait it asked for (issue 31): 13,103 B.
    // Then to 9,900 B (issue 32): what a call does not run, or only some vendors' calls do (each
    // reply codec, dates, OAuth2, `client.raw`, `client.prepare`), left for entries of their own: 9,724 B.
    // Then to 9,960 B, still under issue 32's 10 kB, for the logger guard: a logger that throws
    // must not turn a send the vendor accepted into a failure whose message ID is lost (9,929 B).
    { name: '@smswire/core', entry: coreEntry, limit: 9_960 },
    // Each vendor's own code and the core entries its definition hands in (measured sizes in
    // docs/benchmarks.md, "Sizes"), about 5 % above what it measured (issue 32).
    ...listVendors().map((v) => ({
      name: v.packageName,
      entry: join(v.packageDir, 'src', 'index.ts'),
      limit: vendorLimits[v.packageName] ?? 10_000,
    })),
    // Every entry point of @smswire/sms (main, adapters, file and Redis ledgers) together; the
    // vendor packages, core, libphonenumber-js, p-limit and ioredis are outside it. 8,584 B with sendMany
    // (the budget is about 25 % above that), 9,797 B with the Redis ledger, 10,966 B with sendEach,
    // sendMany's abort signal and pollReports; 12,224 B with issue 31's document fixes (SMS Leads
    // ids that date their send, DiniSoft's remembered answers, the strict report parser through
    // the adapter, Unified's schedulePath, balance and window checks with their reasons).
    // Then the ledgers' edges (issue 29: the file lock, whole lines and compaction, forgetting,
    // fingerprints, the Redis release): about 2,900 B more. Then seeing into sends (issue 34): `sms.prepare` and each adapter's
    // `prepare`, the logger and the send, failover and state channels: about 800 B more.
    // Then issue 33's track (rounds per vendor's cheapest read, SMS Leads' batched dlr) and inbound
    // (windows, the cursor, SMS Leads' Israel-time dates): 18,422 B.
    // Then `track` left for its own module, loaded when a tracking first starts (issue 32):
    // 17,658 B, and 1,260 B for track on its own; each budget about 5 % above.
    { name: '@smswire/sms', entry: smsEntries, limit: 18_550 },
    { name: trackName, entry: trackEntry, limit: 1_350 },
    // The report endpoint and its stores (with the Redis one), which only its users load: 4,348 B.
    { name: '@smswire/sms/report-endpoint', entry: reportEndpointEntries, limit: 5_200 },
    // The OpenTelemetry bridge, @opentelemetry/api outside it: 1,170 B.
    { name: '@smswire/opentelemetry', entry: join(root, 'packages', 'opentelemetry', 'src', 'index.ts'), limit: 2_000 },
  ];
  const coreModules = await modulesOf(coreEntry);
  const loadedBySms = await smsModules();
  return Promise.all(
    entries.map(async ({ name, entry, limit }) => {
      const result = await build({
        ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: entry }),
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        write: false,
        external: smsNames.has(name)
          ? [
              '@smswire/*',
              'libphonenumber-js',
              'libphonenumber-js/*',
              'p-limit',
              'ioredis',
              'node:*',
              '@opentelemetry/*',
            ]
          : thirdParty,
        plugins:
          name === '@smswire/sms'
            ? [lazyTrack]
            : name === trackName
              ? [sharedWith(loadedBySms)]
              : name === '@smswire/core' || smsNames.has(name)
                ? []
                : [coreEntries(coreModules)],
        logLevel: 'silent',
      });
      return { name, bytes: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length, limit };
    }),
  );
}

/** The source files a measured bundle is made of. */
async function modulesOf(entry: typeof coreEntry, plugins: Plugin[] = []): Promise<Set<string>> {
  const { metafile } = await build({
    stdin: entry,
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    external: ['@smswire/*', 'libphonenumber-js', 'libphonenumber-js/*', 'p-limit', 'ioredis', 'node:*', ...thirdParty],
    plugins,
    logLevel: 'silent',
  });
  return new Set(Object.keys(metafile.inputs).map((input) => join(root, input)));
}

/** The source files of @smswire/sms's entries as a sender loads them: `track` is not among them until a tracking starts. */
export const smsModules = () => modulesOf(smsEntries, [lazyTrack]);
