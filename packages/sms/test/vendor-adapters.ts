import type { FetchLike } from '@smswire/core';
import { VendorError } from '@smswire/core/errors';
import type { Spec, Vendor } from '../../../scripts/lib/vendors.js';
import { loadVendorModule, sentinelCredentials } from '../../../test/support/clients.js';
import type { Adapter } from '../src/adapter.js';
import { classify } from '../src/classify.js';

type Factory = (options: Record<string, unknown>) => Adapter;

/** A vendor that is down, for an adapter a test does not send through. */
const down: FetchLike = async () => new Response('', { status: 503 });

/** The vendor's adapter (`@smswire/sms/<id>`), with sentinel credentials and the given fetch, retrying nothing. */
export async function adapterOf(vendor: Vendor, fetch = down, baseUrl = 'http://127.0.0.1:9'): Promise<Adapter> {
  const module = (await import(`../src/${vendor.id}.ts`)) as Record<string, Factory>;
  const { definition } = await loadVendorModule(vendor);
  return module[vendor.id]!({ ...sentinelCredentials(definition, false), baseUrl, fetch, maxRetries: 0, from: 'ACME' });
}

/**
 * What `@smswire/sms` makes of `code` in a reply to `operation`: the VendorError the client throws
 * for it (described as its catalog `entry` says, or as a code the catalog does not list), classified.
 */
export function meaningOf(adapter: Adapter, operation: string, code: string, entry?: Spec) {
  const error = new VendorError({
    vendor: adapter.vendor,
    operation,
    code,
    description: entry?.description ?? '',
    retryable: entry?.retryable === true,
  });
  const { outcome, reason } = classify(adapter, operation, error);
  return { outcome, reason };
}
