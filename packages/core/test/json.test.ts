import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { decodeJson } from '../src/codecs/json.js';
import { ParseError, VendorError } from '../src/errors.js';
import { replyContext, thrown } from './helpers.js';

const ctx = replyContext({
  '0': { outcome: 'success', description: 'Delivered' },
  '114': { outcome: 'error', description: 'Message ID not valid' },
});
const text = { shape: { type: 'string' } } as const;
// DiniSoft's StatusReply: every field is text.
const reply = {
  codec: 'json',
  status: 'Status',
  decode: { 'Delivery Time': 'epoch-ms' },
  shape: { type: 'object', props: { Status: text, Text: text, Message_ID: text, 'Delivery Time': text } },
} as const;

describe('JSON envelope codec', () => {
  it('decodes the document sample with its string status and spaced key', () => {
    const body = '{"Status":"0","Text":"DELIVRD","Message_ID":"194234","Delivery Time":"1586420396602"}';
    expect(decodeJson(body, reply, ctx)).toEqual({
      Status: '0',
      Text: 'DELIVRD',
      Message_ID: '194234',
      'Delivery Time': new Date(1586420396602),
    });
  });

  it('accepts a numeric status and a missing decoded field', () => {
    // Held to the schema, which says text: the number comes back as the string the type promises.
    expect(decodeJson('{"Status":0,"Text":"DELIVRD"}', reply, ctx)).toEqual({ Status: '0', Text: 'DELIVRD' });
  });

  it('drops an empty decoded field instead of returning a string typed as a Date', () => {
    expect(decodeJson('{"Status":"0","Delivery Time":""}', reply, ctx)).toEqual({ Status: '0' });
  });

  it('never quotes the body in its reason, where a secret could hide half-redacted', () => {
    const secretive = replyContext({ '0': { outcome: 'success', description: 'ok' } }, ['Zq9SECRETvalue77']);
    const error = thrown(() => decodeJson('Zq9SECRETvalue77 is not a valid key', reply, secretive)) as ParseError;
    expect(error.message).not.toContain('Zq9');
    expect(error.body).toBe('[REDACTED] is not a valid key');
  });

  it('walks deeply nested replies without overflowing the stack', () => {
    const depth = 100_000;
    const body = `{"Status":"0","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    try {
      expect(decodeJson(body, reply, ctx).Status).toBe('0');
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
    }
  });

  it('maps an error status to a VendorError from the catalog', () => {
    expect(thrown(() => decodeJson('{"Status":"114","Text":"REJECTD"}', reply, ctx))).toMatchObject({
      name: 'VendorError',
      code: '114',
      description: 'Message ID not valid',
      retryable: false,
    });
    expect(thrown(() => decodeJson('{"Status":"77"}', reply, ctx))).toBeInstanceOf(VendorError);
  });

  it.each([
    ['not JSON', '<html>busy</html>'],
    ['empty', ''],
    ['truncated', '{"Status":"0","Te'],
    ['an array', '[{"Status":"0"}]'],
    ['null', 'null'],
    ['no status', '{"Text":"ACCEPTD"}'],
    ['an object status', '{"Status":{"code":0}}'],
    ['curly quotes', '{“Status”:"0"}'],
    ['a __proto__ key', '{"Status":"0","__proto__":{"polluted":true}}'],
    ['a nested constructor key', '{"Status":"0","x":{"constructor":{"prototype":{}}}}'],
    ['a bad epoch', '{"Status":"0","Delivery Time":"yesterday"}'],
  ])('refuses %s with a ParseError', (_, body) => {
    expect(thrown(() => decodeJson(body, reply, ctx))).toBeInstanceOf(ParseError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('either decodes or throws a typed error for any JSON-ish input', () => {
    const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'Status', 'Delivery Time');
    const hostile = fc
      .dictionary(fc.oneof(hostileKey, fc.string()), fc.jsonValue())
      .map((o) => JSON.stringify(o).replace('{', '{"Status":"0",'));
    const bodies = fc.oneof(
      fc.string(),
      fc.json(),
      hostile,
      fc.jsonValue().map((v) => JSON.stringify({ Status: '0', v })),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          expect(decodeJson(body, reply, ctx).Status).toBe('0');
        } catch (error) {
          expect(error instanceof ParseError || error instanceof VendorError).toBe(true);
        }
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('JSON replies are held to the reply schema', () => {
  const okCtx = replyContext({ '0': { outcome: 'success', description: 'ok' } });
  const num = { shape: { type: 'number' } } as const;
  const int = { shape: { type: 'integer' } } as const;
  const str = { shape: { type: 'string' } } as const;
  const bool = { shape: { type: 'boolean' } } as const;
  const contact = { type: 'object', props: { contactId: str, cost: num } } as const;
  const shaped = {
    codec: 'json',
    status: 'error',
    shape: {
      type: 'object',
      props: {
        error: int,
        balance: num,
        Message_ID: str,
        flash: bool,
        contacts: { shape: { type: 'array', item: 'contact', items: contact } },
      },
    },
  } as const;
  const decode = (value: Record<string, unknown>) => decodeJson(JSON.stringify({ error: 0, ...value }), shaped, okCtx);

  it('turns the numeric strings PHP vendors send into numbers where the schema says number', () => {
    expect(decode({ balance: '12.50', error: '0' })).toEqual({ error: 0, balance: 12.5 });
    expect(decode({ flash: '1' })).toEqual({ error: 0, flash: true });
  });

  it.each<[string, Record<string, unknown>]>([
    ['a balance that is not a number', { balance: 'abc' }],
    ['an object where text is expected', { Message_ID: {} }],
    ['a list where a number is expected', { balance: [1] }],
    ['an integer field with a fraction', { error: 0.5 }],
    ['a list of the wrong items', { contacts: [{ contactId: 1, cost: 'free' }] }],
    ['a list that is an object of something else', { contacts: { people: [] } }],
    ['a boolean that is neither', { flash: 'maybe' }],
  ])('refuses %s with a ParseError', (_, value) => {
    expect(thrown(() => decode(value))).toBeInstanceOf(ParseError);
  });

  it('reads a wrapped list with or without its wrapper, and an empty wrapper as no items', () => {
    const flat = decode({ contacts: [{ contactId: '7', cost: '0.04' }] });
    expect(flat).toEqual({ error: 0, contacts: [{ contactId: '7', cost: 0.04 }] });
    expect(decode({ contacts: { contact: [{ contactId: '7', cost: 0.04 }] } })).toEqual(flat);
    expect(decode({ contacts: { contact: { contactId: '7', cost: 0.04 } } })).toEqual(flat);
    expect(decode({ contacts: {} })).toEqual({ error: 0, contacts: [] });
  });

  it('leaves an absent or null optional field out, and keeps fields the schema does not name', () => {
    expect(decode({ balance: null, extra: { any: 'thing' } })).toEqual({ error: 0, extra: { any: 'thing' } });
  });

  it('judges the status before the schema: an error reply need not look like a success', () => {
    const failing = replyContext({
      '0': { outcome: 'success', description: 'ok' },
      '101': { outcome: 'error', description: 'Check your credentials' },
    });
    expect(thrown(() => decodeJson('{"error":101,"balance":"n/a"}', shaped, failing))).toBeInstanceOf(VendorError);
  });
});

describe('JSON replies are bounded in what they cost to decode', () => {
  // JSON.parse is synchronous: a reply may hold one value per 16 bytes of maxReplyBytes (at least
  // 64), each counted by the comma or bracket it needs, and nest at most 64 deep, as XML may.
  const capped = (kib: number) => ({ ...ctx, maxReplyBytes: kib * 1024 });
  const nested = (depth: number) => `{"Status":"0","x":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

  it('reads 64 levels of nesting and refuses 65, which would break a caller’s own recursion', () => {
    const deepest = decodeJson(nested(64), reply, ctx);
    expect(JSON.stringify(deepest)).toBe(nested(64));
    expect(thrown(() => decodeJson(nested(65), reply, ctx))).toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('nesting deeper than 64'),
    });
  });

  it('reads as many values as the limit allows, and refuses one more', () => {
    // `{`, `[` and a comma before "x", and one comma per value after the first: 64 at 1 KiB.
    const values = (n: number) => `{"Status":"0","x":[${Array(n).fill(0).join(',')}]}`;
    expect(decodeJson(values(62), reply, capped(1))).toMatchObject({ x: Array(62).fill(0) });
    expect(thrown(() => decodeJson(values(63), reply, capped(1)))).toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('more than 64 values'),
    });
    expect(decodeJson(values(126), reply, capped(2))).toMatchObject({ x: Array(126).fill(0) });
  });

  it('applies the limit of the default maxReplyBytes (256 KiB: 16,384 values) when the client gives none', () => {
    const keys = (n: number) => `{"Status":"0"${Array.from({ length: n }, (_, i) => `,"k${i}":0`).join('')}}`;
    expect(decodeJson(keys(16_383), reply, ctx)).toMatchObject({ k16382: 0 });
    expect(thrown(() => decodeJson(keys(16_384), reply, ctx))).toMatchObject({
      message: expect.stringContaining('more than 16384 values'),
    });
  });
});
