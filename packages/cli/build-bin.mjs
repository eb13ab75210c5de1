// The published `smswire` bin: src/bin.ts and the workspace packages it uses, bundled by esbuild
// into dist/smswire.js (the commands' shared code in dist/chunk-*.js, the queue commands in chunks
// of their own, loaded when run). The tsc output beside it is the library entry (`main`). A few
// files to compile instead of every module of every package to find, read and link
// (docs/benchmarks.md, "Start-up"). `pnpm bench` measures this same build.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Optional peers and what needs them stay out of the bundle: ioredis (`--ledger redis://`,
 * `--queue`), bullmq (the queue commands), Prism (`smswire mock`). They are loaded from
 * node_modules by the commands that use them, or their absence is reported.
 */
export const external = ['ioredis', 'bullmq', '@stoplight/prism-cli'];

/**
 * xmlbuilder2 builds SMS Leads' XML requests only, but as a CommonJS module imported at the top
 * of core's XML codec it ran its setup (a DOM implementation) as every command started: about a
 * fifth of `smswire segments hi`. Here the codec imports a stand-in whose `create` requires the
 * real module on its first call (esbuild bundles a require inside a function as a lazy one).
 */
const lazyXmlBuilder = {
  name: 'lazy-xmlbuilder2',
  setup(build) {
    build.onResolve({ filter: /^xmlbuilder2$/ }, (args) =>
      args.namespace === 'lazy-xmlbuilder2'
        ? undefined
        : { path: 'xmlbuilder2', namespace: 'lazy-xmlbuilder2', pluginData: dirname(args.importer) },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-xmlbuilder2' }, (args) => ({
      contents:
        "let real; export function create(...args) { real ??= require('xmlbuilder2'); return real.create(...args); }",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

/**
 * Writes the bin into `outdir`, which must sit one folder below the package's package.json (the
 * version is read from `../package.json`). Returns the entry's path.
 */
export async function bundleBin(outdir = join(here, 'dist')) {
  await build({
    entryPoints: { smswire: join(here, 'src', 'bin.ts') },
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunk-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // The workspace packages from their sources, as the tests run them: the same code as their dist.
    conditions: ['@smswire/source'],
    external,
    plugins: [lazyXmlBuilder],
    // Smaller to read and compile; names are kept, so a stack trace still names its functions.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'linked',
    logLevel: 'error',
    // Bundled CommonJS (commander, xmlbuilder2) calls require: the ESM chunks get one each.
    banner: { js: "import { createRequire as __smswireRequire } from 'node:module'; const require = __smswireRequire(import.meta.url);" },
  });
  return join(outdir, 'smswire.js');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundleBin();
