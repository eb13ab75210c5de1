import { createVendorClient, type ClientInternals, type ClientOptions, type RawClient } from '@smswire/core';
import { definition } from './generated/definition.js';
import type { Operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export interface DinisoftOptions extends ClientOptions {
  /** API key from DiniSoft (sent as `apikey`); `sendText` and `getStatus` need it. */
  apiKey?: string | undefined;
  /** Secret key from DiniSoft (sent as `secretkey`); `sendText` and `getStatus` need it. */
  secretKey?: string | undefined;
  /** The documented plain-HTTP servers instead of HTTPS, each operation its own (default `'https'`). */
  server?: 'https' | 'http' | undefined;
}

export type DinisoftClient = Operations & { raw: RawClient<paths> };

/**
 * A DiniSoft BD client: `sendText`, `getStatus` and `smsClientBalance`.
 * Without `baseUrl` it talks to the vendor's HTTPS servers. Each operation checks its own
 * credentials when called: `smsClientBalance` needs none.
 */
export function createClient(options: DinisoftOptions, internals?: ClientInternals): DinisoftClient {
  const { apiKey, secretKey, ...rest } = options;
  return createVendorClient<Operations, paths>(definition, { ...rest, credentials: { apiKey, secretKey } }, internals);
}

export { definition, errorCatalog } from './generated/definition.js';
export type * from './generated/operations.js';
export type { paths } from './generated/schema.js';
// Every error class, so users catch them without importing core.
export * from '@smswire/core/errors';
export type { CallInit, ClientOptions } from '@smswire/core';
