import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { UsageError } from './exit-codes.js';
import { prismEntry, type RunningMock, serveMock } from './prism.js';
import { definitionOf, type VendorId } from './vendors.js';

const require = createRequire(import.meta.url);

export type { RunningMock } from './prism.js';

/**
 * The vendor package's shipped `openapi.yaml` on Prism, the one `smswire mock` serves (the
 * repository's `pnpm mock` and contract tests serve `specs/` through `serveMock` the same way).
 */
export function startMock(vendor: VendorId, port?: number, timeoutMs = 60_000): Promise<RunningMock> {
  const yaml = readFileSync(require.resolve(`@smswire/${vendor}/openapi.yaml`), 'utf8');
  return serveMock({ vendor, yaml, definition: definitionOf(vendor), prism: prismBin() }, port, timeoutMs);
}

/** Prism's entry point, from the optional peer dependency `@stoplight/prism-cli`. */
function prismBin(): string {
  const bin = prismEntry();
  if (bin) return bin;
  throw new UsageError(
    '`smswire mock` runs Prism, which is not installed: npm install @stoplight/prism-cli@5.14.2 beside @smswire/cli',
  );
}
