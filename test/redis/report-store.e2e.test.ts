import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisReportStoreError, redisReportStore } from '../../packages/sms/src/redis-report-store.js';
import {
  appliedStatus,
  applyReport,
  createReportHandler,
  createReportServer,
  signCallbackUrl,
} from '../../packages/sms/src/report-endpoint.js';
import { status, type MessageStatus } from '../../packages/sms/src/states.js';
import { expectNoSecrets } from '../support/secrets.js';
import { freePort, startRedis, type TestRedis } from '../support/redis.js';

// Issue 33: "the state lives in a store … Redis, so several endpoint processes behind a load
// balancer share one". Two endpoints, each with its own connection, over one redis-server.

const secret = 'redis-endpoint-secret-0123456789abcdefghij';
let redis: TestRedis;
const clients: Redis[] = [];
const servers: Server[] = [];
beforeAll(async () => {
  redis = await startRedis({ password: 'redis-pass-0123' });
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  await redis?.stop();
});

const client = () => {
  const made = new Redis(redis.url);
  clients.push(made);
  return made;
};

async function endpoint(prefix: string) {
  const heard: MessageStatus[] = [];
  const store = redisReportStore(client(), { prefix });
  const handler = createReportHandler({
    secrets: { k1: secret },
    store,
    onReport: (r) => void heard.push(r),
    log: () => undefined,
  });
  const server = createReportServer({ handler });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { heard, store, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const callback = (base: string, key: string, msgid: string, state: string) =>
  fetch(
    `${signCallbackUrl({ url: `${base}/r`, keyId: 'k1', secret }, key)}&msgid=${msgid}&status=${state}&cost=1&to=306971234567&mcc=202&mnc=01`,
  );

describe('two endpoints sharing one Redis store', () => {
  it('apply each report once between them: 40 copies split across both reach one onReport once', async () => {
    const a = await endpoint('shared-1:');
    const b = await endpoint('shared-1:');
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) => callback(i % 2 ? a.base : b.base, 'order-1', '501', 'd')),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect([...a.heard, ...b.heard]).toMatchObject([{ messageId: '501', state: 'delivered' }]);
    // The other endpoint sees the applied state: a contradicting replay is refused there too.
    expect((await callback(a.base, 'order-1', '501', 'f')).status).toBe(403);
    expect((await callback(b.base, 'order-1', '501', 'f')).status).toBe(403);
  });

  it('refuse a cross-message report at either endpoint', async () => {
    const a = await endpoint('shared-2:');
    const b = await endpoint('shared-2:');
    expect((await callback(a.base, 'order-a', '601', 'd')).status).toBe(200);
    expect((await callback(b.base, 'order-a', '602', 'd')).status).toBe(403);
    expect((await callback(b.base, 'order-b', '601', 'd')).status).toBe(403);
    expect(a.heard.length + b.heard.length).toBe(1);
  });

  it('never move a message back: a late sent after delivered is stale', async () => {
    const store = redisReportStore(client(), { prefix: 'order:' });
    const delivered = status('sms365', '42', 'delivered', 'd');
    expect(await applyReport(store, 'ref-42', status('sms365', '42', 'sent', 's'))).toMatchObject({
      outcome: 'applied',
    });
    expect(await applyReport(store, 'ref-42', delivered)).toMatchObject({ outcome: 'applied' });
    expect(await applyReport(store, 'ref-42', status('sms365', '42', 'sent', 's'))).toMatchObject({ outcome: 'stale' });
    expect(await appliedStatus(store, 'sms365', '42')).toEqual(delivered);
  });

  it('fails as a RedisReportStoreError without the password when Redis is unreachable', async () => {
    const gone = new Redis({
      port: await freePort(),
      password: 'redis-pass-0123',
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    gone.on('error', () => undefined);
    clients.push(gone);
    const store = redisReportStore(gone);
    const error = await store.read(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisReportStoreError);
    expectNoSecrets(error, ['redis-pass-0123']);
  });
});
