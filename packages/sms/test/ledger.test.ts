import { describe, expect, it } from 'vitest';
import { createSms, memoryLedger, type LedgerEntry } from '../src/index.js';
import { countingVendor, ledgerContract } from './ledger-contract.js';

const shared = memoryLedger();
ledgerContract('memory ledger', () => shared);

const sent = (n: number): LedgerEntry => ({
  state: 'sent',
  result: { id: `k${n}`, vendor: 'sms365', to: '+306971000001', state: 'accepted', encoding: 'gsm7', parts: 1 },
});

// Issue 29, "The default ledger never forgets": it forgets on a rule that still covers every
// retry a caller can make: a time window (24 hours by default) and a size bound.
describe('the memory ledger forgets', () => {
  const hour = 60 * 60 * 1000;

  it('a key 24 hours after its last write by default, not before', async () => {
    let now = 0;
    const ledger = memoryLedger({ now: () => now });
    await ledger.claim('k1');
    now = 1000;
    await ledger.record('k1', sent(1));
    now = 1000 + 24 * hour - 1;
    expect(await ledger.claim('k1')).toEqual(sent(1));
    now = 1000 + 24 * hour;
    expect(await ledger.get('k1')).toBeUndefined();
    expect(await ledger.claim('k1')).toBeUndefined();
  });

  it('past the size bound, the finished keys written longest ago first, never a pending one within the window', async () => {
    let now = 0;
    const ledger = memoryLedger({ now: () => now, maxEntries: 4 });
    await ledger.claim('old-pending');
    for (const n of [1, 2, 3, 4]) {
      now++;
      await ledger.claim(`k${n}`);
      await ledger.record(`k${n}`, sent(n));
    }
    // Five keys over a bound of four: the oldest finished one went, the older pending one stayed.
    expect(await ledger.get('old-pending')).toMatchObject({ state: 'pending' });
    expect(await ledger.get('k1')).toBeUndefined();
    expect(await ledger.get('k2')).toEqual(sent(2));
    // A write moves a key to the newest: k2 rewritten outlives k3.
    await ledger.record('k2', sent(2));
    now++;
    await ledger.claim('k5');
    expect(await ledger.get('k3')).toBeUndefined();
    expect(await ledger.get('k2')).toEqual(sent(2));
    expect(await ledger.get('old-pending')).toMatchObject({ state: 'pending' });
  });

  it('createSms: a send repeated within the window is a replay, one repeated after it a new send', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const vendor = countingVendor();
    const sms = createSms({ vendors: [vendor.adapter], ledger: memoryLedger({ now: () => now, forgetAfterMs: hour }) });
    const message = { to: '+306971000001', text: 'Hi', idempotencyKey: 'daily' };
    await sms.send(message);
    now += hour - 1;
    expect(await sms.send(message)).toMatchObject({ replayed: true });
    now += hour;
    expect(await sms.send(message)).not.toHaveProperty('replayed');
    expect(vendor.times('daily')).toBe(2);
  });

  it('holds at most maxEntries keys (default 100,000) however many are written', async () => {
    const ledger = memoryLedger();
    for (let n = 0; n < 100_010; n++) await ledger.record(`r${n}`, sent(n));
    expect(await ledger.get('r9')).toBeUndefined();
    expect(await ledger.get('r10')).toEqual(sent(10));
    expect(await ledger.get('r100009')).toEqual(sent(100_009));
  });

  it('createSms: sendMany past the bound keeps the newest keys', async () => {
    const vendor = countingVendor();
    const ledger = memoryLedger({ maxEntries: 100 });
    const sms = createSms({ vendors: [vendor.adapter], ledger });
    const rows = Array.from({ length: 150 }, (_, i) => ({ to: '+306971000001', text: 'Hi', idempotencyKey: `r${i}` }));
    await sms.sendMany(rows);
    expect(await ledger.get('r49')).toBeUndefined();
    expect(await ledger.get('r50')).toMatchObject({ state: 'sent' });
  });
});

describe('createSms namespace', () => {
  it('is a non-empty string', () => {
    expect(() => createSms({ vendors: [countingVendor().adapter], namespace: '' })).toThrow(/namespace/);
  });

  it('stores keys as <namespace>:<key>, a % or : in the namespace escaped', async () => {
    const ledger = memoryLedger();
    const sms = createSms({ vendors: [countingVendor().adapter], ledger, namespace: 'a:b%c' });
    await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'k' });
    expect(await ledger.get('a%3Ab%25c:k')).toMatchObject({ state: 'sent', result: { id: 'k' } });
  });
});
