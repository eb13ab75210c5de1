import { createConnection, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSms, SendError } from '../../packages/sms/src/index.js';
import { redisLedger } from '../../packages/sms/src/redis-ledger.js';
import { countingVendor } from '../../packages/sms/test/ledger-contract.js';
import { startRedis, type TestRedis } from '../support/redis.js';

// Issue 29, "A Redis claim whose reply is lost leaves the key pending forever": the claim reaches
// Redis and is stored, its reply never comes back. The ledger releases the claim (a delete
// conditioned on the claim's token) so the send is certainly not sent and may be tried again, or,
// when it cannot, reports the outcome unknown: never both "not sent" and "cannot send".

let redis: TestRedis;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let direct: Redis;

/**
 * A TCP proxy in front of redis-server that forwards every command, and for a command `drop`
 * picks closes the connection when Redis answers it, the answer unsent (the command ran, its
 * reply was lost on the way), then closes every connection for `downMs`: Redis gone for a while
 * just after it stored the claim. (ioredis resends the claim on each reconnect: it waits.)
 */
async function startProxy(port: number) {
  const sockets = new Set<Socket>();
  const state = {
    url: '',
    drop: (_command: string) => false,
    dropped: 0,
    downMs: 0,
    downUntil: 0,
    server: createServer((client) => {
      if (Date.now() < state.downUntil) {
        client.destroy();
        return;
      }
      const upstream = createConnection({ host: '127.0.0.1', port });
      sockets.add(client).add(upstream);
      let doomed = false;
      client.on('data', (chunk) => {
        if (state.drop(chunk.toString('latin1'))) doomed = true;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => {
        if (!doomed) {
          client.write(chunk);
          return;
        }
        state.dropped++;
        state.downUntil = Date.now() + state.downMs;
        client.destroy();
        upstream.destroy();
      });
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    }),
  };
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  const address = state.server.address();
  state.url = `redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const close = state.server.close.bind(state.server);
  state.server.close = (callback) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  };
  return state;
}

beforeAll(async () => {
  redis = await startRedis();
  proxy = await startProxy(redis.port);
  direct = new Redis(redis.url);
});
afterAll(async () => {
  direct?.disconnect();
  await new Promise((resolve) => proxy?.server.close(resolve));
  await redis?.stop();
});

/** The first claim command (its pending entry is in its arguments) of `key`. */
const claimOf = (key: string) => {
  let seen = false;
  return (command: string) => {
    if (seen || !(command.includes(key) && command.includes('"state":"pending"'))) return false;
    seen = true;
    return true;
  };
};

describe('a claim whose reply is lost', () => {
  it('is released: the send is certainly not sent, and the key is sent once when tried again', async () => {
    const ledger = redisLedger(proxy.url, { claimTimeoutMs: 500 });
    try {
      const vendor = countingVendor();
      const sms = createSms({ vendors: [vendor.adapter], ledger });
      // The claim script in Redis's cache, so the lost claim runs at its first try.
      await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'warm' });

      proxy.drop = claimOf('lost-1');
      proxy.downMs = 1500;
      const before = proxy.dropped;
      const error = await sms.send({ to: '+306971000002', text: 'Hi', idempotencyKey: 'lost-1' }).catch((e) => e);
      proxy.drop = () => false;
      expect(proxy.dropped).toBeGreaterThan(before);
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown', key: 'lost-1' });
      expect(await direct.get('smswire:ledger:lost-1')).toBeNull();
      expect(vendor.times('lost-1')).toBe(0);

      expect(await sms.send({ to: '+306971000002', text: 'Hi', idempotencyKey: 'lost-1' })).toMatchObject({
        state: 'accepted',
      });
      expect(vendor.times('lost-1')).toBe(1);
    } finally {
      await ledger.close();
    }
  });

  it('a window of claims lost together: each released, each row sent once when run again', async () => {
    const ledger = redisLedger(proxy.url, { claimTimeoutMs: 500 });
    const warnings: Error[] = [];
    const warn = (warning: Error) => warnings.push(warning);
    process.on('warning', warn);
    try {
      const vendor = countingVendor();
      const sms = createSms({ vendors: [vendor.adapter], ledger });
      await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'warm-3' });
      const rows = Array.from({ length: 40 }, (_, i) => ({
        to: `+3069710001${String(i).padStart(2, '0')}`,
        text: 'Hi',
        idempotencyKey: `window-${i}`,
      }));
      proxy.drop = claimOf('window-');
      proxy.downMs = 1500;
      const first = await sms.sendMany(rows);
      proxy.drop = () => false;
      const notSent = first.filter((r) => r.status !== 'accepted');
      expect(notSent.length).toBeGreaterThan(0);
      for (const row of notSent) {
        expect(row).toMatchObject({ status: 'rejected', reason: 'vendorDown' });
        expect(await direct.get(`smswire:ledger:${row.id}`)).toBeNull();
      }
      const again = await sms.sendMany(rows);
      expect(again.map((r) => r.status)).toEqual(rows.map(() => 'accepted'));
      for (const row of rows) expect(vendor.times(row.idempotencyKey)).toBe(1);
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', warn);
      await ledger.close();
    }
  });

  it('that cannot be released is reported unknown, and the key answers unknown until sent with resendUnknown', async () => {
    const ledger = redisLedger(proxy.url, { claimTimeoutMs: 500 });
    try {
      const vendor = countingVendor();
      const sms = createSms({ vendors: [vendor.adapter], ledger });
      await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'warm-2' });

      // Redis is gone for longer than the ledger waits to release the claim.
      proxy.drop = claimOf('lost-2');
      proxy.downMs = 4500;
      const [row] = await sms.sendMany([{ to: '+306971000003', text: 'Hi', idempotencyKey: 'lost-2' }]);
      proxy.drop = () => false;
      proxy.downUntil = 0;
      expect(row).toMatchObject({ status: 'unknown', reason: 'ambiguous', id: 'lost-2' });
      expect((row as { error: Error }).error.message).toMatch(/nothing was sent.*resendUnknown/);
      expect(await direct.get('smswire:ledger:lost-2')).toMatch(/"state":"pending"/);
      expect(vendor.times('lost-2')).toBe(0);

      const message = { to: '+306971000003', text: 'Hi', idempotencyKey: 'lost-2' };
      await vi.waitFor(() => expect(ledger.get('warm-2')).resolves.toBeDefined(), { timeout: 5000, interval: 100 });
      await expect(sms.send(message)).rejects.toMatchObject({ outcome: 'unknown' });
      expect(await sms.send({ ...message, resendUnknown: true })).toMatchObject({ state: 'accepted' });
      expect(vendor.times('lost-2')).toBe(1);
    } finally {
      await ledger.close();
    }
  });
});
