import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from './support/clients.js';
import { successReply, type SuccessReply } from './support/replies.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let reply: SuccessReply | undefined;
let served = 0;
beforeAll(async () => {
  server = await startServer((_, res) => {
    const n = ++served;
    // A little jitter, so replies come back out of order.
    setTimeout(() => res.end(reply!.withId(`msg-${n}`)), n % 7);
  });
});
afterAll(() => server.close());

/** Writes whose success reply carries a message ID (Dreams' sends answer only `Result: Success`). */
const sendsWithIds = (spec: Spec) =>
  operationsOf(spec).filter(({ op }) => op['x-smswire-kind'] === 'write' && successReply(spec, op).carriesId);

describe.each(listVendors().filter((vendor) => sendsWithIds(loadSpec(vendor)).length > 0))(
  '$id loses no result',
  (vendor) => {
    const spec = loadSpec(vendor);
    const sends = sendsWithIds(spec);

    it.each(sends.map(({ path, op }) => ({ path, op, id: op.operationId as string })))(
      '1,000 concurrent $id calls resolve to 1,000 distinct message IDs',
      async ({ path, op, id }) => {
        reply = successReply(spec, op);
        served = 0;
        const client = makeClient(await loadVendorModule(vendor), { baseUrl: server.url, maxRetries: 0 });
        const params = exampleParams(spec, path);
        const results = await Promise.all(Array.from({ length: 1000 }, () => client[id]!(params)));
        const ids = new Set(results.map((r) => reply!.idOf(r)));
        expect(served).toBe(1000);
        expect(ids.size).toBe(1000);
        expect(ids.has(undefined)).toBe(false);
      },
    );
  },
);
