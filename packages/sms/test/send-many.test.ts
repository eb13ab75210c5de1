import type { IncomingMessage, ServerResponse } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { readForm, refusedUrl, startServer, type TestServer } from '../../../test/support/server.js';
import { dinisoft } from '../src/dinisoft.js';
import { dreams } from '../src/dreams.js';
import {
  createSms,
  memoryLedger,
  type SendInput,
  SendManyAbortError,
  type SendManyProgress,
  type SendManyResult,
} from '../src/index.js';
import { sms365 } from '../src/sms365.js';
import { smsleads } from '../src/smsleads.js';
import { unified } from '../src/unified.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
async function serve(handler: Handler) {
  const server = await startServer((req, res) => void handler(req, res));
  servers.push(server);
  return server;
}
const reply = (res: ServerResponse, body: string, type = 'text/plain') => {
  res.writeHead(200, { 'content-type': type });
  res.end(body);
};
const query = (req: IncomingMessage) => new URL(req.url ?? '', 'http://x').searchParams;
/** Greek mobiles +3069710000NN. */
const greek = (i: number) => `+30697${String(1_000_000 + i).padStart(7, '0')}`;
const wire = (e164: string) => e164.slice(1);
/** A result as its status and message ID, or its reason when not accepted. */
const outcome = (r: SendManyResult) => [r.status, r.status === 'accepted' ? r.messageId : r.reason];

/** DiniSoft, the second vendor: accepts everything, one message id each (dinisoft.yaml sendText). */
async function dinisoftServer() {
  let id = 0;
  const server = await serve(async (req, res) => {
    req.resume();
    await new Promise((r) => req.on('end', r));
    reply(res, JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: `d${++id}` }), 'application/json');
  });
  const numbers = () => server.requests.map((url) => new URL(url, 'http://x').searchParams.get('toUser'));
  return { server, numbers };
}

describe('sendMany through Unified: one request per text, one entry per destination', () => {
  // unified.yaml SubmitReply: "One entry per destination, `<code>|<destination>|<message_id>`"; 1706 invalid destination.
  it('a partly accepted batch keeps every message id, fails over only the refused numbers and resends nothing accepted', async () => {
    const destinations: string[][] = [];
    const primary = await serve((req, res) => {
      const numbers = query(req).get('destination')!.split(',');
      destinations.push(numbers);
      // Even positions accepted; odd refused as invalid destinations (1706); the last one "response timeout" (1715).
      const entries = numbers.map((n, i) =>
        i === numbers.length - 1 ? `1715|${n}` : i % 2 === 0 ? `1701|${n}|u-${n}` : `1706|${n}`,
      );
      reply(res, entries.join('\n'));
    });
    const secondary = await dinisoftServer();
    const sms = createSms({
      vendors: [
        unified({ username: 'u', password: 'p', baseUrl: primary.url, from: 'ACME' }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' }),
      ],
    });
    const messages = Array.from({ length: 7 }, (_, i) => ({
      to: greek(i),
      text: 'Sale today',
      idempotencyKey: `k${i}`,
    }));
    const results = await sms.sendMany(messages);

    expect(destinations).toEqual([messages.map((m) => wire(m.to))]);
    expect(results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'unknown',
    ]);
    for (const i of [0, 2, 4])
      expect(results[i]).toMatchObject({
        vendor: 'unified',
        messageId: `u-${wire(greek(i))}`,
        id: `k${i}`,
        to: greek(i),
      });
    for (const i of [1, 3, 5]) expect(results[i]).toMatchObject({ vendor: 'dinisoft', id: `k${i}` });
    // Only the refused numbers went to DiniSoft; the 1715 one ("Do not resubmit") went nowhere else.
    expect(secondary.numbers()).toEqual([1, 3, 5].map((i) => wire(greek(i))));
    expect(results[6]).toMatchObject({
      status: 'unknown',
      reason: 'ambiguous',
      id: 'k6',
      error: { outcome: 'unknown', vendor: 'unified', key: 'k6' },
    });

    // The same list again: nothing is sent anywhere, and the answers are the same, marked as replays.
    const again = await sms.sendMany(messages);
    expect(primary.requests).toHaveLength(1);
    expect(secondary.server.requests).toHaveLength(3);
    expect(again.slice(0, 6)).toEqual(results.slice(0, 6).map((r) => ({ ...r, replayed: true })));
    expect(results.some((r) => 'replayed' in r)).toBe(false);
    expect(again[6]).toMatchObject({ status: 'unknown', id: 'k6', replayed: true });
  });

  it('with one vendor, refused numbers are rejected with their reason; a destination the reply leaves out is unknown', async () => {
    const primary = await serve((req, res) => {
      const [first, , third] = query(req).get('destination')!.split(',');
      reply(res, `1701|${first}|id-a,1732|${third}`);
    });
    const sms = createSms({ vendors: [unified({ username: 'u', password: 'p', baseUrl: primary.url, from: 'ACME' })] });
    const results = await sms.sendMany([0, 1, 2].map((i) => ({ to: greek(i), text: 'Hi' })));
    expect(results[0]).toMatchObject({ status: 'accepted', messageId: 'id-a' });
    // No entry at all for the second: the vendor may have it.
    expect(results[1]).toMatchObject({ status: 'unknown', reason: 'ambiguous' });
    // unified.yaml 1732: DND reject.
    expect(results[2]).toMatchObject({ status: 'rejected', reason: 'number', error: { outcome: 'notAccepted' } });
  });

  it('a success with an empty message ID (`1701|<number>|`) is accepted without one: not dropped, not failed over, not given an ID', async () => {
    const primary = await serve((req, res) => {
      const [first, second] = query(req).get('destination')!.split(',');
      reply(res, `1701|${first}|,1701|${second}|id-b`);
    });
    const secondary = await dinisoftServer();
    const sms = createSms({
      vendors: [
        unified({ username: 'u', password: 'p', baseUrl: primary.url, from: 'ACME' }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' }),
      ],
    });
    const results = await sms.sendMany([0, 1].map((i) => ({ to: greek(i), text: 'Hi' })));
    expect(results.map(outcome)).toEqual([
      ['accepted', undefined],
      ['accepted', 'id-b'],
    ]);
    expect(results[0]).toMatchObject({ vendor: 'unified' });
    expect(results[0]).not.toHaveProperty('messageId');
    expect(secondary.server.requests).toHaveLength(0);
    // One destination alone goes through `send`: the same reading.
    const one = await sms.send({ to: greek(2), text: 'Hi' });
    expect(one).toMatchObject({ vendor: 'unified', state: 'accepted' });
    expect(one).not.toHaveProperty('messageId');
  });

  it('a request-level code (1725, no credit) refuses every destination; the same number twice goes in two requests', async () => {
    const primary = await serve((_req, res) => reply(res, '1725'));
    const secondary = await dinisoftServer();
    const sms = createSms({
      vendors: [
        unified({ username: 'u', password: 'p', baseUrl: primary.url, from: 'ACME' }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' }),
      ],
    });
    const results = await sms.sendMany([greek(1), greek(2), greek(1)].map((to) => ({ to, text: 'Hi' })));
    expect(primary.requests.map((url) => new URL(url, 'http://x').searchParams.get('destination'))).toEqual([
      `${wire(greek(1))},${wire(greek(2))}`,
      wire(greek(1)),
    ]);
    expect(results.map((r) => r.status === 'accepted' && r.vendor)).toEqual(['dinisoft', 'dinisoft', 'dinisoft']);
  });
});

describe('sendMany through sms365 smsBulk', () => {
  it('splits at the batch size (500 numbers a request) and keeps input order across texts', async () => {
    const sizes: number[] = [];
    const server = await serve(async (req, res) => {
      const { form } = await readForm(req);
      const numbers = form.to!.split(',');
      sizes.push(numbers.length);
      reply(
        res,
        JSON.stringify({
          status: 1,
          error: 0,
          remarks: 'Success',
          sms: numbers.map((n) => ({ smsId: `s-${form.text}-${n}`, msisdn: n })),
          accepted: numbers.length,
          rejected: 0,
        }),
        'application/json',
      );
    });
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    // Two texts interleaved: 1,101 messages, 551 of text A and 550 of text B.
    const messages = Array.from({ length: 1101 }, (_, i) => ({ to: greek(i), text: i % 2 === 0 ? 'A' : 'B' }));
    const progress: SendManyProgress[] = [];
    const results = await sms.sendMany(messages, { onProgress: (p) => progress.push(p) });
    expect(sizes.sort((a, b) => b - a)).toEqual([500, 500, 51, 50]);
    for (const [i, r] of results.entries()) {
      expect(r).toMatchObject({
        status: 'accepted',
        to: greek(i),
        messageId: `s-${messages[i]!.text}-${wire(greek(i))}`,
      });
    }
    expect(progress.at(-1)).toEqual({ done: 1101, total: 1101, accepted: 1101, rejected: 0, unknown: 0 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
  });

  it('numbers the reply leaves out are rejected when its counts say so, and unknown when they do not', async () => {
    let consistent = true;
    const server = await serve(async (req, res) => {
      const numbers = (await readForm(req)).form.to!.split(',');
      // sms365.txt L370–380: `sms{ smsId msisdn }` per accepted message, `rejected` only as a count.
      reply(
        res,
        JSON.stringify({
          status: 1,
          error: 0,
          remarks: 'Success',
          sms: [{ smsId: '1', msisdn: numbers[0] }],
          accepted: 1,
          rejected: consistent ? numbers.length - 1 : 0,
        }),
        'application/json',
      );
    });
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    const counted = await sms.sendMany([greek(0), greek(1)].map((to) => ({ to, text: 'Hi' })));
    expect(counted.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    consistent = false;
    const uncounted = await sms.sendMany([greek(0), greek(1)].map((to) => ({ to, text: 'Hi' })));
    expect(uncounted.map((r) => r.status)).toEqual(['accepted', 'unknown']);
  });

  it('with a delivery-report callback sends one by one through smsSend (api/sms/bulk takes no callback)', async () => {
    const server = await serve(async (req, res) => {
      await readForm(req);
      reply(res, JSON.stringify({ status: 1, error: 0, remarks: 'Success', smsId: '9' }), 'application/json');
    });
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url, callback: 'https://example.com/cb' })] });
    await sms.sendMany([greek(0), greek(1)].map((to) => ({ to, text: 'Hi' })));
    expect(server.requests).toEqual(['/api/sms/send', '/api/sms/send']);
  });
});

describe('sendMany input, concurrency, faults', () => {
  it('reads an async iterable lazily: 10,000 messages, at most two windows ahead of the replies', async () => {
    let yielded = 0;
    const seenAtRequest: number[] = [];
    const server = await serve(async (req, res) => {
      seenAtRequest.push(yielded);
      const numbers = (await readForm(req)).form.to!.split(',');
      reply(
        res,
        JSON.stringify({
          status: 1,
          error: 0,
          remarks: 'Success',
          sms: numbers.map((n) => ({ smsId: n, msisdn: n })),
          accepted: numbers.length,
          rejected: 0,
        }),
        'application/json',
      );
    });
    async function* generate(): AsyncGenerator<SendInput> {
      for (let i = 0; i < 10_000; i++) {
        yielded++;
        yield { to: greek(i), text: 'Hi', idempotencyKey: `g${i}` };
      }
    }
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    const results = await sms.sendMany(generate(), { concurrency: 2 });
    expect(results).toHaveLength(10_000);
    expect(results.every((r, i) => r.status === 'accepted' && r.id === `g${i}`)).toBe(true);
    // The window is batch size × concurrency = 1,000, two requests. When a window's request
    // arrives its own window was read and at most the next one (read while it is under way).
    expect(seenAtRequest).toHaveLength(20);
    const window = (i: number) => Math.floor(i / 2);
    expect(seenAtRequest.filter((seen, i) => seen < (window(i) + 1) * 1000 || seen > (window(i) + 2) * 1000)).toEqual(
      [],
    );
    expect(server.requests).toHaveLength(20);
  });

  it('sendEach yields each window’s results, in order, with at most the next window read', async () => {
    let yielded = 0;
    const server = await serve(async (req, res) => {
      const numbers = (await readForm(req)).form.to!.split(',');
      // sms365.txt L370–378: one `sms{ smsId msisdn }` per accepted message.
      const sms = numbers.map((n) => ({ smsId: n, msisdn: n }));
      reply(
        res,
        JSON.stringify({ status: 1, error: 0, sms, accepted: numbers.length, rejected: 0 }),
        'application/json',
      );
    });
    async function* generate(): AsyncGenerator<SendInput> {
      for (let i = 0; i < 2_500; i++) {
        yielded++;
        yield { to: greek(i), text: 'Hi', idempotencyKey: `e${i}` };
      }
    }
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url, batchSize: 100 })] });
    const readWhenSeen: number[] = [];
    const ids: string[] = [];
    for await (const result of sms.sendEach(generate(), { concurrency: 2 })) {
      readWhenSeen.push(yielded);
      ids.push(result.id);
    }
    expect(ids).toEqual(Array.from({ length: 2_500 }, (_, i) => `e${i}`));
    // A window is 100 × 2 messages: the next one is read while a window's requests are under way,
    // and none after it before the window's results are yielded.
    expect(readWhenSeen[0]).toBe(400);
    expect(readWhenSeen.filter((seen, i) => seen > (Math.floor(i / 200) + 2) * 200)).toEqual([]);
  });

  it('sendEach holds a window’s results only until they are yielded, however long the input', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // sms365 smsBulk answering at once, one smsId per number (sms365.txt L370–378).
    const fetch = async (_input: string | URL | Request, init?: RequestInit) => {
      const numbers = (new URLSearchParams(String(init?.body ?? '')).get('to') ?? '').split(',');
      const sms = numbers.map((n) => ({ smsId: n, msisdn: n }));
      const body = JSON.stringify({ status: 1, error: 0, sms, accepted: numbers.length, rejected: 0 });
      return new Response(body, { headers: { 'content-type': 'application/json' } });
    };
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: 'http://sms365.invalid', fetch, batchSize: 100 })] });
    const input = Array.from({ length: 10_000 }, (_, i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `w${i}` }));
    // Windows of 100 × 2. While the consumer holds the 9,500th result, the run needs that window
    // and the next: of the 45 windows before, nothing is needed. V8's compiled code may keep a
    // few alive (an early result, at times one window on Node 20 and two on Node 22; none with
    // --no-sparkplug, --no-maglev, --no-turbofan), so the bound is five windows, a ninth of what
    // a run that held what it yielded keeps (all 9,000).
    const seen: WeakRef<SendManyResult>[] = [];
    let kept = -1;
    for await (const result of sms.sendEach(input, { concurrency: 2 })) {
      seen.push(new WeakRef(result));
      if (seen.length !== 9_500) continue;
      await new Promise(setImmediate);
      gc();
      kept = seen.slice(0, 9_000).filter((ref) => ref.deref() !== undefined).length;
    }
    expect(seen).toHaveLength(10_000);
    expect(kept).toBeGreaterThanOrEqual(0);
    expect(kept).toBeLessThanOrEqual(1_000);
  });

  it('a key repeated in a later window meets the first message’s recorded outcome, within a window its pending claim: sent once', async () => {
    const { server, numbers } = await dinisoftServer();
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    // Concurrency 1 without a batch operation: a window is one message, claimed once the window
    // before it has its answer recorded, so the repeats of `a` replay it.
    const single = await sms.sendMany(
      [
        { to: greek(0), text: 'Hi', idempotencyKey: 'a' },
        { to: greek(0), text: 'Hi', idempotencyKey: 'a' },
        { to: greek(1), text: 'Hi', idempotencyKey: 'b' },
        { to: greek(0), text: 'Hi', idempotencyKey: 'a' },
      ],
      { concurrency: 1 },
    );
    expect(single.map(outcome)).toEqual([
      ['accepted', 'd1'],
      ['accepted', 'd1'],
      ['accepted', 'd2'],
      ['accepted', 'd1'],
    ]);
    // Concurrency 2: `c` twice in one window, claimed together; the second is unknown, not sent.
    const pair = await sms.sendMany(
      [
        { to: greek(2), text: 'Hi', idempotencyKey: 'c' },
        { to: greek(2), text: 'Hi', idempotencyKey: 'c' },
      ],
      { concurrency: 2 },
    );
    expect(pair.map(outcome)).toEqual([
      ['accepted', 'd3'],
      ['unknown', 'ambiguous'],
    ]);
    expect(numbers()).toEqual([wire(greek(0)), wire(greek(1)), wire(greek(2))]);
  });

  it('messages without a key get one each, new every run, so a second run sends them again', async () => {
    const { server } = await dinisoftServer();
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const list = [
      { to: greek(0), text: 'Hi' },
      { to: greek(1), text: 'Hi' },
      { to: greek(0), text: 'Hi', idempotencyKey: 'mine' },
    ];
    const first = await sms.sendMany(list);
    const second = await sms.sendMany(list);
    const ids = [...first, ...second].map((r) => r.id);
    expect(ids.filter((id) => id !== 'mine')).toHaveLength(4);
    expect(new Set(ids.filter((id) => id !== 'mine')).size).toBe(4);
    expect(second.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    // The keyed one replays its first result; the others went out twice, as asked.
    expect(server.requests).toHaveLength(5);
  });

  it('a consumer that stops iterating sendEach leaves nothing under way and claims nothing more', async () => {
    const { server } = await dinisoftServer();
    const ledger = memoryLedger();
    const sms = createSms({
      vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })],
      ledger,
    });
    const input = Array.from({ length: 10 }, (_, i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `k${i}` }));
    for await (const result of sms.sendEach(input, { concurrency: 2 })) {
      expect(result.status).toBe('accepted');
      break;
    }
    // Windows of 2: the first was yielded while the second was under way; leaving the loop waited
    // for the second to be recorded, and the third was never read.
    expect(server.requests).toHaveLength(4);
    expect((await ledger.get('k3'))?.state).toBe('sent');
    expect(await ledger.get('k4')).toBeUndefined();
  });

  it('keeps at most `concurrency` requests under way for a vendor without a batch operation', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await serve(async (req, res) => {
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      reply(res, JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: '1' }), 'application/json');
    });
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const results = await sms.sendMany(
      Array.from({ length: 12 }, (_, i) => ({ to: greek(i), text: 'Hi' })),
      { concurrency: 3 },
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    expect(server.requests).toHaveLength(12);
    expect(most).toBe(3);
    await expect(sms.sendMany([], { concurrency: 0 })).rejects.toMatchObject({ name: 'ValidationError' });
  });

  const faults: { name: string; handler: Handler; timeoutMs: number }[] = [
    { name: 'no reply (timeout)', handler: () => undefined, timeoutMs: 300 },
    {
      name: 'reset after the request',
      handler: (req) => {
        req.socket.destroy();
      },
      timeoutMs: 5000,
    },
  ];
  it.each(faults)(
    '$name on a batch: all its messages are unknown, none sent again or elsewhere',
    async ({ handler, timeoutMs }) => {
      const primary = await serve(handler);
      const secondary = await dinisoftServer();
      const sms = createSms({
        vendors: [
          sms365({ key: 'k', baseUrl: primary.url, timeoutMs }),
          dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' }),
        ],
      });
      const messages = [0, 1, 2].map((i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `f${i}` }));
      const results = await sms.sendMany(messages);
      expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown']);
      await sms.sendMany(messages);
      expect(primary.requests).toHaveLength(1);
      expect(secondary.server.requests).toEqual([]);
    },
  );

  it('a refused connection is a certain refusal: the whole batch goes to the next vendor', async () => {
    const secondary = await dinisoftServer();
    const sms = createSms({
      vendors: [
        sms365({ key: 'k', baseUrl: await refusedUrl() }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' }),
      ],
    });
    const results = await sms.sendMany([0, 1].map((i) => ({ to: greek(i), text: 'Hi' })));
    expect(results.map((r) => r.status === 'accepted' && r.vendor)).toEqual(['dinisoft', 'dinisoft']);
  });

  it('bad input is rejected with a ValidationError and the rest is sent', async () => {
    const secondary = await dinisoftServer();
    const sms = createSms({
      vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.server.url, from: 'ACME' })],
    });
    const results: SendManyResult[] = await sms.sendMany([
      { to: greek(0), text: 'Hi' },
      { to: '12', text: 'Hi' },
      { to: greek(2), text: ' ' },
      { to: greek(3), text: 'Hi' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted']);
    expect(results[1]).toMatchObject({ reason: 'validation', to: '12', error: { name: 'ValidationError' } });
    expect(secondary.numbers()).toEqual([wire(greek(0)), wire(greek(3))]);
    const odd = await sms.sendMany([null as unknown as SendInput]);
    expect(odd[0]).toMatchObject({ status: 'rejected', reason: 'validation', error: { name: 'ValidationError' } });
  });
});

describe('sendMany through vendors whose batch takes a text per recipient', () => {
  it('Dreams: one sendsms_multi per sender; -110 refuses all, -113 leaves all unknown (dreams.txt L238–252)', async () => {
    let answer = 'Result: Success';
    const bodies: Record<string, string>[] = [];
    const server = await serve(async (req, res) => {
      bodies.push((await readForm(req)).form);
      reply(res, answer);
    });
    const sms = createSms({ vendors: [dreams({ user: 'u', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const messages = [
      { to: '+966500000001', text: 'One' },
      { to: '+966500000002', text: 'Two', from: 'OTHER' },
      { to: '+966500000003', text: 'Three' },
    ];
    const ok = await sms.sendMany(messages);
    expect(ok.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(bodies.map((b) => [b.sender, JSON.parse(b.to!)])).toEqual([
      ['ACME', [[{ to: '966500000001', message: 'One' }], [{ to: '966500000003', message: 'Three' }]]],
      ['OTHER', [[{ to: '966500000002', message: 'Two' }]]],
    ]);
    answer = '-110';
    expect((await sms.sendMany(messages)).map((r) => [r.status, r.status !== 'accepted' && r.reason])).toEqual(
      Array(3).fill(['rejected', 'auth']),
    );
    answer = '-113';
    expect((await sms.sendMany(messages)).map((r) => [r.status, r.status !== 'accepted' && r.reason])).toEqual(
      Array(3).fill(['unknown', 'balance']),
    );
  });

  it('SMS Leads: one bulk per send time, an <sms> per sender and text, each phone with its own id', async () => {
    const bodies: string[] = [];
    const server = await serve(async (req, res) => {
      bodies.push((await readForm(req)).body);
      reply(
        res,
        '<?xml version="1.0" encoding="UTF-8"?><sms><status>0</status><message>SMS bulk will be sent</message><shipment_id>1</shipment_id></sms>',
        'application/xml',
      );
    });
    const sms = createSms({
      vendors: [smsleads({ token: 't', username: 'u', baseUrl: server.url, from: 'ACME' })],
      defaultCountry: 'IL',
    });
    const results = await sms.sendMany([
      { to: '050-123-4561', text: 'A' },
      { to: '050-123-4562', text: 'B' },
      { to: '050-123-4563', text: 'A' },
    ]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]!.match(/<sms>/g)).toHaveLength(2);
    for (const r of results) {
      if (r.status !== 'accepted') throw new Error(r.status);
      expect(bodies[0]).toContain(`<phone id="${r.messageId}">${r.to.replace('+972', '0')}</phone>`);
    }
  });
});

describe('sendMany stopped by an error after messages went out loses none of their results', () => {
  const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ to: greek(i), text: 'Hi' }));
  const failure = async (run: Promise<unknown>) =>
    run.then(
      () => undefined,
      (e: unknown) => e as Error & { results?: SendManyResult[] },
    );

  it('onProgress throwing: nothing more is sent, and every message sent comes back with its ID', async () => {
    const { server } = await dinisoftServer();
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const thrown = new Error('progress bar broke');
    const error = await failure(
      sms.sendMany(messages(40), {
        concurrency: 2,
        onProgress: () => {
          throw thrown;
        },
      }),
    );
    expect(error?.name).toBe('AbortError');
    expect(error?.cause).toBe(thrown);
    const results = error?.results ?? [];
    // Every request made has its result: none went out unreported.
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(server.requests.length);
    expect(results.every((r) => r.status === 'accepted' && r.messageId)).toBe(true);
    // It stopped: the windows under way when it threw, not the 40.
    expect(server.requests.length).toBeLessThanOrEqual(4);
  });

  it("onProgress throwing a SendManyAbortError of the caller's (a nested run's) is its cause, not taken for the run's own", async () => {
    const { server } = await dinisoftServer();
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const nested = new SendManyAbortError([]);
    const error = await failure(
      sms.sendMany(messages(40), {
        concurrency: 2,
        onProgress: () => {
          throw nested;
        },
      }),
    );
    expect(error).not.toBe(nested);
    expect(error?.cause).toBe(nested);
    expect(error?.results?.filter((r) => r.status === 'accepted')).toHaveLength(server.requests.length);
  });

  it('an input that fails part-way: the messages already sent come back with their IDs, the error as cause', async () => {
    const { server } = await dinisoftServer();
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    const broken = new Error('the CSV stream broke');
    async function* input() {
      yield* messages(5);
      throw broken;
    }
    const error = await failure(sms.sendMany(input(), { concurrency: 2 }));
    expect(error?.cause).toBe(broken);
    expect(error?.results?.map((r) => r.status)).toEqual(Array(server.requests.length).fill('accepted'));
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('an input that fails before anything is sent rejects with its own error', async () => {
    const sms = createSms({
      vendors: [dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: 'http://127.0.0.1:9', from: 'ACME' })],
    });
    const broken = new Error('no such file');
    // biome-ignore lint/correctness/useYield: an input that fails at once
    async function* input(): AsyncGenerator<SendInput> {
      throw broken;
    }
    expect(await failure(sms.sendMany(input()))).toBe(broken);
  });
});
