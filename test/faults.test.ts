import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, ParseError, TimeoutError, TransportError, type FetchLike } from '@smswire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from './support/clients.js';
import { successReply } from './support/replies.js';
import { refusedUrl, startServer, type TestServer } from './support/server.js';

type Handler = (req: IncomingMessage, res: ServerResponse, ok: SuccessBodies) => void;
interface SuccessBodies {
  truncated: string;
}

/**
 * Each fault, the error it must become, and how many attempts a read and a send may make with
 * `maxRetries: 2`. A send is repeated only when the request provably never left (refused).
 */
const faults: { name: string; handler?: Handler; error: new (...args: never[]) => Error; read: number; write: number }[] = [
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
  { name: '429 with Retry-After', handler: (_, res) => res.writeHead(429, { 'retry-after': '1' }).end(), error: HttpError, read: 3, write: 1 },
  { name: '500', handler: (_, res) => res.writeHead(500).end('oops'), error: HttpError, read: 3, write: 1 },
  { name: '502', handler: (_, res) => res.writeHead(502).end('<html>Bad gateway</html>'), error: HttpError, read: 3, write: 1 },
  { name: '503', handler: (_, res) => res.writeHead(503).end(), error: HttpError, read: 3, write: 1 },
  {
    name: 'a maintenance page with the wrong content type',
    handler: (_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Maintenance</title>'),
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
        else res.once('drain', () => (sent++, pump()));
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
  return ['read', 'write'].flatMap((kind) => all.filter((o) => o.op['x-smswire-kind'] === kind).slice(0, 1));
}

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`${vendor.id} under faults`, async () => {
    const mod = await loadVendorModule(vendor);
    for (const { path, op } of sampleOperations(spec)) {
      const kind = op['x-smswire-kind'] as 'read' | 'write';
      it.each(faults)(`${op.operationId} (${kind}): $name`, async (fault) => {
        const ok = successReply(spec, op);
        current = fault.handler ? { handler: fault.handler, ok } : undefined;
        let attempts = 0;
        const delays: number[] = [];
        const counting: FetchLike = (request, init) => (attempts++, fetch(request, init));
        const client = makeClient(
          mod,
          // A short deadline only where the stall is the fault: elsewhere a busy CI machine must
          // not turn a prompt reply into a timeout.
          { baseUrl: fault.handler ? url : deadUrl, fetch: counting, maxRetries: 2, timeoutMs: fault.error === TimeoutError ? 150 : 10_000 },
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
