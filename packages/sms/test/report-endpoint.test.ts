import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectNoSecrets, views } from '../../../test/support/secrets.js';
import { readForm, startServer, type TestServer } from '../../../test/support/server.js';
import { createSms, ValidationError } from '../src/index.js';
import {
  appliedStatus,
  applyReport,
  createReportHandler,
  createReportServer,
  fileReportStore,
  memoryReportStore,
  signCallbackUrl,
  toNodeListener,
  type ReportHandlerOptions,
  type ReportLogEntry,
  type ReportStore,
} from '../src/report-endpoint.js';
import { sms365 } from '../src/sms365.js';
import { status, type MessageStatus } from '../src/states.js';

/**
 * Issue 33, "The report endpoint": sms365 calls each message's callback URL with GET, appending
 * `msgid, status, cost, to, mcc, mnc` (sms365.txt L562–566). Every request here goes over real
 * HTTP on 127.0.0.1 to the node:http adapter or a Hono app.
 */

const secret = 'current-secret-0123456789abcdefghijklmnop';
const retired = 'retired-secret-0123456789abcdefghijklmnop';
const strangers = 'stranger-secret-0123456789abcdefghijklmno';
const secrets = { k2: secret, k1: retired };

/** Everything logged, and every signature handed out: the secret sweep at the end looks for them. */
const logged: string[] = [];
const signatures = new Set<string>();
const remember = (url: string) => {
  const signature = new URL(url).searchParams.get('sw_sig');
  if (signature) signatures.add(signature);
  return url;
};

const servers: Server[] = [];
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const close of closers.splice(0)) await close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A report endpoint on node:http; `heard` is what reached `onReport`. `fetchDoor` hands the server
 * the handler as a plain `Request → Response` function, so requests go through Fetch objects
 * rather than `answer()`.
 */
async function endpoint(options: Partial<ReportHandlerOptions> & { serverOptions?: object; fetchDoor?: boolean } = {}) {
  const heard: MessageStatus[] = [];
  const entries: ReportLogEntry[] = [];
  const log = (entry: ReportLogEntry) => {
    entries.push(entry);
    logged.push(JSON.stringify(entry));
  };
  const handler = createReportHandler({ secrets, onReport: (report) => void heard.push(report), log, ...options });
  const base = await listen(
    createReportServer({
      handler: options.fetchDoor ? (request: Request) => handler(request) : handler,
      log,
      ...options.serverOptions,
    }),
  );
  const signing = { url: `${base}/sms365/report?site=eu`, keyId: 'k2', secret };
  const sign = (key: string, now?: number) => remember(signCallbackUrl(signing, key, now));
  return { base, heard, entries, signing, sign };
}

/** What sms365 does with a message's callback URL when its report comes (sms365.txt L562–566). */
const callback = (url: string, msgid: string, state = 'd') =>
  fetch(`${url}&msgid=${msgid}&status=${state}&cost=0.0350&to=306971234567&mcc=202&mnc=01`);

/** An sms365 stand-in for `smsSend`: hands out IDs in order and keeps the `callback` of each send. */
async function sms365Vendor() {
  const callbacks: string[] = [];
  const server: TestServer = await startServer(async (req, res) => {
    const { path, form } = await readForm(req);
    const given = form.callback ?? new URL(path, 'http://x').searchParams.get('callback');
    callbacks.push(given ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 1, error: 0, remarks: 'Success', smsId: `73162${callbacks.length}` }));
  });
  closers.push(() => server.close());
  return { server, callbacks };
}

describe('a real sms365 callback', () => {
  it('to the node:http adapter, through the URL the sms365 adapter signed for the message, lands in onReport', async () => {
    const { heard, signing } = await endpoint();
    const vendor = await sms365Vendor();
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: vendor.server.url, callback: signing })] });
    const sent = await sms.send({ to: '+306971234567', text: 'Your code is 1234', idempotencyKey: 'order-42' });
    const url = remember(vendor.callbacks[0]!);
    // Signed per message: the user's own query is kept; neither the secret nor the key reaches sms365.
    expect(url).toMatch(/\/sms365\/report\?site=eu&sw_kid=k2&sw_ref=[\w-]{22}&sw_exp=\d+&sw_sig=[\w-]{43}$/);
    expect(url).not.toContain('order-42');
    expectNoSecrets(url, [secret]);

    // Each message its own URL: another message's reference and signature differ.
    await sms.send({ to: '+306971234568', text: 'Your code is 5678', idempotencyKey: 'order-43' });
    const second = new URL(remember(vendor.callbacks[1]!)).searchParams;
    expect(second.get('sw_ref')).not.toBe(new URL(url).searchParams.get('sw_ref'));
    expect(second.get('sw_sig')).not.toBe(new URL(url).searchParams.get('sw_sig'));

    const reply = await callback(url, sent.messageId!);
    expect([reply.status, await reply.text()]).toEqual([200, 'OK']);
    expect(heard).toEqual([
      {
        vendor: 'sms365',
        messageId: sent.messageId,
        state: 'delivered',
        final: true,
        vendorStatus: 'd',
        at: expect.any(Date),
      },
    ]);
  });

  it('to the node:http server, builds no Fetch Request or Response: the handler answers from the IncomingMessage', async () => {
    const { heard, sign } = await endpoint();
    const url = sign('order-7');
    const fetchClasses = { Request: globalThis.Request, Response: globalThis.Response };
    const built: string[] = [];
    // The test's own fetch runs in undici, which holds its own classes: only the endpoint's use of the globals is seen.
    globalThis.Request = new Proxy(fetchClasses.Request, {
      construct(...args) {
        built.push('Request');
        return Reflect.construct(...args);
      },
    });
    globalThis.Response = new Proxy(fetchClasses.Response, {
      construct(...args) {
        built.push('Response');
        return Reflect.construct(...args);
      },
    });
    try {
      const reply = await callback(url, '990007');
      expect([reply.status, await reply.text()]).toEqual([200, 'OK']);
      expect((await callback(`${url}&pad=1`, '990008')).status).toBe(403);
    } finally {
      Object.assign(globalThis, fetchClasses);
    }
    expect(built).toEqual([]);
    expect(heard).toMatchObject([{ messageId: '990007', state: 'delivered' }]);
  });

  it('to a Hono app mounting the handler lands in onReport', async () => {
    const heard: MessageStatus[] = [];
    const handler = createReportHandler({ secrets, onReport: (r) => void heard.push(r), log: () => undefined });
    const app = new Hono();
    app.get('/sms365/report', (c) => handler(c.req.raw));
    // Hono's fetch on plain node:http through the adapter, as it would be on Bun, Deno or Workers without it.
    const base = await listen(createServer(toNodeListener(async (request) => app.fetch(request))));
    const url = remember(signCallbackUrl({ url: `${base}/sms365/report`, keyId: 'k1', secret: retired }, 'hono-1'));
    const reply = await callback(url, '990001', 'f');
    expect(reply.status).toBe(200);
    expect(heard).toMatchObject([{ messageId: '990001', state: 'undelivered', final: true }]);
  });
});

describe('refused with 403, never reaching onReport', () => {
  it('a forged report: unsigned, a signature changed, made with another secret, or moved to another message', async () => {
    const { base, heard, entries, sign } = await endpoint();
    const genuine = new URL(sign('order-1'));
    const other = new URL(sign('order-2'));
    const signature = genuine.searchParams.get('sw_sig')!;
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const forgeries = [
      `${base}/sms365/report?site=eu`,
      genuine.href.replace(signature, flipped),
      remember(signCallbackUrl({ url: `${base}/sms365/report`, keyId: 'k2', secret: strangers }, 'order-1')),
      remember(signCallbackUrl({ url: `${base}/sms365/report`, keyId: 'k9', secret: strangers }, 'order-1')),
      // Order 1's signature on order 2's reference.
      genuine.href.replace(genuine.searchParams.get('sw_ref')!, other.searchParams.get('sw_ref')!),
    ];
    for (const forged of forgeries) expect((await callback(forged, '555')).status, forged).toBe(403);
    expect(heard).toEqual([]);
    expect(entries.map((e) => e.reason)).toEqual([
      'unsigned',
      'badSignature',
      'badSignature',
      'unknownKey',
      'badSignature',
    ]);
  });

  it('an expired report: a URL past its ttl, however well signed', async () => {
    const { heard, entries, sign } = await endpoint();
    const eightDaysAgo = Date.now() - 8 * 24 * 3600_000;
    expect((await callback(sign('order-1', eightDaysAgo), '555')).status).toBe(403);
    expect(heard).toEqual([]);
    expect(entries).toMatchObject([{ status: 403, reason: 'expired' }]);
    // Within its ttl the same message's report is heard.
    expect((await callback(sign('order-1', Date.now() - 6 * 24 * 3600_000), '555')).status).toBe(200);
  });

  it('a replayed report: the same one again is applied once (200), with its status changed is refused', async () => {
    const { heard, entries, sign } = await endpoint();
    const url = sign('order-1');
    expect((await callback(url, '555', 'd')).status).toBe(200);
    // The vendor repeating itself is told it is done, and nothing new reaches onReport.
    expect((await callback(url, '555', 'd')).status).toBe(200);
    // A captured URL replayed as `f`: sms365 never reports a second final state.
    expect((await callback(url, '555', 'f')).status).toBe(403);
    expect(heard).toMatchObject([{ messageId: '555', state: 'delivered' }]);
    expect(entries.map((e) => [e.status, e.outcome, e.reason])).toEqual([
      [200, 'applied', undefined],
      [200, 'duplicate', undefined],
      [403, 'refused', 'contradicts'],
    ]);
  });

  it("a cross-message report: message A's URL carrying message B's msgid, or B's carrying A's", async () => {
    const { heard, sign } = await endpoint();
    const a = sign('order-a');
    const b = sign('order-b');
    expect((await callback(a, '1001', 'd')).status).toBe(200);
    expect((await callback(b, '1002', 'f')).status).toBe(200);
    expect((await callback(a, '1002', 'd')).status).toBe(403);
    expect((await callback(b, '1001', 'f')).status).toBe(403);
    // A URL not yet used cannot take over a message another URL already speaks for.
    expect((await callback(sign('order-c'), '1001', 'f')).status).toBe(403);
    expect(heard.map((r) => [r.messageId, r.state])).toEqual([
      ['1001', 'delivered'],
      ['1002', 'undelivered'],
    ]);
  });
});

describe('duplicates and order', () => {
  it('the same report 20 times at once is applied and heard once', async () => {
    const { heard, sign } = await endpoint();
    const url = sign('order-1');
    const replies = await Promise.all(Array.from({ length: 20 }, () => callback(url, '777', 'd')));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(heard).toHaveLength(1);
  });

  const dir = mkdtempSync(join(tmpdir(), 'smswire-reports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stores: [string, () => ReportStore][] = [
    ['memory', memoryReportStore],
    ['file', () => fileReportStore(join(dir, `order-${Math.random()}.jsonl`))],
  ];
  it.each(stores)(
    'out of order, a late sent after delivered never moves a message back (%s store)',
    async (_, make) => {
      const store = make();
      const delivered = status('sms365', '42', 'delivered', 'd');
      expect(await applyReport(store, 'ref-42', status('sms365', '42', 'sent', 's'))).toMatchObject({
        outcome: 'applied',
      });
      expect(await applyReport(store, 'ref-42', delivered)).toMatchObject({ outcome: 'applied' });
      expect(await applyReport(store, 'ref-42', status('sms365', '42', 'sent', 's'))).toMatchObject({
        outcome: 'stale',
      });
      expect(await appliedStatus(store, 'sms365', '42')).toEqual(delivered);
    },
  );

  it('out of order over HTTP: a second final state after delivered leaves it delivered and unheard', async () => {
    const { heard, sign } = await endpoint();
    const url = sign('order-1');
    await callback(url, '888', 'd');
    await callback(url, '888', 'f');
    expect(heard.map((r) => r.state)).toEqual(['delivered']);
  });

  it('the file store survives a restart: a new handler over the same file sees what was applied', async () => {
    const path = join(dir, 'restart.jsonl');
    const first = fileReportStore(path);
    const before = await endpoint({ store: first });
    const url = before.sign('order-1');
    expect((await callback(url, '31', 'd')).status).toBe(200);
    first.close();
    // A crash mid-write leaves a torn last line, which was never answered.
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"message:sms365:32":"{\\"ref`);
    const second = fileReportStore(path);
    closers.push(() => second.close());
    const after = await endpoint({ store: second });
    expect((await callback(url, '31', 'd')).status).toBe(200);
    expect((await callback(url, '31', 'f')).status).toBe(403);
    expect(after.heard).toEqual([]);
    expect(await appliedStatus(second, 'sms365', '31')).toMatchObject({ state: 'delivered', final: true });
    expect(before.heard).toHaveLength(1);
  });
});

describe('when applying fails', () => {
  it('an onReport that throws answers 500 and leaves the report unapplied, so the vendor retry is heard', async () => {
    let fail = true;
    const heard: string[] = [];
    const { sign, entries } = await endpoint({
      onReport: (report) => {
        if (fail) throw new Error('database down');
        heard.push(report.messageId);
      },
    });
    const url = sign('order-1');
    expect((await callback(url, '61', 'd')).status).toBe(500);
    fail = false;
    expect((await callback(url, '61', 'd')).status).toBe(200);
    expect(heard).toEqual(['61']);
    expect(entries[0]).toMatchObject({ status: 500, outcome: 'failed', reason: 'onReport: Error: database down' });
  });

  it('a store that fails answers 503 and calls no onReport', async () => {
    const broken: ReportStore = {
      read: () => Promise.reject(new Error('disk gone')),
      swap: () => Promise.reject(new Error('disk gone')),
    };
    const { heard, sign } = await endpoint({ store: broken });
    expect((await callback(sign('order-1'), '62')).status).toBe(503);
    expect(heard).toEqual([]);
  });
});

/** One raw HTTP exchange: what the server answered before it closed the connection. */
function raw(base: string, request: string, { end = true } = {}): Promise<{ reply: string; ms: number }> {
  const { port } = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let reply = '';
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(request);
      if (end) socket.end();
    });
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
  });
}

describe('bad input', () => {
  let target: Awaited<ReturnType<typeof endpoint>>;
  beforeAll(async () => {
    target = await endpoint();
  });
  afterEach(() => expect(target.heard).toEqual([]));

  it.each(['answer()', 'Request → Response'])(
    'every malformed, oversized or hostile request gets a 4xx, through %s',
    async (door) => {
      const through = door === 'answer()' ? target : await endpoint({ fetchDoor: true });
      const signed = through.sign('order-1');
      const path = new URL(signed).pathname + new URL(signed).search;
      const report = '&msgid=1&status=d&cost=1&to=306971234567&mcc=202&mnc=01';
      const cases: [string, number][] = [
        [`POST ${path}${report} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`, 405],
        [`DELETE ${path}${report} HTTP/1.1\r\nHost: x\r\n\r\n`, 405],
        [`GET ${path}${report} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello`, 413],
        [`GET ${path}${report} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`, 413],
        [`GET ${path}${report}&pad=${'x'.repeat(3000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
        [`GET ${path}${report}${'&p=1'.repeat(30)} HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET ${path}&status=d HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET ${path}&msgid=&status=d HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        // A name twice, hoping one reader takes the first and another the last.
        [`GET ${path}${report}&msgid=2 HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET ${path}${report}&sw_sig=${new URL(signed).searchParams.get('sw_sig')} HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET //[?msgid=1 HTTP/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET ${path}${report} HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(9000)}\r\n\r\n`, 431],
        [`GET ${path}${report} HTTP/9.9\r\nHost: x\r\n\r\n`, 400],
        ['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n', 400],
      ];
      for (const [request, expected] of cases) {
        const { reply } = await raw(through.base, request);
        expect(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1]), request.slice(0, 60)).toBe(expected);
      }
      expect(through.heard).toEqual([]);
    },
  );

  it('a slow client is cut off after the header timeout', async () => {
    const slow = await endpoint({ serverOptions: { headersTimeout: 300, requestTimeout: 600 } });
    const { reply, ms } = await raw(
      slow.base,
      `GET ${new URL(slow.sign('x')).pathname}?msgid=1 HTTP/1.1\r\nHost: x\r\n`,
      {
        end: false,
      },
    );
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(3000);
    expect(slow.entries).toMatchObject([{ status: 408, reason: 'ERR_HTTP_REQUEST_TIMEOUT' }]);
  });

  it('a handler, an adapter or a URL given a bad secret or URL is refused with an error naming no secret', () => {
    const short = 'short-secret';
    const refusals = [
      () => createReportHandler({ secrets: { k1: short }, onReport: () => undefined }),
      () => createReportHandler({ secrets: { 'bad key id!': secret }, onReport: () => undefined }),
      () => createReportHandler({ secrets: {}, onReport: () => undefined }),
      // The adapter refuses its signing options when it is made, not at the first send.
      () => sms365({ key: 'k', callback: { url: 'https://example.com/r', keyId: 'k1', secret: short } }),
      () => sms365({ key: 'k', callback: { url: 'not a url', keyId: 'k1', secret } }),
      () => signCallbackUrl({ url: 'https://example.com/r', keyId: 'k1', secret, ttlSeconds: 0 }, 'order-1'),
    ];
    for (const refuse of refusals) {
      let error: unknown;
      try {
        refuse();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expectNoSecrets(error, [short, secret, 'order-1']);
      logged.push(...views(error));
    }
  });

  it('the default log, to console.warn, says why without the URL', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const handler = createReportHandler({ secrets, onReport: () => undefined });
      const base = await listen(createReportServer({ handler }));
      const url = remember(signCallbackUrl({ url: `${base}/r`, keyId: 'k2', secret: strangers }, 'order-1'));
      expect((await callback(url, '1')).status).toBe(403);
      const lines = warn.mock.calls.map((call) => call.join(' '));
      expect(lines).toEqual([expect.stringContaining('"reason":"badSignature"')]);
      logged.push(...lines);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('the secret sweep', () => {
  it('no secret and no signature in any log line or error of the tests above', () => {
    expect(logged.length).toBeGreaterThan(30);
    expect(signatures.size).toBeGreaterThan(10);
    expectNoSecrets(undefined, [secret, retired, strangers, ...signatures], { output: logged });
  });
});
