import type { IncomingMessage, ServerResponse } from 'node:http';
import { AbortError, HttpError, ParseError, TimeoutError, TransportError, type FetchLike } from '@smswire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from './support/clients.js';
import { successReply } from './support/replies.js';
import { refusedUrl, startServer, type TestServer } from './support/server.js';
import { heldBy } from './support/signals.js';

type Handler = (req: IncomingMessage, res: ServerResponse, ok: SuccessBodies) => void;
interface SuccessBodies {
  truncated: string;
}

/**
 * Each fault, the error it must become, and how many attempts a read and a send may make with
 * `maxRetries: 2`. A send is repeated only when the request provably never left (refused).
 */
const faults: {
  name: string;
  handler?: Handler;
  error: new (...args: never[]) => Error;
  read: number;
  write: number;
}[] = [
  { name: 'connection refused', error: TransportError, read: 3, write: 3 },
  { name: 'reset before the reply', handler: (req) => req.socket.destroy(), error: TransportError, read: 3, write: 1 },
  {
    name: 'reset mid-body',
    handler: (req, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('1701|9198');
      setTimeout(() => req.socket.destroy(), 10);
    },
    error: TransportError,
    read: 3,
    write: 1,
  },
  { name: 'headers that never come', handler: () => undefined, error: TimeoutError, read: 3, write: 1 },
  {
    name: '429 with Retry-After',
    handler: (_, res) => res.writeHead(429, { 'retry-after': '1' }).end(),
    error: HttpError,
    read: 3,
    write: 1,
  },
  { name: '500', handler: (_, res) => res.writeHead(500).end('oops'), error: HttpError, read: 3, write: 1 },
  {
    name: '502',
    handler: (_, res) => res.writeHead(502).end('<html>Bad gateway</html>'),
    error: HttpError,
    read: 3,
    write: 1,
  },
  { name: '503', handler: (_, res) => res.writeHead(503).end(), error: HttpError, read: 3, write: 1 },
  {
    name: 'a maintenance page with the wrong content type',
    handler: (_, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Maintenance</title>'),
    error: ParseError,
    read: 1,
    write: 1,
  },
  { name: 'an empty body', handler: (_, res) => res.end(), error: ParseError, read: 1, write: 1 },
  { name: 'a truncated reply', handler: (_, res, ok) => res.end(ok.truncated), error: ParseError, read: 1, write: 1 },
  {
    name: 'a 20 MB body',
    handler: (_, res) => {
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent >= 20) res.end();
        else
          res.once('drain', () => {
            sent++;
            pump();
          });
      };
      pump();
    },
    error: ParseError,
    read: 1,
    write: 1,
  },
];

let server: TestServer;
let url: string;
let deadUrl: string;
let current: { handler: Handler; ok: SuccessBodies } | undefined;
beforeAll(async () => {
  server = await startServer((req, res) => current?.handler(req, res, current.ok));
  url = server.url;
  deadUrl = await refusedUrl();
});
afterAll(() => server.close());

/** The first read and the first send of a spec (a vendor may have no read). */
function sampleOperations(spec: Spec): { path: string; op: Spec }[] {
  const all = operationsOf(spec);
  return ['read', 'send'].flatMap((kind) => all.filter((o) => o.op['x-smswire-kind'] === kind).slice(0, 1));
}

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`${vendor.id} under faults`, async () => {
    const mod = await loadVendorModule(vendor);
    for (const { path, op } of sampleOperations(spec)) {
      // A send is a write to the retry policy.
      const kind = op['x-smswire-kind'] === 'read' ? 'read' : 'write';
      it.each(faults)(`${op.operationId} (${kind}): $name`, async (fault) => {
        const ok = successReply(spec, op);
        current = fault.handler ? { handler: fault.handler, ok } : undefined;
        let attempts = 0;
        const delays: number[] = [];
        const counting: FetchLike = (request, init) => {
          attempts++;
          return fetch(request, init);
        };
        const client = makeClient(
          mod,
          // A short deadline only where the stall is the fault: elsewhere a busy CI machine must
          // not turn a prompt reply into a timeout.
          {
            baseUrl: fault.handler ? url : deadUrl,
            fetch: counting,
            maxRetries: 2,
            timeoutMs: fault.error === TimeoutError ? 40 : 10_000,
          },
          { sleep: async (ms) => void delays.push(ms) },
        );
        const error = await client[op.operationId]!(exampleParams(spec, path)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(fault.error);
        expect(attempts).toBe(fault[kind]);
        if (fault.name.startsWith('429') && kind === 'read') expect(delays).toEqual([1000, 1000]);
        if (fault.name === 'a 20 MB body') expect(String(error)).toContain('maxReplyBytes');
      });
    }
  });
}

/**
 * Reply classes for every operation of every vendor, not a sample: each decodes a documented
 * success reply. Decoding is synchronous, so what a reply may cost is bounded by the default
 * maxReplyBytes (256 KiB) and the structure it allows (a tag or JSON value per 16 bytes of it,
 * nesting 64 deep); a declared charset is decoded (these vendors run PHP stacks that declare
 * ISO-8859-7 or windows-1255); and a long-lived caller signal is left as it was found.
 */
const defaultCap = 256 * 1024;
const count = (body: string, marks: string[]) => marks.reduce((sum, mark) => sum + body.split(mark).length - 1, 0);

/** The success body with structure added until it holds `total` tags or values (XML and JSON only). */
function withStructure(op: Spec, body: string, total: number): string {
  if (op['x-smswire-reply'].codec === 'json') {
    // A comma and a bracket, then one comma per value after the first.
    const values = total - count(body, [',', '[', '{']) - 1;
    return body.replace(/}\s*$/, `,"pad":[${Array(values).fill(0).join(',')}]}`);
  }
  const missing = total - count(body, ['<', '/>']);
  // The count is of marks in the text, so a comment full of `<` reaches it without adding an
  // element the reply's shape would have to take (a list of any-named children, a rootless reply).
  const pad = `<!--${'<'.repeat(missing - 1)}-->`;
  // Inside the root element, or before the first element of a reply without one.
  const rootless = (op['x-smswire-xml-tolerate'] ?? []).includes('rootless');
  return body.replace(
    rootless ? /^(\s*<\?xml[^>]*\?>)?\s*/ : /^(\s*<\?xml[^>]*\?>)?\s*<[^>]*>/,
    (start) => start + pad,
  );
}

const mediaType: Record<string, string> = { json: 'application/json', xml: 'application/xml' };

/**
 * The reply classes are about decoding, so they answer through the client's `fetch` seam, as an
 * HTTP server would (with a Content-Length): no socket per call. No `reply` stalls the call
 * until it is aborted, as fetch does.
 */
let reply: { body: string | Buffer; type: string } | undefined;
const answering: FetchLike = async (_, init) => {
  if (!reply) {
    const signal = init?.signal;
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
  const { body, type } = reply;
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: { 'content-type': type, 'content-length': String(Buffer.byteLength(body)) },
  });
};

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`${vendor.id}: every operation's replies`, async () => {
    const mod = await loadVendorModule(vendor);
    for (const { path, op } of operationsOf(spec)) {
      const codec = op['x-smswire-reply'].codec as string;
      const type = mediaType[codec] ?? 'text/plain';
      const ok = successReply(spec, op);
      // A list the vendor hands over whole has its own, larger budget; the structural limits grow with it.
      const cap = Math.max(defaultCap, op['x-smswire-reply-budget'] ?? 0);
      const maxStructure = cap / 16;
      // Decoding tens of MiB is the point of a budget: seconds, more on a loaded machine.
      const decodeTimeout = cap > defaultCap ? 180_000 : undefined;
      const params = exampleParams(spec, path);
      // The OAuth2 endpoints need the client credentials; any other call goes without a token.
      const client = (options: { signal?: AbortSignal } = {}) =>
        makeClient(mod, { baseUrl: 'https://vendor.test', fetch: answering, maxRetries: 0 }, undefined, {
          optional: op['x-smswire-oauth'] !== undefined,
        })[op.operationId]!(params, options);
      const answer = async (body: string | Buffer, contentType = type, options?: { signal?: AbortSignal }) => {
        reply = { body, type: contentType };
        return client(options).catch((e: unknown) => e);
      };

      it(`${op.operationId}: decodes the charset the reply declares, and refuses one it cannot`, async () => {
        const plain = await answer(ok.body);
        expect(plain).not.toBeInstanceOf(Error);
        expect(await answer(Buffer.from(ok.body, 'utf16le'), `${type}; charset=utf-16le`)).toEqual(plain);
        expect(await answer(ok.body, `${type}; charset=x-unknown-7`)).toBeInstanceOf(ParseError);
      });

      it(
        `${op.operationId}: reads a reply of its maxReplyBytes, and refuses a longer one, naming the option`,
        async () => {
          const plain = await answer(ok.body);
          const padded = (bytes: number) => ok.body + ' '.repeat(bytes - Buffer.byteLength(ok.body));
          expect(await answer(padded(cap))).toEqual(plain);
          const error = await answer(padded(cap + 1));
          expect(error).toBeInstanceOf(ParseError);
          expect(String(error)).toContain(`maxReplyBytes (${cap}); a larger maxReplyBytes option reads it`);
        },
        decodeTimeout,
      );

      if (codec === 'json' || codec === 'xml') {
        it(
          `${op.operationId}: reads a reply at the structural limits, and refuses one past them`,
          async () => {
            const plain = (await answer(ok.body)) as Record<string, unknown>;
            expect(await answer(withStructure(op, ok.body, maxStructure))).toMatchObject(plain);
            const error = await answer(withStructure(op, ok.body, maxStructure + 1));
            expect(error).toBeInstanceOf(ParseError);
            // A reply that may carry a new secret is never quoted, not even in the reason.
            const withheld =
              op['x-smswire-secret-reply'] === true || ['token', 'refresh'].includes(op['x-smswire-oauth']);
            expect(String(error)).toMatch(
              withheld ? /withheld/ : new RegExp(`more than ${maxStructure} (tags|values); a larger maxReplyBytes`),
            );
            if (codec === 'json') {
              const nested = (depth: number) =>
                ok.body.replace(/}\s*$/, `,"pad":${'['.repeat(depth)}${']'.repeat(depth)}}`);
              expect(await answer(nested(63))).toMatchObject(plain);
              expect(await answer(nested(64))).toBeInstanceOf(ParseError);
            }
          },
          decodeTimeout,
        );
      }

      it(`${op.operationId}: a logger that throws changes nothing: the reply is read as without one`, async () => {
        const plain = await answer(ok.body);
        const broken = () => {
          throw new Error('log sink down');
        };
        reply = { body: ok.body, type };
        const logged = await makeClient(
          mod,
          {
            baseUrl: 'https://vendor.test',
            fetch: answering,
            maxRetries: 0,
            logger: { debug: broken, info: broken, warn: broken, error: broken },
          },
          undefined,
          { optional: op['x-smswire-oauth'] !== undefined },
        )[op.operationId]!(params).catch((e: unknown) => e);
        expect(logged).toEqual(plain);
      });

      it(`${op.operationId}: leaves a long-lived signal as it found it, and still aborts on it`, async () => {
        const shutdown = new AbortController();
        for (let i = 0; i < 20; i++)
          expect(await answer(ok.body, type, { signal: shutdown.signal })).not.toBeInstanceOf(Error);
        expect(heldBy(shutdown.signal)).toBe(0);
        reply = undefined;
        const stalled = client({ signal: shutdown.signal }).catch((e: unknown) => e);
        setTimeout(() => shutdown.abort(), 20);
        expect(await stalled).toBeInstanceOf(AbortError);
        expect(heldBy(shutdown.signal)).toBe(0);
      });
    }
  });
}
