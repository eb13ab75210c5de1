import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { SmswireError } from '@smswire/core/errors';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { refusedUrl, startServer, type TestServer } from '../../../test/support/server.js';
import { dinisoft } from '../src/dinisoft.js';
import type { Adapter } from '../src/adapter.js';
import { SendError, UnsupportedError } from '../src/errors.js';
import { fileLedger } from '../src/file-ledger.js';
import { createSms } from '../src/index.js';
import type { Ledger } from '../src/ledger.js';
import { sms365 } from '../src/sms365.js';
import { capabilities } from './stand-in-capabilities.js';

type Fault = (req: IncomingMessage, res: ServerResponse) => void;
const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
/** sms365 (primary) answers with a fault; DiniSoft (secondary) accepts. */
const sms365Accepts: Fault = (_req, res) => json(res, { status: 1, error: 0, remarks: 'Success', smsId: '7316204' });
const dinisoftAccepts: Fault = (_req, res) => json(res, { Status: '0', Text: 'ACCEPTD', Message_ID: '194234' });

/**
 * The fault matrix: what the primary does, and whether the message may go to the secondary.
 * Only a certain refusal fails over (DESIGN: "Only `notAccepted` fails over"); everything after
 * which the primary may hold the message is `unknown` and is never sent again.
 */
const matrix: { name: string; fault: Fault | 'refused'; outcome: 'notAccepted' | 'unknown'; reason: string }[] = [
  { name: 'connection refused', fault: 'refused', outcome: 'notAccepted', reason: 'vendorDown' },
  { name: 'HTTP 429', fault: (_q, res) => json(res, {}, 429), outcome: 'notAccepted', reason: 'throttled' },
  // sms365.yaml smsSend 105: "Not enough balance."
  {
    name: 'code 105 (not enough balance)',
    fault: (_q, res) => json(res, { status: 0, error: 105, remarks: 'Not enough balance' }),
    outcome: 'notAccepted',
    reason: 'balance',
  },
  {
    name: 'code 101 (credentials)',
    fault: (_q, res) => json(res, { status: 0, error: 101, remarks: 'Check your credentials' }),
    outcome: 'notAccepted',
    reason: 'auth',
  },
  { name: 'HTTP 500', fault: (_q, res) => json(res, {}, 500), outcome: 'unknown', reason: 'vendorDown' },
  { name: 'HTTP 503', fault: (_q, res) => json(res, {}, 503), outcome: 'unknown', reason: 'vendorDown' },
  { name: 'reset after the request', fault: (req) => req.socket.destroy(), outcome: 'unknown', reason: 'ambiguous' },
  { name: 'no reply (timeout)', fault: () => undefined, outcome: 'unknown', reason: 'ambiguous' },
  {
    name: 'truncated reply',
    fault: (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":1,"err');
    },
    outcome: 'unknown',
    reason: 'ambiguous',
  },
  {
    name: 'HTML instead of JSON',
    fault: (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
    },
    outcome: 'unknown',
    reason: 'ambiguous',
  },
  {
    name: 'a 302 redirect',
    fault: (_q, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/' });
      res.end();
    },
    outcome: 'unknown',
    reason: 'ambiguous',
  },
];

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function pair(fault: Fault | 'refused', failover: 'sticky' | 'roundRobin' | false = 'sticky') {
  const primary =
    fault === 'refused'
      ? undefined
      : await startServer((req, res) => {
          req.resume();
          req.on('end', () => fault(req, res));
        });
  const secondary = await startServer((req, res) => {
    req.resume();
    req.on('end', () => dinisoftAccepts(req, res));
  });
  servers.push(...(primary ? [primary] : []), secondary);
  const sms = createSms({
    failover,
    vendors: [
      sms365({ key: 'k', from: 'ACME', baseUrl: primary?.url ?? (await refusedUrl()), timeoutMs: 300 }),
      dinisoft({ apiKey: 'a', secretKey: 's', from: 'DINISOFT', baseUrl: secondary.url, timeoutMs: 300 }),
    ],
  });
  return { sms, primary, secondary };
}

describe('failover: not one message is received twice by any vendor under any fault', () => {
  it.each(matrix)('$name → $outcome', async ({ fault, outcome, reason }) => {
    const { sms, primary, secondary } = await pair(fault);
    const send = { to: '+306971000000', text: 'Hello', idempotencyKey: 'order-42' };
    const first = await sms.send(send).catch((e: unknown) => e);
    if (outcome === 'notAccepted') {
      expect(first).toMatchObject({ vendor: 'dinisoft', messageId: '194234', id: 'order-42' });
      expect(secondary.requests).toHaveLength(1);
      expect(new URL(secondary.requests[0]!, 'http://x').searchParams.get('toUser')).toBe('306971000000');
    } else {
      expect(first).toBeInstanceOf(SendError);
      expect(first).toMatchObject({ outcome, reason, vendor: 'sms365', key: 'order-42' });
      expect(secondary.requests).toEqual([]);
    }
    // sms365 submits are writes: never repeated once they may have arrived.
    expect(primary?.requests.length ?? 0).toBeLessThanOrEqual(1);
    // The same key again sends nothing anywhere and answers the same.
    const before = [primary?.requests.length ?? 0, secondary.requests.length];
    const again = await sms.send(send).catch((e: unknown) => e);
    expect([primary?.requests.length ?? 0, secondary.requests.length]).toEqual(before);
    if (outcome === 'notAccepted') expect(again).toEqual({ ...(first as object), replayed: true });
    else expect(again).toMatchObject({ outcome, reason, replayed: true });
  });

  it('failover: false never tries the second vendor', async () => {
    const { sms, secondary } = await pair((_q, res) => json(res, {}, 429), false);
    await expect(sms.send({ to: '+306971000000', text: 'Hello' })).rejects.toMatchObject({
      outcome: 'notAccepted',
      reason: 'throttled',
    });
    expect(secondary.requests).toEqual([]);
  });

  it('round-robin starts each send with the next vendor; sticky always with the first', async () => {
    const { sms, primary, secondary } = await pair(sms365Accepts, 'roundRobin');
    const vendors = [];
    for (let i = 0; i < 4; i++) vendors.push((await sms.send({ to: '+306971000000', text: `n${i}` })).vendor);
    expect(vendors).toEqual(['sms365', 'dinisoft', 'sms365', 'dinisoft']);
    expect([primary!.requests.length, secondary.requests.length]).toEqual([2, 2]);
    const sticky = await pair(sms365Accepts);
    for (let i = 0; i < 3; i++) await sticky.sms.send({ to: '+306971000000', text: `n${i}` });
    expect([sticky.primary!.requests.length, sticky.secondary.requests.length]).toEqual([3, 0]);
  });

  it('concurrent sends with one key reach the vendor once', async () => {
    const { sms, primary } = await pair(sms365Accepts);
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => sms.send({ to: '+306971000000', text: 'Hello', idempotencyKey: 'same' })),
    );
    expect(primary!.requests).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // The others saw a send under way: unknown, never sent.
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({ outcome: 'unknown' });
  });
});

describe('fileLedger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-ledger-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps results across processes, and a claim left by a crash is never sent again', async () => {
    const path = join(dir, 'ledger.jsonl');
    const server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => sms365Accepts(req, res));
    });
    servers.push(server);
    const make = () => {
      const ledger = fileLedger(path);
      return { ledger, sms: createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })], ledger }) };
    };
    const one = make();
    const first = await one.sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k1' });
    // A crash after the claim was written and before the outcome: the claim is on disk alone.
    await one.ledger.claim('k2');
    one.ledger.close();
    // …and a torn last line from a crash mid-write.
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"key":"k3","entry":{"sta`);

    const two = make();
    expect(await two.sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k1' })).toEqual({
      ...first,
      replayed: true,
    });
    await expect(two.sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k2' })).rejects.toMatchObject({
      outcome: 'unknown',
      reason: 'ambiguous',
    });
    await two.sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k3' });
    two.ledger.close();
    expect(server.requests).toHaveLength(2); // k1 once, k3 once; k2 never
    const three = fileLedger(path);
    await expect(three.get('k3')).resolves.toMatchObject({ state: 'sent' });
    three.close();
  });
});

describe('a ledger that cannot claim', () => {
  // DESIGN, the vendor-neutral layer: a key is claimed in the ledger before any vendor is called;
  // a claim that fails (a shared Redis unreachable) means nothing went out: notAccepted, vendorDown.
  const broken = (error: unknown): Ledger => ({
    claim: () => Promise.reject(error),
    record: () => Promise.reject(new Error('not reached')),
    get: () => Promise.resolve(undefined),
  });
  const cannotClaim = new SmswireError('redis ledger claim failed: connect ECONNREFUSED 127.0.0.1:6379', {
    vendor: 'redis',
    operation: 'claim',
  });

  it('fails send and every sendMany row as certainly not sent, and calls no vendor', async () => {
    const server = await startServer((req, res) => sms365Accepts(req, res));
    servers.push(server);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })], ledger: broken(cannotClaim) });
    const error = await sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown', key: 'k1', cause: cannotClaim });
    expect((error as Error).message).toContain('ECONNREFUSED');
    const results = await sms.sendMany([
      { to: '+306971000001', text: 'Hi' },
      { to: 'not a number', text: 'Hi' },
      { to: '+306971000002', text: 'Hi' },
    ]);
    expect(results.map((r) => [r.status, r.status !== 'accepted' && r.reason])).toEqual([
      ['rejected', 'vendorDown'],
      ['rejected', 'validation'],
      ['rejected', 'vendorDown'],
    ]);
    expect(server.requests).toEqual([]);
  });

  it("keeps only a smswire error's text: another ledger's raw error may hold its connection string", async () => {
    const raw = new Error('connect ECONNREFUSED postgres://app:hunter2@db:5432/ledger');
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: 'http://127.0.0.1:9' })], ledger: broken(raw) });
    const error = await sms.send({ to: '+306971000000', text: 'Hi' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown' });
    expect(inspect(error, { depth: Infinity, showHidden: true })).not.toContain('hunter2');
  });
});

describe('a ledger that cannot record', () => {
  // The vendor has accepted before the outcome is recorded: a ledger failing then must neither
  // lose the message ID nor count as the vendor's refusal (which would fail over: a double send).
  const claimsThenFails = (): Ledger & { claims: string[] } => {
    const claims: string[] = [];
    return {
      claims,
      claim: async (key) => {
        claims.push(key);
        return undefined;
      },
      record: () => Promise.reject(new Error('redis ledger record failed: connection lost')),
      get: () => Promise.resolve(undefined),
    };
  };

  it('send returns the accepted result, and the secondary vendor is never called', async () => {
    const primary = await startServer((req, res) => sms365Accepts(req, res));
    const secondary = await startServer((req, res) => dinisoftAccepts(req, res));
    servers.push(primary, secondary);
    const sms = createSms({
      vendors: [
        sms365({ key: 'k', baseUrl: primary.url }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.url }),
      ],
      ledger: claimsThenFails(),
    });
    const result = await sms.send({ to: '+306971000000', text: 'Hi', idempotencyKey: 'k1' });
    expect(result).toMatchObject({ vendor: 'sms365', messageId: '7316204', state: 'accepted' });
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toEqual([]);
  });

  it('sendMany returns every accepted message ID', async () => {
    const primary = await startServer((req, res) => dinisoftAccepts(req, res));
    servers.push(primary);
    const sms = createSms({
      vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: primary.url })],
      ledger: claimsThenFails(),
    });
    const results = await sms.sendMany([
      { to: '+8801712345678', text: 'Hi', from: 'SMSWIRE' },
      { to: '+8801812345678', text: 'Hi there', from: 'SMSWIRE' },
    ]);
    expect(results.map((r) => [r.status, r.status === 'accepted' && r.messageId])).toEqual([
      ['accepted', '194234'],
      ['accepted', '194234'],
    ]);
    expect(primary.requests).toHaveLength(2);
  });
});

describe('an adapter that cannot send yet', () => {
  // What `pnpm new-vendor` scaffolds when the spec's send operation is not recognised.
  const unable: Adapter = {
    vendor: 'unified',
    capabilities: capabilities(),
    async send() {
      throw new UnsupportedError('unified', 'send', 'its spec has no send operation the adapter maps');
    },
  };
  const accepting: Adapter = { ...unable, vendor: 'dinisoft', send: async () => ({ messageId: '194234' }) };

  it('refuses before sending anything: notAccepted, so the next vendor sends the message', async () => {
    const sms = createSms({ vendors: [unable, accepting] });
    expect(await sms.send({ to: '+8801712345678', text: 'hi' })).toMatchObject({
      vendor: 'dinisoft',
      messageId: '194234',
    });
    const alone = await createSms({ vendors: [unable] })
      .send({ to: '+8801712345678', text: 'hi' })
      .catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(SendError);
    expect(alone).toMatchObject({
      outcome: 'notAccepted',
      vendor: 'unified',
      message: expect.stringContaining('unified cannot send'),
    });
    expect((alone as SendError).cause).toBeInstanceOf(UnsupportedError);
  });
});
