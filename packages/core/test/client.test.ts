import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoSecrets } from '../../../test/support/secrets.js';
import { withInternals, type ClientInternals, type ClientOptions } from '../src/client.js';
import { createVendorClient } from './vendor-client.js';
import type { CallInit } from '../src/transport.js';
import type { VendorDefinition } from '../src/vendor-definition.js';
import {
  AbortError,
  HttpError,
  ParseError,
  SmswireError,
  TimeoutError,
  TransportError,
  ValidationError,
  VendorError,
} from '../src/errors.js';
import type { PipeResult } from '../src/codecs/index.js';
import { refusedUrl, startServer, type TestServer } from '../../../test/support/server.js';
import { heldBy } from '../../../test/support/signals.js';

const codes = {
  '1701': { outcome: 'success', description: 'Success' },
  '1702': { outcome: 'error', description: 'Invalid URL' },
  '1709': { outcome: 'error', description: 'User validation failed', retryable: true },
} as const;

const definition: VendorDefinition = {
  vendor: 'acme',
  servers: ['https://api.acme.test:7790'],
  credentials: { user: { in: 'query', name: 'username' }, pass: { in: 'query', name: 'password' } },
  operations: {
    send: {
      method: 'get',
      path: '/send',
      kind: 'write',
      security: ['user', 'pass'],
      params: { to: { in: 'query', required: true, schema: { type: 'string', minLength: 1 } } },
      reply: { codec: 'pipe' },
      codes,
    },
    balance: {
      method: 'get',
      path: '/balance',
      kind: 'read',
      servers: ['https://billing.acme.test'],
      security: [],
      params: {},
      reply: { codec: 'scalar' },
      codes: {},
    },
  },
};

interface Acme {
  send(params: { to: string }, init?: CallInit): Promise<PipeResult>;
  balance(params?: Record<string, never>, init?: CallInit): Promise<number>;
}

const secrets = { user: 'SENTINEL-user', pass: 'SENTINEL-p@ss w&rd' };
const delays: number[] = [];
const internals: ClientInternals = {
  sleep: async (ms) => {
    delays.push(ms);
  },
  random: () => 0.5,
};
const acme = (options: ClientOptions) =>
  createVendorClient<Acme, object>(definition, withInternals({ ...options, credentials: secrets }, internals));

let server: TestServer | undefined;
afterEach(async () => {
  delays.length = 0;
  await server?.close();
  server = undefined;
});

describe('vendor client runtime', () => {
  it('injects credentials into the query of operations that need them only', async () => {
    server = await startServer((req, res) => res.end(req.url?.startsWith('/send') ? '1701|911|m1' : '12.5'));
    const client = acme({ baseUrl: server.url });
    expect(await client.send({ to: '911' })).toEqual({
      accepted: [{ destination: '911', messageId: 'm1' }],
      rejected: [],
    });
    expect(await client.balance()).toBe(12.5);
    expect(server.requests).toEqual([
      `/send?to=911&username=SENTINEL-user&password=${encodeURIComponent(secrets.pass)}`,
      '/balance',
    ]);
  });

  it('uses the operation server, else the vendor server, when no baseUrl is given', async () => {
    const seen: string[] = [];
    const client = acme({
      fetch: async (input) => {
        seen.push(new URL(String(input)).origin);
        return new Response('1701|1|a');
      },
    });
    await client.send({ to: '1' });
    await client.balance().catch(() => undefined);
    expect(seen).toEqual(['https://api.acme.test:7790', 'https://billing.acme.test']);
  });

  it('validates before sending anything', async () => {
    server = await startServer((_, res) => res.end('1701|911|m1'));
    const client = acme({ baseUrl: server.url });
    await expect(client.send({ to: '' })).rejects.toThrow(ValidationError);
    await expect(client.send({} as { to: string })).rejects.toMatchObject({
      issues: [{ path: 'to', message: 'is required' }],
    });
    expect(server.requests).toEqual([]);
  });

  it('refuses bad options at construction; a missing credential only when an operation needs it', async () => {
    // Credentials are per operation: creating a client without one is fine, calling what needs it is not.
    const partial = createVendorClient(definition, {
      credentials: { user: 'u' },
      baseUrl: 'http://127.0.0.1:9',
    }) as Record<string, (p?: unknown) => Promise<unknown>>;
    const error = await partial.send!({ to: '1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(String(error)).toMatch(/: pass is required by send \(a createClient option\)/);
    expect(() => createVendorClient(definition, { credentials: { user: 'u', pass: '' } })).toThrow(
      /pass must be a non-empty string/,
    );
    expect(() =>
      createVendorClient({ ...definition, servers: ['http://{server}:{port}'] }, { credentials: secrets }),
    ).toThrow(/baseUrl is required/);
    expect(() => acme({ baseUrl: 'ftp://x' })).toThrow(ValidationError);
    expect(() => acme({ timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => acme({ maxRetries: -1 })).toThrow(/maxRetries/);
  });

  it('retries a read on 503 with backoff, then succeeds', async () => {
    server = await startServer((_, res, n) => (n < 3 ? res.writeHead(503).end('busy') : res.end('7')));
    expect(await acme({ baseUrl: server.url }).balance()).toBe(7);
    expect(server.requests).toHaveLength(3);
    expect(delays).toEqual([125, 250]);
  });

  it('honours Retry-After on a read', async () => {
    server = await startServer((_, res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '2' }).end() : res.end('7'),
    );
    expect(await acme({ baseUrl: server.url }).balance()).toBe(7);
    expect(delays).toEqual([2000]);
  });

  it('gives up after maxRetries', async () => {
    server = await startServer((_, res) => res.writeHead(502).end());
    await expect(acme({ baseUrl: server.url, maxRetries: 4 }).balance()).rejects.toMatchObject({
      name: 'HttpError',
      status: 502,
    });
    expect(server.requests).toHaveLength(5);
  });

  it.each([
    ['503', (res: import('node:http').ServerResponse) => res.writeHead(503).end(), HttpError],
    ['429', (res: import('node:http').ServerResponse) => res.writeHead(429, { 'retry-after': '1' }).end(), HttpError],
    [
      'a reset after the request was written',
      (res: import('node:http').ServerResponse) => res.socket?.destroy(),
      TransportError,
    ],
  ])('sends exactly once on %s', async (_, reply, type) => {
    server = await startServer((_, res) => reply(res));
    const error = await acme({ baseUrl: server.url })
      .send({ to: '911' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(server.requests).toHaveLength(1);
    expectNoSecrets(error, Object.values(secrets));
  });

  it('sends exactly once on a timeout, and says so with a TimeoutError', async () => {
    server = await startServer(() => undefined);
    const error = await acme({ baseUrl: server.url, timeoutMs: 100 })
      .send({ to: '911' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a read on a timeout', async () => {
    server = await startServer((_, res, n) => (n === 1 ? undefined : res.end('3')));
    expect(await acme({ baseUrl: server.url, timeoutMs: 500 }).balance()).toBe(3);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a reply whose body never finishes', async () => {
    server = await startServer((_, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('1701|');
    });
    await expect(acme({ baseUrl: server.url, timeoutMs: 150, maxRetries: 0 }).balance()).rejects.toThrow(TimeoutError);
  });

  it('abandons a reply over maxReplyBytes, declared or streamed, without retrying', async () => {
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/balance')) res.writeHead(200, { 'content-length': '50000000' }).write('1');
      else res.end('1701|911|'.padEnd(5000, 'x'));
    });
    const client = acme({ baseUrl: server.url, maxReplyBytes: 1000 });
    await expect(client.balance()).rejects.toThrow(/maxReplyBytes \(1000\)/);
    await expect(client.send({ to: '911' })).rejects.toThrow(/maxReplyBytes \(1000\)/);
    expect(server.requests).toHaveLength(2);
  });

  it('never follows a redirect: one request, an HttpError, nothing sent to the new location', async () => {
    const elsewhere = await startServer((_, res) => res.end('1701|911|x'));
    server = await startServer((_, res) => res.writeHead(302, { location: `${elsewhere.url}/send` }).end());
    try {
      const error = await acme({ baseUrl: server.url })
        .send({ to: '911' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'HttpError', status: 302 });
      expect(server.requests).toHaveLength(1);
      expect(elsewhere.requests).toHaveLength(0);
      const refused = await refusedUrl();
      server.requests.length = 0;
      const second = await startServer((_, res) => res.writeHead(307, { location: `${refused}/send` }).end());
      await expect(acme({ baseUrl: second.url }).send({ to: '911' })).rejects.toMatchObject({ status: 307 });
      expect(second.requests).toHaveLength(1);
      await second.close();
    } finally {
      await elsewhere.close();
    }
  });

  it('caps a compressed reply by what it expands to', async () => {
    const zipped = gzipSync(Buffer.alloc(5_000_000, '7'));
    server = await startServer((_, res) =>
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': zipped.length }).end(zipped),
    );
    await expect(acme({ baseUrl: server.url, maxReplyBytes: 100_000, maxRetries: 0 }).balance()).rejects.toThrow(
      /maxReplyBytes/,
    );
  });

  it('turns a reply nested too deep to walk into a ParseError or a result, never a crash', async () => {
    const depth = 200_000;
    server = await startServer((_, res) => res.end(`${'['.repeat(depth)}${']'.repeat(depth)}`));
    await expect(acme({ baseUrl: server.url, maxRetries: 0 }).balance()).rejects.toThrow(ParseError);
  });

  it('retries a send when the vendor code says it is safe (1709)', async () => {
    server = await startServer((_, res, n) => res.end(n === 1 ? '1709' : '1701|911|m2'));
    expect((await acme({ baseUrl: server.url }).send({ to: '911' })).accepted).toEqual([
      { destination: '911', messageId: 'm2' },
    ]);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a send whose refusal is final', async () => {
    server = await startServer((_, res) => res.end('1702'));
    await expect(acme({ baseUrl: server.url }).send({ to: '911' })).rejects.toMatchObject({
      code: '1702',
      retryable: false,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a send that was refused before connecting, and reports it as not sent', async () => {
    const error = (await acme({ baseUrl: await refusedUrl(), maxRetries: 2 })
      .send({ to: '911' })
      .catch((e: unknown) => e)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', sent: false });
    expect(delays).toHaveLength(2);
    expectNoSecrets(error, Object.values(secrets));
  });

  it('stops on the caller’s abort, during a request and during backoff', async () => {
    server = await startServer(() => undefined);
    const controller = new AbortController();
    const pending = acme({ baseUrl: server.url }).balance(undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(AbortError);

    const sleeping = createVendorClient<Acme, object>(definition, {
      baseUrl: server.url,
      timeoutMs: 20,
      credentials: secrets,
    });
    const second = new AbortController();
    const call = sleeping.balance(undefined, { signal: second.signal });
    setTimeout(() => second.abort(), 60);
    await expect(call).rejects.toThrow(AbortError);
  });

  it('keeps credentials out of every error, even when the server echoes them', async () => {
    server = await startServer((req, res) =>
      res.writeHead(500).end(`failed: ${req.url} ${decodeURIComponent(req.url ?? '')}`),
    );
    const error = (await acme({ baseUrl: server.url })
      .send({ to: '911' })
      .catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(SmswireError);
    expect(error.body).toContain('[REDACTED]');
    expectNoSecrets(error, Object.values(secrets));
  });

  it('exposes the openapi-fetch client with credentials installed', async () => {
    server = await startServer((_, res) => res.end('1701|1|a'));
    const client = acme({ baseUrl: server.url });
    await (client.raw as unknown as { GET: (p: string, o: object) => Promise<unknown> }).GET('/send', {
      params: { query: { to: '1' } },
      parseAs: 'text',
    });
    expect(server.requests[0]).toContain('username=SENTINEL-user');
  });

  it('caps replies to client.raw calls too', async () => {
    server = await startServer((_, res) => {
      res.write('x'.repeat(60_000));
      res.end('x'.repeat(60_000));
    });
    const raw = acme({ baseUrl: server.url, maxReplyBytes: 100_000 }).raw as unknown as {
      GET: (p: string, o: object) => Promise<unknown>;
    };
    await expect(raw.GET('/send', { params: { query: { to: '1' } }, parseAs: 'text' })).rejects.toThrow(
      /maxReplyBytes \(100000\)/,
    );
  });

  it('reports vendor errors with the operation and catalog text', async () => {
    server = await startServer((_, res) => res.end('1702'));
    const error = await acme({ baseUrl: server.url })
      .send({ to: '911' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'VendorError',
      vendor: 'acme',
      operation: 'send',
      code: '1702',
      description: 'Invalid URL',
    });
  });
});

describe('reading replies', () => {
  // A JSON operation, to see the byte cap reach the codecs' structural limits.
  const jsonDefinition: VendorDefinition = {
    vendor: 'acme',
    servers: ['https://api.acme.test'],
    credentials: {},
    operations: {
      status: {
        method: 'get',
        path: '/status',
        kind: 'read',
        security: [],
        params: {},
        reply: {
          codec: 'json',
          status: 'Status',
          shape: {
            type: 'object',
            props: { Status: { shape: { type: 'string' } }, Text: { shape: { type: 'string' } } },
          },
        },
        codes: { '0': { outcome: 'success', description: 'Delivered' } },
      },
    },
  };
  type Status = { status(params?: object, init?: CallInit): Promise<{ Status: string; Text: string; x?: number[] }> };
  const statusClient = (options: ClientOptions) =>
    createVendorClient<Status, object>(jsonDefinition, { ...options, credentials: {} });

  it('reads up to 256 KiB by default, and abandons a longer reply', async () => {
    const entries = (bytes: number) => '1701|911|m,'.repeat(bytes / 11);
    server = await startServer((req, res) =>
      res.end(req.url?.includes('to=big') ? `${entries(262_152)}` : entries(262_141)),
    );
    const client = acme({ baseUrl: server.url, maxRetries: 0 });
    expect((await client.send({ to: '911' })).accepted).toHaveLength(23_831);
    await expect(client.send({ to: 'big' })).rejects.toThrow(/maxReplyBytes \(262144\)/);
  });

  it('holds a reply to the structural limits of the client’s maxReplyBytes', async () => {
    // 100 values: over the 64 of 1 KiB, far under the 16,384 of the default.
    const body = `{"Status":"0","Text":"ok","x":[${Array(100).fill(1).join(',')}]}`;
    server = await startServer((_, res) => res.end(body));
    await expect(statusClient({ baseUrl: server.url, maxReplyBytes: 1024 }).status()).rejects.toThrow(
      /more than 64 values/,
    );
    await expect(statusClient({ baseUrl: server.url }).status()).resolves.toMatchObject({ x: Array(100).fill(1) });
  });

  it('decodes the charset the Content-Type declares, and refuses one it does not know', async () => {
    // Γειά in ISO-8859-7: Γ is 0xC3, ε 0xE5, ι 0xE9, ά 0xDC.
    const greek = Buffer.concat([
      Buffer.from('{"Status":"0","Text":"'),
      Buffer.from([0xc3, 0xe5, 0xe9, 0xdc]),
      Buffer.from('"}'),
    ]);
    let type = 'application/json; charset=ISO-8859-7';
    server = await startServer((_, res) => res.writeHead(200, { 'content-type': type }).end(greek));
    const client = statusClient({ baseUrl: server.url, maxRetries: 0 });
    await expect(client.status()).resolves.toMatchObject({ Text: 'Γειά' });
    type = 'application/json;charset="iso-8859-7"';
    await expect(client.status()).resolves.toMatchObject({ Text: 'Γειά' });
    type = 'application/json; charset=x-klingon';
    await expect(client.status()).rejects.toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('unknown charset x-klingon'),
    });
  });

  it('still reports a failed HTTP status as an HttpError when its charset is unknown', async () => {
    server = await startServer((_, res) =>
      res.writeHead(503, { 'content-type': 'text/plain; charset=x-klingon' }).end('busy'),
    );
    await expect(statusClient({ baseUrl: server.url, maxRetries: 0 }).status()).rejects.toMatchObject({
      name: 'HttpError',
      status: 503,
      body: 'busy',
    });
  });
});

describe('the caller’s signal', () => {
  it('holds nothing after a call: one long-lived signal serves any number of calls', async () => {
    const shutdown = new AbortController();
    const client = acme({ baseUrl: 'http://acme.test', fetch: async () => new Response('1701|911|m') });
    for (let i = 0; i < 20_000; i++) await client.send({ to: '911' }, { signal: shutdown.signal });
    expect(heldBy(shutdown.signal)).toBe(0);
  });

  it('still aborts a call in flight, and one that starts aborted sends nothing', async () => {
    server = await startServer(() => undefined);
    const shutdown = new AbortController();
    const client = acme({ baseUrl: server.url, maxRetries: 0 });
    const pending = client.send({ to: '911' }, { signal: shutdown.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heldBy(shutdown.signal)).toBe(1);
    shutdown.abort();
    await expect(pending).rejects.toThrow(AbortError);
    expect(heldBy(shutdown.signal)).toBe(0);
    const before = server.requests.length;
    await expect(client.send({ to: '911' }, { signal: shutdown.signal })).rejects.toThrow(AbortError);
    expect(server.requests).toHaveLength(before);
  });
});
