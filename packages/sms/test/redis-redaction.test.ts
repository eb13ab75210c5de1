import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { redisLedger } from '../src/redis-ledger.js';
import { redisReportStore } from '../src/redis-report-store.js';

/**
 * The Redis stores redact the password with core's redactor, as the clients redact credentials:
 * every spelling of it, not only the text as typed. Redis and ioredis echo what they are given in
 * their own forms (JSON-escaped in a Lua error, percent-encoded in a URL), which a substring
 * replace of the typed password let through.
 */
const password = 'pa55"w/rd:Zq7';
const spellings = [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password)];

const clients: Redis[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

function stubbedClient(fail: (name: string) => never): Redis {
  const client = new Redis({ password, lazyConnect: true, enableOfflineQueue: false });
  clients.push(client);
  return new Proxy(client, {
    get(target, name, receiver) {
      if (name === 'status') return 'ready';
      if (name === 'mget' || name === 'smswireReportSwap' || name === 'smswireLedgerClaim' || name === 'get')
        return async () => fail(String(name));
      return Reflect.get(target, name, receiver);
    },
  });
}

describe('a Redis error that echoes the password in any spelling', () => {
  it.each(spellings)('is redacted by the report store (%s)', async (spelled) => {
    const store = redisReportStore(
      stubbedClient(() => {
        throw new Error(`ERR Error running script: bad argument "${spelled}"`);
      }),
    );
    const error = await store.read(['k']).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/redis report store read failed: ERR Error running script/);
    for (const form of spellings) expect(error?.message).not.toContain(form);
  });

  it.each(spellings)('is redacted by the ledger (%s)', async (spelled) => {
    const ledger = redisLedger({
      client: stubbedClient(() => {
        throw new Error(`ERR Error running script: bad argument "${spelled}"`);
      }),
    });
    const error = await ledger.claim('k').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/redis ledger claim failed: ERR Error running script/);
    for (const form of spellings) expect(error?.message).not.toContain(form);
  });
});
