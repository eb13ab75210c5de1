import { TransportError, ValidationError } from '@smswire/core';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import {
  exampleParams,
  loadVendorModule,
  operationsOf,
  sentinelCredentials,
  type AnyClient,
} from './support/clients.js';

/**
 * Every operation of every vendor is a named method of its client (issue 32): a failing call's
 * stack trace names the operation, so a user reading it, or stepping into `client.sendText` in a
 * debugger, lands in that operation's method.
 */

/** Whether a stack trace has a frame of the generated client's method named `id`. */
function framesName(stack: string | undefined, id: string): boolean {
  return new RegExp(`^\\s+at (?:Object\\.)?${id} \\(.*/src/generated/client\\.ts:`, 'm').test(stack ?? '');
}

async function failure(call: () => Promise<unknown>): Promise<Error> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`stack traces of ${vendor.id}`, async () => {
    const mod = await loadVendorModule(vendor);
    const credentials = sentinelCredentials(mod.definition);
    /** A client with the credentials `id` sends, whose `fetch` fails at once, as a refused connection can. */
    const client = (id: string) =>
      mod.createClient({
        ...Object.fromEntries(mod.definition.operations[id]!.security.map((option) => [option, credentials[option]])),
        baseUrl: 'http://127.0.0.1:9',
        maxRetries: 0,
        fetch: () => {
          throw new TypeError('fetch failed');
        },
      }) as unknown as AnyClient;

    for (const { path, op } of operationsOf(spec)) {
      const id = op.operationId as string;
      it(`${id}: a call refused by validation and one failed by the transport name it`, async () => {
        const refused = await failure(() => client(id)[id]!({}, { signal: 'soon' as unknown as AbortSignal }));
        expect(refused).toBeInstanceOf(ValidationError);
        expect(framesName(refused.stack, id), refused.stack).toBe(true);

        const failed = await failure(() => client(id)[id]!(exampleParams(spec, path)));
        expect(failed).toBeInstanceOf(TransportError);
        expect(framesName(failed.stack, id), failed.stack).toBe(true);
      });
    }
  });
}
