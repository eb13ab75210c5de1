import { TimeoutError } from '@smswire/core/errors';
import { describe, expect, it } from 'vitest';
import type { Adapter, OutgoingMessage } from '../src/adapter.js';
import { createSms, SendError, type Ledger, type SendManyResult } from '../src/index.js';
import { capabilities } from './stand-in-capabilities.js';

/**
 * A vendor that counts what it receives: it accepts every message, except that it times out
 * (outcome unknown) on the numbers in `timesOut`, and refuses (certainly not sent) those in `refuses`.
 */
export function countingVendor() {
  const received: OutgoingMessage[] = [];
  const timesOut = new Set<string>();
  const refuses = new Set<string>();
  const adapter: Adapter = {
    vendor: 'sms365',
    capabilities: capabilities({ schedule: true, messageId: true }),
    async send(message) {
      if (refuses.has(message.to))
        throw new SendError({
          vendor: 'sms365',
          operation: 'send',
          outcome: 'notAccepted',
          reason: 'number',
          message: 'refused',
        });
      received.push(message);
      if (timesOut.has(message.to)) throw new TimeoutError({ vendor: 'sms365', operation: 'send', timeoutMs: 1 });
      return { messageId: `m${received.length}` };
    },
  };
  /** How many times each key reached the vendor. */
  const times = (key: string) => received.filter((m) => m.key === key).length;
  return { adapter, received, timesOut, refuses, times };
}

let run = 0;

/**
 * What every ledger does for `createSms` (issue 29: namespaces, fingerprints, replays, resend of
 * unknown keys, rows certainly not sent staying sendable), run for memory, file and Redis ledgers.
 * `open` gives a ledger over the same store each time it is called (a second process's view).
 */
export function ledgerContract(name: string, open: () => Ledger) {
  describe(`${name}: the idempotency contract`, () => {
    const fresh = (label: string) => `${label}-${name}-${++run}`;
    const make = (namespace?: string) => {
      const vendor = countingVendor();
      const sms = createSms({
        vendors: [vendor.adapter],
        ledger: open(),
        ...(namespace === undefined ? {} : { namespace }),
      });
      return { sms, vendor };
    };

    it('a repeat is answered from the ledger, marked as a replay, and sends nothing', async () => {
      const { sms, vendor } = make();
      const key = fresh('repeat');
      const message = { to: '+306971000001', text: 'Hi', idempotencyKey: key };
      const first = await sms.send(message);
      expect(first).not.toHaveProperty('replayed');
      expect(await sms.send(message)).toEqual({ ...first, replayed: true });
      const [many] = await sms.sendMany([message]);
      expect(many).toEqual({ status: 'accepted', ...first, replayed: true });
      expect(vendor.times(key)).toBe(1);
    });

    it('a key reused with another number or text is refused (notAccepted, validation), nothing sent', async () => {
      const { sms, vendor } = make();
      const key = fresh('reused');
      await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: key });
      for (const other of [
        { to: '+306971000002', text: 'Hi' },
        { to: '+306971000001', text: 'Hello' },
        { to: '+306971000001', text: 'Hi', from: 'OTHER' },
        { to: '+306971000001', text: 'Hi', at: new Date('2030-01-01T00:00:00Z') },
      ]) {
        const error = await sms.send({ ...other, idempotencyKey: key }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SendError);
        expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'validation', key });
        expect(error).not.toHaveProperty('replayed');
        expect((error as Error).message).toMatch(/idempotency key .* was used before with another number or text/);
        const [row] = await sms.sendMany([{ ...other, idempotencyKey: key }]);
        expect(row).toMatchObject({ status: 'rejected', reason: 'validation' });
      }
      expect(vendor.received).toHaveLength(1);
    });

    it('two namespaces keep the same customer keys apart; results show the key alone', async () => {
      const spring = make('spring:sale');
      const autumn = make('spring');
      const key = fresh('customer');
      const a = await spring.sms.send({ to: '+306971000001', text: 'Spring', idempotencyKey: key });
      // With the namespace `spring`, the key `sale:<key>` is not the key `<key>` of `spring:sale`.
      const b = await autumn.sms.send({ to: '+306971000001', text: 'Autumn', idempotencyKey: `sale:${key}` });
      const c = await autumn.sms.send({ to: '+306971000001', text: 'Autumn', idempotencyKey: key });
      expect([a.id, b.id, c.id]).toEqual([key, `sale:${key}`, key]);
      expect([a, b, c].map((r) => r.replayed)).toEqual([undefined, undefined, undefined]);
      expect(spring.vendor.received).toHaveLength(1);
      expect(autumn.vendor.received).toHaveLength(2);
      // The same namespace again replays.
      expect(await make('spring:sale').sms.send({ to: '+306971000001', text: 'Spring', idempotencyKey: key })).toEqual({
        ...a,
        replayed: true,
      });
    });

    it('a key certainly not sent stays sendable: a vendor refusal, then the fixed message goes out once', async () => {
      const { sms, vendor } = make();
      const key = fresh('refused');
      vendor.refuses.add('+306971000003');
      await expect(sms.send({ to: '+306971000003', text: 'Hi', idempotencyKey: key })).rejects.toMatchObject({
        outcome: 'notAccepted',
      });
      // The same key with the number fixed: sent, once.
      const [row] = await sms.sendMany([{ to: '+306971000004', text: 'Hi', idempotencyKey: key }]);
      expect(row).toMatchObject({ status: 'accepted', to: '+306971000004' });
      expect(row).not.toHaveProperty('replayed');
      expect(vendor.times(key)).toBe(1);
    });

    it('resendUnknown sends a key whose outcome is unknown once more, and only then', async () => {
      const { sms, vendor } = make();
      const key = fresh('unknown');
      const message = { to: '+306971000005', text: 'Hi', idempotencyKey: key };
      vendor.timesOut.add('+306971000005');
      await expect(sms.send(message)).rejects.toMatchObject({ outcome: 'unknown' });
      vendor.timesOut.clear();
      await expect(sms.send(message)).rejects.toMatchObject({ outcome: 'unknown', replayed: true });
      const [row] = await sms.sendMany([message]);
      expect(row).toMatchObject({ status: 'unknown', replayed: true });
      expect(vendor.times(key)).toBe(1);

      const again = await sms.send({ ...message, resendUnknown: true });
      expect(again).toMatchObject({ id: key, state: 'accepted' });
      expect(again).not.toHaveProperty('replayed');
      expect(vendor.times(key)).toBe(2);
      // Now sent: resendUnknown never sends it again, and another message under the key is refused.
      expect(await sms.send({ ...message, resendUnknown: true })).toEqual({ ...again, replayed: true });
      await expect(sms.send({ ...message, text: 'Other', resendUnknown: true })).rejects.toMatchObject({
        reason: 'validation',
      });
      expect(vendor.times(key)).toBe(2);
    });

    it('resendUnknown through sendMany, and never for a key under way in this Sms', async () => {
      const { sms, vendor } = make();
      const key = fresh('pending');
      const message = { to: '+306971000006', text: 'Hi', idempotencyKey: key };
      // A claim left by a crash: pending, in this store, made by another Sms (another process).
      await open().claim(key);
      const [before] = await sms.sendMany([message]);
      expect(before).toMatchObject({ status: 'unknown', reason: 'ambiguous', replayed: true });
      expect(vendor.times(key)).toBe(0);
      // The same key twice in one run with resendUnknown: sent once, the second sees it under way.
      const results: SendManyResult[] = await sms.sendMany([
        { ...message, resendUnknown: true },
        { ...message, resendUnknown: true },
      ]);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'unknown']);
      expect(vendor.times(key)).toBe(1);
    });
  });
}
