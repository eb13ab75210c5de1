import { VendorError } from '@smswire/core';
import { describe, expect, inject, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, replyExamples } from '../support/clients.js';

/**
 * Every operation of every spec, called through its generated client against Prism, once per
 * named reply example. Prism's request validation findings (`sl-violations`) fail the test.
 */
for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`${vendor.id} against its Prism mock`, async () => {
    const mod = await loadVendorModule(vendor);
    const violations: string[] = [];
    const client = makeClient(mod, {
      baseUrl: inject('mocks')[vendor.id] as string,
      maxRetries: 0,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const found = response.headers.get('sl-violations');
        if (found) violations.push(`${new URL(input instanceof Request ? input.url : input).pathname}: ${found}`);
        return response;
      },
    });

    for (const [path, item] of Object.entries<Spec>(spec.paths)) {
      const op = item.get as Spec;
      const reply = op['x-smswire-reply'];
      const codes: Spec = op['x-smswire-codes'] ?? {};
      for (const [name, example] of Object.entries(replyExamples(spec, op))) {
        it(`${op.operationId} → ${example.summary}`, async () => {
          violations.length = 0;
          const call = client[op.operationId]!(exampleParams(spec, path), { headers: { Prefer: `example=${name}` } });
          const expected = expectation(reply, codes, example.value);
          if (expected.error) {
            const error = await call.then(() => undefined, (e: unknown) => e);
            expect(error).toBeInstanceOf(VendorError);
            expect(error).toMatchObject({ vendor: vendor.id, operation: op.operationId, code: expected.error });
            expect((error as VendorError).description).toBe(codes[expected.error].description);
          } else {
            expect(await call).toEqual(expected.result);
          }
          expect(violations).toEqual([]);
        });
      }
    }
  });
}

/** What the client must return for an example, computed from the spec without the client's codecs. */
function expectation(reply: Spec, codes: Spec, value: unknown): { error?: string; result?: unknown } {
  if (reply.codec === 'scalar') return { result: Number(value) };
  if (reply.codec === 'json') {
    const record = value as Record<string, unknown>;
    const code = String(record[reply.status]);
    if (codes[code].outcome !== 'success') return { error: code };
    return { result: expect.objectContaining({ ...record, ...decodedFields(record) }) };
  }
  const entries = String(value).split(/[\r\n,]+/).map((e) => e.split('|'));
  const accepted = entries.filter(([code]) => codes[code!].outcome === 'success');
  if (accepted.length === 0) return { error: entries[0]![0] };
  return {
    result: {
      accepted: accepted.map(([, destination, messageId]) => ({ destination, messageId })),
      rejected: entries
        .filter(([code]) => codes[code!].outcome !== 'success')
        .map(([code, destination]) => ({
          code,
          destination: destination || undefined,
          description: codes[code!].description,
          retryable: codes[code!].retryable === true,
        })),
    },
  };
}

function decodedFields(record: Record<string, unknown>): Record<string, unknown> {
  // The only x-smswire-decode kind: epoch-ms strings become Dates.
  return Object.fromEntries(
    Object.entries(record)
      .filter(([key]) => key === 'Delivery Time')
      .map(([key, v]) => [key, new Date(Number(v))]),
  );
}
