import { ValidationError } from '@smswire/core/errors';
import { createClient as dreamsClient } from '@smswire/dreams';
import { createClient as sms365Client } from '@smswire/sms365';
import { createClient as smsleadsClient } from '@smswire/smsleads';
import { createClient as unifiedClient } from '@smswire/unified';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../../../scripts/lib/vendors.js';
import { dreams } from '../src/dreams.js';
import { sms365 } from '../src/sms365.js';
import { smsleads } from '../src/smsleads.js';
import { unified } from '../src/unified.js';

/**
 * Batch sizes come from the specs: the `maxItems` of each batch operation's list. No vendor
 * document names a limit (sms365.txt L341–382, unified.txt L12, dreams.txt L226–236,
 * smsleads.txt L105–151); each spec records the one smswire sets and why.
 */
const spec = (vendor: string) => loadSpec(listVendors().find((v) => v.id === vendor)!);
const schemas = (vendor: string) => spec(vendor).components.schemas;

/** The limits as the spec files write them, read independently of the generated definitions. */
const written = {
  sms365: spec('sms365').paths['/api/sms/bulk'].post.requestBody.content['application/x-www-form-urlencoded'].schema
    .properties.to.anyOf[1].maxItems as number,
  unified: spec('unified').components.parameters.destination.schema.anyOf[1].maxItems as number,
  dreams: schemas('dreams').Recipients.maxItems as number,
  smsleads: schemas('smsleads').BulkRequest.properties.messages.items.properties.destinations.properties.phone
    .maxItems as number,
};

/** A fetch that records each call and answers nothing: a call that reaches it was sent. */
function recorder() {
  const calls: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    calls.push(String(input));
    throw new TypeError('the test fetch answers nothing');
  };
  return { calls, fetch: fetch as unknown as typeof globalThis.fetch };
}
const common = (fetch: typeof globalThis.fetch) => ({ baseUrl: 'http://127.0.0.1:9', fetch, maxRetries: 0 });
const greek = (i: number) => `30697${String(1_000_000 + i).padStart(7, '0')}`;
const israeli = (i: number) => `05${String(20_000_000 + i)}`;
const numbers = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i));

describe('batch limits: from the spec, the adapters default to them and refuse more', () => {
  it('the specs write the limits smswire decided (500, 100, 100, 500)', () => {
    expect(written).toEqual({ sms365: 500, unified: 100, dreams: 100, smsleads: 500 });
  });

  const adapters = {
    sms365: (batchSize?: number) => sms365({ key: 'k', batchSize }),
    unified: (batchSize?: number) =>
      unified({ username: 'u', password: 'p', baseUrl: 'http://127.0.0.1:9', batchSize }),
    dreams: (batchSize?: number) => dreams({ user: 'u', secretKey: 's', batchSize }),
    smsleads: (batchSize?: number) => smsleads({ token: 't', username: 'u', batchSize }),
  };
  it.each(Object.keys(adapters) as (keyof typeof adapters)[])(
    '%s: the batch size defaults to the spec limit; batchSize up to it is taken, one more is a ValidationError',
    (vendor) => {
      const limit = written[vendor];
      expect(adapters[vendor]().batch!.size).toBe(limit);
      expect(adapters[vendor](limit).batch!.size).toBe(limit);
      expect(adapters[vendor](7).batch!.size).toBe(7);
      for (const bad of [limit + 1, 0, 2.5]) {
        let error: unknown;
        try {
          adapters[vendor](bad);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).issues[0]).toMatchObject({
          path: 'batchSize',
          message: expect.stringContaining(`from 1 to ${limit}`),
        });
      }
    },
  );
});

describe('batch limits: a direct vendor-client call over the limit is refused, nothing sent', () => {
  it('sms365 smsBulk: 501 numbers as a list or as a comma-separated string', async () => {
    const rec = recorder();
    const client = sms365Client({ key: 'k', ...common(rec.fetch) });
    for (const to of [numbers(501, greek), numbers(501, greek).join(',')]) {
      await expect(client.smsBulk({ to, text: 'Hi' })).rejects.toBeInstanceOf(ValidationError);
    }
    expect(rec.calls).toEqual([]);
    for (const to of [numbers(500, greek), numbers(500, greek).join(',')])
      await expect(client.smsBulk({ to, text: 'Hi' })).rejects.not.toBeInstanceOf(ValidationError);
    expect(rec.calls).toHaveLength(2);
  });

  it('unified bulksms and schedulemsg: 101 destinations as a list or as a comma-separated string', async () => {
    const rec = recorder();
    const client = unifiedClient({ username: 'u', password: 'p', ...common(rec.fetch) });
    const params = { type: 0 as const, dlr: 1 as const, source: 'ACME', message: 'Hi' };
    const at = new Date(Date.now() + 86_400_000);
    for (const destination of [numbers(101, greek), numbers(101, greek).join(',')]) {
      await expect(client.bulksms({ ...params, destination })).rejects.toBeInstanceOf(ValidationError);
      await expect(client.schedulemsg({ ...params, destination, at, gmt: '+00:00' })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    expect(rec.calls).toEqual([]);
    const list = numbers(100, greek);
    await expect(client.bulksms({ ...params, destination: list })).rejects.not.toBeInstanceOf(ValidationError);
    // A list goes on the wire as the document's comma-separated string (unified.txt L12).
    expect(new URL(rec.calls[0]!).searchParams.get('destination')).toBe(list.join(','));
  });

  it('dreams sendsmsMulti: 101 pairs', async () => {
    const rec = recorder();
    const client = dreamsClient({ user: 'u', secretKey: 's', ...common(rec.fetch) });
    const pairs = (n: number) => numbers(n, (i) => `966500${String(100_000 + i)}`).map((to) => ({ to, message: 'Hi' }));
    await expect(client.sendsmsMulti({ sender: 'ACME', to: pairs(101) })).rejects.toBeInstanceOf(ValidationError);
    expect(rec.calls).toEqual([]);
    await expect(client.sendsmsMulti({ sender: 'ACME', to: pairs(100) })).rejects.not.toBeInstanceOf(ValidationError);
    expect(rec.calls).toHaveLength(1);
  });

  it('smsleads bulk: 501 phones in one <destinations>', async () => {
    const rec = recorder();
    const client = smsleadsClient({ token: 't', username: 'u', ...common(rec.fetch) });
    const bulk = (n: number) => ({
      messages: [
        {
          source: 'ACME',
          destinations: { phone: numbers(n, israeli).map((number, i) => ({ id: `m${i}`, number })) },
          message: 'Hi',
        },
      ],
    });
    await expect(client.bulk(bulk(501))).rejects.toBeInstanceOf(ValidationError);
    expect(rec.calls).toEqual([]);
    await expect(client.bulk(bulk(500))).rejects.not.toBeInstanceOf(ValidationError);
    expect(rec.calls).toHaveLength(1);
  });
});
