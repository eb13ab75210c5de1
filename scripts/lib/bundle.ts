import { build } from 'esbuild';
import { root } from './vendors.js';

/**
 * The workspace sources behind `entry` (a file, or TypeScript code resolved from the repository
 * root) as one ESM file for Node: child processes (the command, bench runs, Redis workers) start
 * in milliseconds with no transpiler in their timing.
 */
export async function bundleForNode(
  entry: { path: string } | { code: string },
  outfile: string,
  options: { external?: string[] } = {},
): Promise<void> {
  await build({
    external: options.external ?? [],
    ...('path' in entry
      ? { entryPoints: [entry.path] }
      : { stdin: { contents: entry.code, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@smswire/source'],
    outfile,
    logLevel: 'error',
    // Bundled CommonJS (commander, ioredis) calls require; give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}
