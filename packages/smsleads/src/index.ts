import { createVendorClient, type ClientInternals, type ClientOptions, type RawClient } from '@smswire/core';
import { definition } from './generated/definition.js';
import type { Operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export interface SmsLeadsOptions extends ClientOptions {
  /** The API token from smsleads.co.il/getApiToken (sent as `Authorization: Bearer`). */
  token: string;
  /** The account's username, written into every command's `<user><username>`. */
  username: string;
}

export type SmsLeadsClient = Operations & { raw: RawClient<paths> };

/**
 * An SMS Leads client: every command is one method that posts its XML body to the API's one
 * URL, with the username and the token filled in, and decodes the XML reply. A status other
 * than 0 throws a VendorError from the catalog.
 */
export function createClient(options: SmsLeadsOptions, internals?: ClientInternals): SmsLeadsClient {
  const { token, username, ...rest } = options;
  return createVendorClient<Operations, paths>(definition, { ...rest, credentials: { token, username } }, internals);
}

export { definition, errorCatalog } from './generated/definition.js';
export type * from './generated/operations.js';
export type { paths } from './generated/schema.js';
// Every error class, so users catch them without importing core.
export * from '@smswire/core/errors';
export type { CallInit, ClientOptions } from '@smswire/core';
