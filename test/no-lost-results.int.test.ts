import type { FetchLike } from '@smswire/core';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from './support/clients.js';
import { idReply, successReply } from './support/replies.js';

/**
 * A vendor answering through the client's `fetch` seam: request `n` gets `reply(n)` after a
 * little jitter, so replies come back out of order. What is under test is the client's
 * bookkeeping of a thousand calls in flight, not the loopback network (test/faults.int.test.ts
 * drives the transport over real sockets).
 */
function standIn(reply: (n: number) => string, type: string) {
  let served = 0;
  const fetch: FetchLike = async () => {
    const n = ++served;
    await new Promise((resolve) => setTimeout(resolve, n % 7));
    return new Response(reply(n), { headers: { 'content-type': type } });
  };
  return { fetch, served: () => served };
}

const types: Record<string, string> = { json: 'application/json', xml: 'application/xml' };

const calls = 1000;

/**
 * Every send of every vendor, and every other operation that declares where its result keeps a
 * message ID (`x-smswire-message-id`, which the generator requires of each send).
 */
describe.each(listVendors())('$id loses no result', (vendor) => {
  const spec = loadSpec(vendor);
  const tested = operationsOf(spec).filter(
    ({ op }) => op['x-smswire-kind'] === 'send' || op['x-smswire-message-id'] !== undefined,
  );

  it('has sends, each declaring its message ID', () => {
    expect(tested.some(({ op }) => op['x-smswire-kind'] === 'send')).toBe(true);
    for (const { op } of tested) expect(op['x-smswire-message-id'], op.operationId).toBeTypeOf('string');
  });

  it.each(tested.map(({ path, op }) => ({ path, op, id: op.operationId as string })))(
    `${calls.toLocaleString('en')} concurrent $id calls each resolve once, to their own message IDs where there are any`,
    async ({ path, op, id }) => {
      const ids = idReply(spec, op);
      const { body } = successReply(spec, op);
      const server = standIn(ids ? ids.withIds : () => body, types[op['x-smswire-reply'].codec] ?? 'text/plain');
      const client = makeClient(await loadVendorModule(vendor), {
        baseUrl: 'https://vendor.test',
        fetch: server.fetch,
        maxRetries: 0,
      });
      const params = exampleParams(spec, path);
      const results = await Promise.all(Array.from({ length: calls }, () => client[id]!(params)));
      expect(server.served()).toBe(calls);
      if (!ids) {
        // The vendor returns no ID (Dreams: `Result: Success`, dreams.txt L205): every call still
        // resolves, each to the success it was sent.
        expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
        return;
      }
      const perReply = ids.idsOf(results[0]).length;
      const all = results.flatMap((r) => ids.idsOf(r));
      expect(perReply).toBeGreaterThan(0);
      expect(all.every((v) => /^[0-9]+$/.test(v))).toBe(true);
      expect(new Set(all).size).toBe(calls * perReply);
    },
  );
});
