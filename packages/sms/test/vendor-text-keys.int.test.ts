import { ParseError, SmswireError, ValidationError, type VendorError } from '@smswire/core/errors';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../../../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, makeClient, operationsOf } from '../../../test/support/clients.js';
import { quotingReplies } from '../../../test/support/replies.js';
import { recordingFetch } from '../../../test/support/recorder.js';
import { parseReport as parseSms365Report } from '../src/sms365-report.js';
import { sms365 } from '../src/sms365.js';
import { dinisoft } from '../src/dinisoft.js';
import { adapterOf, meaningOf } from './vendor-adapters.js';

/**
 * The sweep of tables indexed by text that came from a vendor: the names every object inherits,
 * as that text, find nothing (DESIGN, "Trust at the edges"). Each table reads them as the
 * unknown code or state it is, never as a function or an entry with `undefined` fields.
 */
const inherited = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

describe.each(listVendors())('$id', (vendor) => {
  const spec = loadSpec(vendor);

  it('every generated code table (errorCatalog, each operation’s codes) has no prototype', async () => {
    const mod = (await loadVendorModule(vendor)) as Awaited<ReturnType<typeof loadVendorModule>> & {
      errorCatalog: Record<string, Record<string, unknown>>;
    };
    for (const [id, op] of Object.entries(mod.definition.operations)) {
      expect(op.codes, id).toBe(mod.errorCatalog[id]);
      expect(Object.getPrototypeOf(op.codes), id).toBeNull();
      for (const text of inherited)
        expect((op.codes as Record<string, unknown>)[text], `${id} ${text}`).toBeUndefined();
    }
  });

  it('core: a reply with one of those names where the code goes is an unknown code, never a result', async () => {
    const mod = await loadVendorModule(vendor);
    for (const { path, op } of operationsOf(spec)) {
      if (op['x-smswire-reply'].codec === 'scalar') continue;
      for (const text of inherited) {
        // The replies that carry the text where the code goes (a pipe's others quote a real code).
        for (const reply of quotingReplies(spec, op, text, '972501234567').filter((r) => r.body.includes(text))) {
          const { fetch, requests } = recordingFetch(() =>
            reply.body.startsWith('{')
              ? new Response(reply.body, { headers: { 'content-type': 'application/json' } })
              : new Response(reply.body),
          );
          const client = makeClient(mod, { baseUrl: 'http://127.0.0.1:9', fetch, maxRetries: 0 }, undefined, {
            optional: true,
          });
          const label = `${op.operationId} ${text}: ${reply.body}`;
          const outcome = await client[op.operationId]!({ ...exampleParams(spec, path), ...reply.params }).catch(
            (error: unknown) => error,
          );
          // A pipe reply with an accepted entry is a result whose refusal carries the code.
          const refusals = (outcome as { rejected?: VendorError[] }).rejected ?? [];
          const errors = outcome instanceof SmswireError ? [outcome] : refusals;
          expect(requests.length, label).toBeGreaterThan(0);
          expect(errors.length, label).toBeGreaterThan(0);
          for (const error of errors) {
            if (error instanceof ParseError) continue;
            expect(error, label).toMatchObject({
              code: text,
              description: `undocumented code ${text}`,
              retryable: false,
            });
          }
        }
      }
    }
  });

  it('@smswire/sms: a vendor code with one of those names is unknown, in every operation', async () => {
    const adapter = await adapterOf(vendor);
    for (const { op } of operationsOf(spec) as { op: Spec }[])
      for (const code of inherited)
        expect(meaningOf(adapter, op.operationId, code), `${op.operationId} ${code}`).toEqual({
          outcome: 'unknown',
          reason: 'ambiguous',
        });
  });
});

describe('delivery states read by the vendor’s text', () => {
  it.each(inherited)('sms365 %s is refused in a callback and the unknown state in a status read', async (text) => {
    // The callback's parser allows only what L564–565 names (`d`, `f`): anything else is refused.
    expect(() =>
      parseSms365Report(`/dlr?msgid=1&status=${encodeURIComponent(text)}&cost=1&to=306971000000&mcc=202&mnc=1`),
    ).toThrow(ValidationError);
    const { fetch } = recordingFetch(() =>
      json({ status: 1, error: 0, remarks: 'Success', sms: { smsId: '7316204', status: text } }),
    );
    const adapter = sms365({ key: 'k', fetch, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    expect(await adapter.status!('7316204')).toMatchObject({ state: 'unknown', vendorStatus: text });
  });

  it.each(inherited)('dinisoft %s in the status field never becomes a state', async (text) => {
    const { fetch } = recordingFetch(() => json({ Status: text, Text: 'x', Message_ID: '1' }));
    const adapter = dinisoft({ apiKey: 'k', secretKey: 's', fetch, baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    // The status field holds the catalog code: text that is not one is refused before any state.
    await expect(adapter.status!('1')).rejects.toBeInstanceOf(SmswireError);
  });
});
