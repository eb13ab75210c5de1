import { createVendorClient, type ClientInternals, type ClientOptions, type RawClient } from '@smswire/core';
import { definition } from './generated/definition.js';
import type { Operations } from './generated/operations.js';
import type { paths } from './generated/schema.js';

export interface Sms365Options extends ClientOptions {
  /**
   * The account's API key (sent as the form field `key`). Every operation needs it but
   * `mobileCheck`, and `keyGet`/`keyReset` when they are given the account's login instead.
   */
  key?: string | undefined;
}

export type Sms365Client = Operations & { raw: RawClient<paths> };

/**
 * An sms365.gr client: every v3 endpoint as a POST form with `key` filled in. Each method takes
 * `type: 'xml'` to have the reply sent as XML; it decodes to the same typed result as JSON.
 */
export function createClient(options: Sms365Options, internals?: ClientInternals): Sms365Client {
  const { key, ...rest } = options;
  return createVendorClient<Operations, paths>(definition, { ...rest, credentials: { key } }, internals);
}

export { parseDeliveryReport, type DeliveryReport } from './callback.js';
export { definition, errorCatalog } from './generated/definition.js';
export type * from './generated/operations.js';
export type { paths } from './generated/schema.js';
// Every error class, so users catch them without importing core.
export * from '@smswire/core/errors';
export type { CallInit, ClientOptions } from '@smswire/core';
