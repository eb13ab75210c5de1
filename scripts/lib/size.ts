import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { join } from 'node:path';
import { listVendors, root } from './vendors.js';

/** Third-party runtime dependencies, which the size budgets exclude. */
const thirdParty = ['openapi-fetch', 'fast-xml-parser', 'xmlbuilder2'];

export interface PackageSize {
  name: string;
  bytes: number;
  /** Budget for minified + gzipped bytes. */
  limit: number;
}

/** Minified + gzipped size of each package's own code (core counted once, in @smswire/core). */
export async function packageSizes(): Promise<PackageSize[]> {
  const entries = [
    { name: '@smswire/core', entry: join(root, 'packages', 'core', 'src', 'index.ts'), limit: 8_000 },
    ...listVendors().map((v) => ({ name: v.packageName, entry: join(v.packageDir, 'src', 'index.ts'), limit: 10_000 })),
  ];
  return Promise.all(
    entries.map(async ({ name, entry, limit }) => {
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        minify: true,
        format: 'esm',
        platform: 'neutral',
        write: false,
        external: [...thirdParty, ...(name === '@smswire/core' ? [] : ['@smswire/core'])],
        logLevel: 'silent',
      });
      return { name, bytes: gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length, limit };
    }),
  );
}
