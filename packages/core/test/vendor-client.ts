import { createVendorRuntime, type ClientOptions, type OAuthControls, type OperationRecord } from '../src/client.js';
import type { Preparers } from '../src/prepare.js';
import type { RawClient } from '../src/transport.js';
import type { VendorDefinition } from '../src/vendor-definition.js';
import { withParts } from './helpers.js';

/**
 * A client of a hand-written definition for core's tests: a method per operation that hands its
 * record to the runtime, as a generated client's named methods do. The definition gets every
 * part a generated one may hand in.
 */
export function createVendorClient<Operations, Paths extends {}>(
  definition: VendorDefinition,
  options: ClientOptions & { credentials: Readonly<Record<string, string | undefined>> },
): Operations & { raw: RawClient<Paths>; prepare: Preparers<Operations> } & Partial<OAuthControls> {
  const runtime = createVendorRuntime<Operations, Paths>(withParts(definition), options);
  const client: Record<string, unknown> = { raw: runtime.raw, prepare: runtime.prepare };
  for (const [id, operation] of Object.entries<OperationRecord>(runtime.operations))
    client[id] = (params?: unknown, init?: Parameters<typeof runtime.call>[2]) => runtime.call(operation, params, init);
  if (runtime.revokeToken) client.revokeToken = runtime.revokeToken;
  return client as Operations & { raw: RawClient<Paths>; prepare: Preparers<Operations> } & Partial<OAuthControls>;
}
