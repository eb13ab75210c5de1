import { ValidationError } from '@smswire/core/errors';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec, type Vendor } from '../../../scripts/lib/vendors.js';
import { loadVendorModule, sentinelCredentials } from '../../../test/support/clients.js';
import { recordingFetch } from '../../../test/support/recorder.js';
import { expectNoSecrets } from '../../../test/support/secrets.js';
import { createSms } from '../src/index.js';
import { adapterOf } from './vendor-adapters.js';

/** `sms.prepare` over every adapter: the request it shows is the one `send` hands `fetch` first. */

/** The operations the spec marks `x-smswire-kind: send`. */
const sendOperations = (vendor: Vendor): string[] =>
  Object.values<Spec>(loadSpec(vendor).paths).flatMap((item) =>
    [item.get, item.post].filter((op) => op?.['x-smswire-kind'] === 'send').map((op) => op.operationId),
  );

// SMS Leads gives each phone a new id per send; everything else is the same byte for byte.
const sameIds = (text: string) => text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID');

describe.each(listVendors())('sms.prepare through $id', (vendor) => {
  it('names the vendor, the operation and the request send makes first, credentials masked unless revealed', async () => {
    const recorder = recordingFetch();
    const sms = createSms({ vendors: [await adapterOf(vendor, recorder.fetch)] });
    const input = { to: '+972501234567', text: 'Shalom שלום', idempotencyKey: 'k-1' };
    const revealed = await sms.prepare(input, { revealCredentials: true });
    const masked = await sms.prepare(input);
    await sms.send(input).catch(() => undefined);
    expect(recorder.requests).toHaveLength(1);
    const sent = recorder.requests[0]!;
    expect(revealed).toMatchObject({
      vendor: vendor.id,
      to: '+972501234567',
      encoding: 'ucs2',
      parts: 1,
      failover: [],
    });
    expect(sendOperations(vendor)).toContain(revealed.operation);
    expect(revealed.request.method).toBe(sent.method);
    expect(revealed.request.url).toBe(sent.url);
    expect(sameIds(revealed.request.body ?? '')).toBe(sameIds(sent.body));
    expect(Object.entries(revealed.request.headers).sort(([a], [b]) => a.localeCompare(b))).toEqual(sent.headers);
    const { definition } = await loadVendorModule(vendor);
    expectNoSecrets(masked, Object.values(sentinelCredentials(definition, false)));
    expect(JSON.stringify(masked)).toContain('[REDACTED]');
  });
});

describe('sms.prepare', () => {
  const [first, second] = listVendors().filter((v) => v.id === 'sms365' || v.id === 'dinisoft');

  it('lists the vendors a certain refusal would move on to, and takes no round-robin turn', async () => {
    const recorder = recordingFetch();
    const vendors = [await adapterOf(first!, recorder.fetch), await adapterOf(second!, recorder.fetch)];
    const sms = createSms({ vendors, failover: 'roundRobin' });
    const input = { to: '+972501234567', text: 'hello' };
    const a = await sms.prepare(input);
    const b = await sms.prepare(input);
    expect(b).toMatchObject({ vendor: a.vendor, failover: [vendors.find((v) => v.vendor !== a.vendor)!.vendor] });
    expect(recorder.requests).toEqual([]);
  });

  it('refuses bad input as send does, sending nothing', async () => {
    const recorder = recordingFetch();
    const sms = createSms({ vendors: [await adapterOf(first!, recorder.fetch)] });
    for (const input of [
      { to: '+972501234567', text: ' ' },
      { to: 'not a number', text: 'hi' },
    ]) {
      const prepared = await sms.prepare(input).catch((e: unknown) => e);
      const sent = await sms.send(input).catch((e: unknown) => e);
      expect(prepared).toBeInstanceOf(ValidationError);
      expect((prepared as Error).message).toBe((sent as Error).message);
    }
    expect(recorder.requests).toEqual([]);
  });
});
