import { readFileSync } from 'node:fs';
import { prismEntry, serveMock } from '../../packages/cli/src/prism.js';
import { buildDefinition } from '../codegen/build-definition.js';
import { loadSpec, type Vendor } from './vendors.js';

export { freePort } from '../../packages/cli/src/prism.js';

export interface RunningMock {
  vendor: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * The repository's spec of `vendor` on Prism, by the same code `smswire mock` serves a shipped
 * spec with (packages/cli/src/mock.ts): `pnpm mock`, the demo and the contract tests.
 */
// Generous: five Prisms start at once, and on a busy 2-core machine each can take tens of seconds.
export async function startMock(vendor: Vendor, port?: number, timeoutMs = 120_000): Promise<RunningMock> {
  const yaml = readFileSync(vendor.specPath, 'utf8');
  const { definition } = buildDefinition(vendor.id, loadSpec(vendor));
  const mock = await serveMock({ vendor: vendor.id, yaml, definition, prism: prismEntry()! }, port, timeoutMs);
  return { vendor: vendor.id, ...mock };
}
