import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSms, SendError } from '../../packages/sms/src/index.js';
import type { LedgerEntry } from '../../packages/sms/src/ledger.js';
import { RedisLedgerError, redisLedger } from '../../packages/sms/src/redis-ledger.js';
import { unified } from '../../packages/sms/src/unified.js';
import { ledgerContract } from '../../packages/sms/test/ledger-contract.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.js';
import { startServer, type TestServer } from '../support/server.js';

// Issue 19, "Several machines, one campaign": "a Redis-backed ledger store … with an atomic claim
// per key, so two workers given the same rows send each row once", tested against a real redis-server.

let redis: TestRedis;
let vendor: TestServer;
const open: { close(): Promise<void> }[] = [];
const ledger = (...args: Parameters<typeof redisLedger>) => {
  const made = redisLedger(...args);
  open.push(made);
  return made;
};

beforeAll(async () => {
  redis = await startRedis();
  // A Unified endpoint that accepts everything; a test that must send nothing checks it saw nothing.
  vendor = await startServer((req, res) => {
    const number = new URL(req.url ?? '', 'http://x').searchParams.get('destination');
    res.end(`1701|${number}|id-${number}`);
  });
});
afterAll(async () => {
  await Promise.all(open.map((l) => l.close()));
  await vendor?.close();
  await redis?.stop();
});

let keys = 0;
const freshKey = () => `key-${++keys}`;
const notAccepted: LedgerEntry = {
  state: 'failed',
  outcome: 'notAccepted',
  reason: 'throttled',
  vendor: 'unified',
  message: 'unified bulksms failed with HTTP 429',
};

describe('the claim', () => {
  it('is atomic: of 100 concurrent claims of one key from 20 connections, exactly one wins', async () => {
    const ledgers = Array.from({ length: 20 }, () => ledger(redis.url));
    const key = freshKey();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => ledgers[i % 20]!.claim(key)));
    expect(answers.filter((a) => a === undefined)).toHaveLength(1);
    for (const answer of answers.filter(Boolean))
      expect(answer).toEqual({ state: 'pending', since: expect.any(Number) });
  });

  it('hands back a key whose send was certainly not accepted, once, atomically', async () => {
    const ledgers = Array.from({ length: 10 }, () => ledger(redis.url));
    const key = freshKey();
    expect(await ledgers[0]!.claim(key)).toBeUndefined();
    await ledgers[0]!.record(key, notAccepted);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ledgers[i % 10]!.claim(key)));
    expect(answers.filter((a) => a === undefined)).toHaveLength(1);
    expect(await ledgers[1]!.get(key)).toEqual({ state: 'pending', since: expect.any(Number) });
  });

  it('never hands back a pending key, a sent one or one whose outcome is unknown', async () => {
    const [first, second] = [ledger(redis.url), ledger(redis.url)];
    const pending = freshKey();
    expect(await first.claim(pending)).toBeUndefined();
    expect(await second.claim(pending)).toMatchObject({ state: 'pending' });
    expect(await first.claim(pending)).toMatchObject({ state: 'pending' });

    const sent = freshKey();
    const result = {
      id: sent,
      vendor: 'unified' as const,
      messageId: 'm1',
      to: '+306971000001',
      state: 'accepted' as const,
      encoding: 'gsm7' as const,
      parts: 1,
    };
    await first.claim(sent);
    await first.record(sent, { state: 'sent', result });
    expect(await second.claim(sent)).toEqual({ state: 'sent', result });

    const unknown = freshKey();
    const timedOut: LedgerEntry = { ...notAccepted, outcome: 'unknown', reason: 'ambiguous' };
    await first.claim(unknown);
    await first.record(unknown, timedOut);
    expect(await second.claim(unknown)).toEqual(timedOut);
    expect(await second.get(unknown)).toEqual(timedOut);
  });

  it('lets a claim resent after a lost reply (ioredis resends on reconnect) win again, and no other', async () => {
    const client = new Redis(redis.url);
    try {
      ledger({ client });
      const claim = (client as unknown as Record<string, (...args: string[]) => Promise<string | null>>)
        .smswireLedgerClaim!;
      const key = `smswire:ledger:${freshKey()}`;
      const mine = JSON.stringify({ state: 'pending', since: 1, claim: 'a' });
      expect(await claim.call(client, key, mine, '60', '', '')).toBeNull();
      expect(await claim.call(client, key, mine, '60', '', '')).toBeNull();
      const theirs = JSON.stringify({ state: 'pending', since: 1, claim: 'b' });
      expect(await claim.call(client, key, theirs, '60', '', '')).toBe(mine);
    } finally {
      client.disconnect();
    }
  });

  it('keeps campaigns apart by prefix and expires entries, after 7 days by default', async () => {
    const client = new Redis(redis.url);
    try {
      const key = freshKey();
      const a = ledger({ client }, { prefix: 'campaign-a:' });
      const b = ledger(redis.url, { prefix: 'campaign-b:', ttlSeconds: 3600 });
      expect(await a.claim(key)).toBeUndefined();
      expect(await b.claim(key)).toBeUndefined();
      const week = 7 * 24 * 3600;
      expect(await client.ttl(`campaign-a:${key}`)).toBeGreaterThan(week - 100);
      expect(await client.ttl(`campaign-a:${key}`)).toBeLessThanOrEqual(week);
      await a.record(key, notAccepted);
      expect(await client.ttl(`campaign-a:${key}`)).toBeGreaterThan(week - 100);
      expect(await client.ttl(`campaign-b:${key}`)).toBeGreaterThan(3500);
      await b.record(key, notAccepted);
      expect(await client.ttl(`campaign-b:${key}`)).toBeGreaterThan(3500);
      // close() leaves a client it was given open.
      await a.close();
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
    }
  });
});

describe('an entry written before fingerprints', () => {
  it('still replays, whatever the message sent with its key now', async () => {
    const client = new Redis(redis.url);
    try {
      const result = {
        id: 'old-1',
        vendor: 'unified',
        messageId: 'm9',
        to: '+306971000001',
        state: 'accepted',
        encoding: 'gsm7',
        parts: 1,
      };
      await client.set('old-format:old-1', JSON.stringify({ state: 'sent', result }));
      const before = vendor.requests.length;
      const sms = createSms({
        vendors: [unified({ username: 'u', password: 'p', baseUrl: vendor.url, from: 'ACME' })],
        ledger: ledger(redis.url, { prefix: 'old-format:' }),
      });
      expect(await sms.send({ to: '+306971000001', text: 'Anything', idempotencyKey: 'old-1' })).toEqual({
        ...result,
        replayed: true,
      });
      expect(vendor.requests.length).toBe(before);
    } finally {
      client.disconnect();
    }
  });
});

describe('a ledger that cannot claim sends nothing', () => {
  it('Redis unreachable: send fails notAccepted (vendorDown), sendMany rejects every row, the vendor sees nothing', async () => {
    const down = ledger(`redis://127.0.0.1:${await freePort()}`);
    const before = vendor.requests.length;
    const sms = createSms({
      vendors: [unified({ username: 'u', password: 'p', baseUrl: vendor.url, from: 'ACME' })],
      ledger: down,
    });
    const error = await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'down-1' }).catch((e) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown', key: 'down-1' });
    expect(error.message).toMatch(/nothing was sent.*ECONNREFUSED/);
    expect(error.cause).toBeInstanceOf(RedisLedgerError);

    const results = await sms.sendMany([
      { to: '+306971000002', text: 'Hi', idempotencyKey: 'down-2' },
      { to: '+306971000003', text: 'Hi', idempotencyKey: 'down-3' },
    ]);
    expect(results.map((r) => [r.status, 'reason' in r && r.reason])).toEqual([
      ['rejected', 'vendorDown'],
      ['rejected', 'vendorDown'],
    ]);
    expect(vendor.requests.length).toBe(before);
  });
});

describe('a Redis that goes away and comes back', () => {
  it('fails claims at once while it is gone, and serves them again once it is back', async () => {
    const first = await startRedis();
    const flaky = ledger(first.url);
    expect(await flaky.claim('before')).toBeUndefined();
    await first.stop();
    const started = Date.now();
    await expect(flaky.claim('while-down')).rejects.toThrow(RedisLedgerError);
    expect(Date.now() - started).toBeLessThan(1000);
    const second = await startRedis({ port: first.port });
    try {
      // ioredis reconnects on its own, after at most 2 s.
      await vi.waitFor(() => expect(flaky.claim('after')).resolves.toBeUndefined(), { timeout: 10_000, interval: 200 });
    } finally {
      await second.stop();
    }
  });
});

describe('the Redis password appears in no error and no log', () => {
  const secret = 'pa55:w@rd-Zq7';
  let guarded: TestRedis;
  beforeAll(async () => {
    guarded = await startRedis({ password: secret });
  });
  afterAll(() => guarded?.stop());

  /** Everything an error could show: message, stack, JSON, and every field and cause, hidden ones too. */
  const everything = (error: unknown) =>
    [inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error), String(error)].join('\n');
  const forms = [secret, encodeURIComponent(secret)];

  it('with the right password the ledger works', async () => {
    const key = freshKey();
    expect(guarded.url).toContain(encodeURIComponent(secret));
    expect(await ledger(guarded.url).claim(key)).toBeUndefined();
  });

  it('a wrong password (AUTH refused, whose command holds it) is redacted from the claim error and the send error', async () => {
    const wrong = 'wr0ng:p@ss-Xk4';
    const url = `redis://app:${encodeURIComponent(wrong)}@127.0.0.1:${guarded.port}`;
    const logged: unknown[] = [];
    const spies = (['error', 'warn', 'log', 'info', 'debug'] as const).map((name) =>
      vi.spyOn(console, name).mockImplementation((...args) => void logged.push(...args)),
    );
    try {
      const refused = ledger(url);
      const claimError = await refused.claim(freshKey()).catch((e) => e);
      expect(claimError).toBeInstanceOf(RedisLedgerError);

      const sms = createSms({
        vendors: [unified({ username: 'u', password: 'p', baseUrl: vendor.url, from: 'ACME' })],
        ledger: refused,
      });
      const sendError = await sms.send({ to: '+306971000004', text: 'Hi' }).catch((e) => e);
      expect(sendError).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown' });
      expect(sendError.message).toMatch(/WRONGPASS/);

      const shown = [everything(claimError), everything(sendError), inspect(logged, { depth: Infinity })].join('\n');
      for (const form of [wrong, encodeURIComponent(wrong), ...forms]) expect(shown).not.toContain(form);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('a URL Node cannot parse (whose error keeps it whole) is refused without it', () => {
    let error: unknown;
    try {
      redisLedger(`redis://:${secret} x@127.0.0.1:notaport`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RedisLedgerError);
    for (const form of forms) expect(everything(error)).not.toContain(form);
  });
});

ledgerContract('redis ledger', () => ledger(redis.url, { prefix: 'contract:' }));
