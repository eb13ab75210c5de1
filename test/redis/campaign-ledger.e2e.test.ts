import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { campaignLedger } from '../../packages/cli/src/queue/campaign-ledger.js';
import { createSms } from '../../packages/sms/src/index.js';
import type { LedgerEntry } from '../../packages/sms/src/ledger.js';
import { countingVendor, ledgerContract } from '../../packages/sms/test/ledger-contract.js';
import { startRedis, type TestRedis } from '../support/redis.js';

// Issue 35: the queued campaign's ledger (one hash, a window's claims in one script, claims
// stored compactly) keeps every ledger's idempotency contract, against a real redis-server.

let redis: TestRedis;
let client: Redis;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

let hashes = 0;
const fresh = () => `test:campaign:${++hashes}:rows`;
type Claim = (hash: string, ...args: string[]) => Promise<(string | null)[]>;

ledgerContract('campaign ledger', () => campaignLedger(client, 'contract:rows', 60));

it('a key twice in one window is claimed once: the second finds it pending, and the vendor gets it once', async () => {
  const vendor = countingVendor();
  const sms = createSms({ vendors: [vendor.adapter], ledger: campaignLedger(client, fresh(), 60) });
  const message = { to: '+306971000001', text: 'Hi', idempotencyKey: 'twice' };
  const results = await sms.sendMany([message, message]);
  expect(results.map((r) => r.status)).toEqual(['accepted', 'unknown']);
  expect(vendor.times('twice')).toBe(1);
});

it('a claim resent after a lost reply (ioredis resends on reconnect) wins again, whole; no other call does', async () => {
  const hash = fresh();
  campaignLedger(client, hash, 60);
  const claim = (client as unknown as { smswireCampaignClaim: Claim }).smswireCampaignClaim.bind(client);
  const mine = ['60', 'p 1 token-a', '', 'k1', 'fp1', 'k2', ''];
  expect(await claim(hash, ...mine)).toEqual([null, null]);
  expect(await claim(hash, ...mine)).toEqual([null, null]);
  expect(await claim(hash, '60', 'p 2 token-b', '', 'k1', 'fp1', 'k2', '')).toEqual([
    'p 1 token-a fp1',
    'p 1 token-a ',
  ]);
  // What the claim stored reads back as the pending entry it stands for.
  const ledger = campaignLedger(client, hash, 60);
  expect(await ledger.get('k1')).toEqual({ state: 'pending', since: 1, fingerprint: 'fp1' });
  expect(await ledger.get('k2')).toEqual({ state: 'pending', since: 1 });
});

it('reads the JSON claims an earlier version stored: pending, never claimed again but by resendUnknown of its fingerprint', async () => {
  const hash = fresh();
  await client.hset(hash, 'old', JSON.stringify({ state: 'pending', since: 5, fingerprint: 'fp', claim: 'x' }));
  const ledger = campaignLedger(client, hash, 60);
  const pending: LedgerEntry = { state: 'pending', since: 5, fingerprint: 'fp' };
  expect(await ledger.claim('old', { fingerprint: 'fp' })).toMatchObject(pending);
  expect(await ledger.claim('old', { fingerprint: 'other', resendUnknown: true })).toMatchObject(pending);
  expect(await ledger.claim('old', { fingerprint: 'fp', resendUnknown: true })).toBeUndefined();
});

it('stores a claim in a few dozen bytes, not a JSON entry', async () => {
  const hash = fresh();
  const ledger = campaignLedger(client, hash, 60, () => 1_700_000_000_000);
  await ledger.claim('row-1-15b2e34ea634c5ae5908', { fingerprint: 'f3d0c8cba6c99fde' });
  const stored = await client.hget(hash, 'row-1-15b2e34ea634c5ae5908');
  expect(stored).toMatch(/^p 1700000000000 [0-9a-f-]{36} f3d0c8cba6c99fde$/);
});
