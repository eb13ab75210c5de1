import { inspect } from 'node:util';
import { SmswireError } from '@smswire/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../scripts/lib/vendors.js';
import { refusedUrl, startServer, type TestServer } from './support/server.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf, sentinelCredentials } from './support/clients.js';
import { errorReply } from './support/replies.js';

type Mode = 'vendor' | 'parse' | 'http' | 'reset' | 'timeout';

/** Replies per mode; every body echoes the request URL, raw and decoded, to tempt a leak. */
let server: TestServer;
let url: string;
let deadUrl: string;
let replies: Record<string, string> = {};
beforeAll(async () => {
  server = await startServer((req, res) => {
    const mode = req.headers['x-mode'] as Mode;
    const echo = `${req.url} ${decodeURIComponent(req.url ?? '')}`;
    if (mode === 'timeout') return;
    if (mode === 'reset') return void req.socket.destroy();
    if (mode === 'http') return void res.writeHead(500).end(`error at ${echo}`);
    if (mode === 'parse') return void res.end(`<html>${echo}</html>`);
    res.end(replies[new URL(req.url ?? '/', 'http://x').pathname]);
  });
  url = server.url;
  deadUrl = await refusedUrl();
});
afterAll(() => server.close());

describe.each(listVendors())('no credential of $id leaks', (vendor) => {
  it('from any error of any operation, or into any output', async () => {
    const spec = loadSpec(vendor);
    const mod = await loadVendorModule(vendor);
    const secrets = Object.values(sentinelCredentials(mod.definition));
    const forms = secrets.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]);
    const output: string[] = [];
    const capture = (chunk: unknown) => (output.push(String(chunk)), true);
    const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    const errors: unknown[] = [];
    try {
      for (const { path, op } of operationsOf(spec)) {
        const params = exampleParams(spec, path);
        const body = errorReply(spec, op);
        // The server sees the path without its `#command` fragment.
        if (body) replies[path.replace(/#.*/, '')] = body;
        const modes: Mode[] = body ? ['vendor', 'parse', 'http', 'reset', 'timeout'] : ['parse', 'http', 'reset', 'timeout'];
        for (const mode of modes) {
          // Only the stalled reply gets a short deadline; the others must not time out on a busy machine.
          const client = makeClient(mod, { baseUrl: url, maxRetries: 0, timeoutMs: mode === 'timeout' ? 100 : 10_000 }, undefined, { optional: true });
          errors.push(await client[op.operationId]!(params, { headers: { 'x-mode': mode } }).catch((e: unknown) => e));
        }
        errors.push(await makeClient(mod, { baseUrl: deadUrl, maxRetries: 0 }, undefined, { optional: true })[op.operationId]!(params).catch((e: unknown) => e));
        errors.push(await makeClient(mod, { baseUrl: url }, undefined, { optional: true })[op.operationId]!({ ...params, bogus: 1 }).catch((e: unknown) => e));
      }
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      replies = {};
    }
    expect(errors.map((e) => (e as Error).name)).toEqual(expect.arrayContaining(['VendorError', 'ParseError', 'HttpError', 'TransportError', 'TimeoutError', 'ValidationError']));
    for (const error of errors) {
      expect(error).toBeInstanceOf(SmswireError);
      const views = [String(error), (error as Error).message, (error as Error).stack, JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })];
      for (const view of [...views, ...output]) for (const form of forms) expect(view).not.toContain(form);
    }
  });
});
