import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from './support/clients.js';
import { idReply, successReply } from './support/replies.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let reply: (n: number) => string;
let served = 0;
beforeAll(async () => {
  server = await startServer((_, res) => {
    const n = ++served;
    // A little jitter, so replies come back out of order.
    setTimeout(() => res.end(reply(n)), n % 7);
  });
});
afterAll(() => server.close());

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
      reply = ids ? ids.withIds : () => body;
      served = 0;
      const client = makeClient(await loadVendorModule(vendor), { baseUrl: server.url, maxRetries: 0 });
      const params = exampleParams(spec, path);
      const results = await Promise.all(Array.from({ length: calls }, () => client[id]!(params)));
      expect(served).toBe(calls);
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
