import { createVendorClient, type CallInit, type ClientInternals, type ClientOptions, type RawClient } from '@smswire/core';
import { definition } from './generated/definition.js';
import type { Operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export interface DreamsOptions extends ClientOptions {
  /** Account username (sent as the form field `user`); every operation but `register` needs it. */
  user?: string | undefined;
  /** API secret key (sent as `secret_key`); every operation but `register` and the token calls needs it. */
  secretKey?: string | undefined;
  /** OAuth2 client ID: with `clientSecret`, every API call also carries a bearer token. */
  clientId?: string | undefined;
  /** OAuth2 client secret. */
  clientSecret?: string | undefined;
}

export type DreamsClient = Operations & {
  raw: RawClient<paths>;
  /**
   * Revokes the OAuth2 tokens the client holds (refresh, then access); the next call fetches a
   * new one. Resolves at once when the client has no OAuth2 credentials or no token yet.
   */
  revokeToken(init?: CallInit): Promise<void>;
};

/**
 * A Dreams SMS client. Every call is a POST form with `user` and `secret_key` filled in, except
 * `register` (the new account has no secret key yet) and the token operations; with `clientId`
 * and `clientSecret` it also obtains, refreshes and sends an OAuth2 bearer token.
 */
export function createClient(options: DreamsOptions, internals?: ClientInternals): DreamsClient {
  const { user, secretKey, clientId, clientSecret, ...rest } = options;
  const client = createVendorClient<Operations, paths>(definition, { ...rest, credentials: { user, secretKey, clientId, clientSecret } }, internals);
  return { revokeToken: async () => undefined, ...client } as DreamsClient;
}

export { definition, errorCatalog } from './generated/definition.js';
export type * from './generated/operations.js';
export type { paths } from './generated/schema.js';
// Every error class, so users catch them without importing core.
export * from '@smswire/core/errors';
export type { CallInit, ClientOptions, CodeResult } from '@smswire/core';
