import { describe, expect, it } from 'vitest';
import type { OperationDefinition, VendorDefinition } from '../src/vendor-definition.js';
import { requestEncoder, ucs2Hex } from '../src/request.js';
import { argumentReader } from '../src/validate.js';
import { encodeRequest, validateParams } from './helpers.js';

const send: OperationDefinition = {
  method: 'post',
  path: '/send',
  kind: 'write',
  security: ['key', 'token'],
  params: {
    to: {
      in: 'form',
      required: true,
      schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      encode: 'csv',
    },
    ucs: { in: 'form', required: false, schema: { type: 'boolean' } },
    timestamp: { in: 'form', required: false, schema: { type: 'integer' }, encode: 'unix-seconds' },
    pairs: { in: 'form', required: false, schema: { type: 'array' }, encode: 'json-nested' },
    meta: { in: 'form', required: false, schema: { type: 'object' }, encode: 'json' },
  },
  fixed: { grant_type: 'client_credentials' },
  reply: { codec: 'code' },
  codes: {},
};
const definition: VendorDefinition = {
  vendor: 'acme',
  servers: ['https://acme.test'],
  credentials: {
    key: { in: 'form', name: 'api_key' },
    token: { in: 'bearer', name: 'Authorization' },
    user: { in: 'query', name: 'u' },
  },
  operations: { send },
};

/** The query of a request as name → value. */
const queryOf = (wire: { target: string }) => Object.fromEntries(new URLSearchParams(wire.target.split('?')[1] ?? ''));

describe('request encoding', () => {
  it('writes each value as the vendor expects it and puts credentials where the spec says', () => {
    const wire = encodeRequest(
      definition,
      send,
      {
        to: ['306971000000', '306980000000'],
        ucs: true,
        timestamp: new Date('2026-11-23T10:00:00.900Z'),
        pairs: [{ to: '1', message: 'a' }],
        meta: { a: 1 },
        skipped: undefined,
      },
      { key: 'K', token: 'T', user: 'U' },
    );
    expect(wire).toEqual({
      target: '/send',
      form: {
        to: '306971000000,306980000000',
        ucs: 'true',
        timestamp: '1795428000',
        pairs: '[[{"to":"1","message":"a"}]]',
        meta: '{"a":1}',
        grant_type: 'client_credentials',
        api_key: 'K',
      },
      headers: { authorization: 'Bearer T' },
    });
  });

  it('passes a comma-separated string and an integer timestamp through, and puts GET values in the query', () => {
    expect(
      encodeRequest(definition, send, { to: '1,2', timestamp: 1700000000, ucs: false }, { key: 'K' }).form,
    ).toMatchObject({
      to: '1,2',
      timestamp: '1700000000',
      ucs: 'false',
    });
    const get: OperationDefinition = {
      ...send,
      method: 'get',
      security: ['user'],
      params: { n: { in: 'query', required: true, schema: { type: 'integer' } } },
      fixed: {},
    };
    expect(encodeRequest(definition, get, { n: 5 }, { user: 'U' })).toEqual({
      target: '/send?n=5&u=U',
      form: undefined,
      headers: {},
    });
  });
});

// unified.txt L14: "messages longer than 160 characters for plain text, 140 for flash, and 280 for Unicode.
// ... every 153 characters ... for plain text and 268 characters for Unicode": 280 = 70 × 4 and
// 268 = 67 × 4, Unicode text written as four hex digits per UTF-16 code unit.
describe('ucs2-hex', () => {
  it('writes each UTF-16 code unit as four upper-case hex digits, big-endian', () => {
    expect(ucs2Hex('Γ')).toBe('0393');
    expect(ucs2Hex('Hi')).toBe('00480069');
    expect(ucs2Hex('مرحبا')).toBe('06450631062D06280627');
    // A character outside the BMP is a surrogate pair: two units.
    expect(ucs2Hex('😀')).toBe('D83DDE00');
    expect(ucs2Hex('\uffff\u0000')).toBe('FFFF0000');
    expect(ucs2Hex('')).toBe('');
  });

  const op: OperationDefinition = {
    method: 'get',
    path: '/bulksms',
    kind: 'write',
    security: [],
    params: {
      type: { in: 'query', required: true, schema: { type: 'integer', enum: [0, 2, 6] } },
      message: {
        in: 'query',
        required: true,
        schema: { type: 'string', minLength: 1 },
        encode: 'ucs2-hex',
        encodeWhen: { type: [2, 6] },
        encodeMaxLength: 5,
      },
    },
    reply: { codec: 'pipe' },
    codes: {},
  };

  it('writes the query in the order the spec lists the parameters, whatever the order of the arguments', () => {
    const encode = requestEncoder(definition, { ...op, path: '/bulksms#send', security: ['user'] });
    const read = argumentReader(op);
    for (const args of [
      { type: 0, message: 'a b' },
      { message: 'a b', type: 0 },
    ])
      expect(encode(read(args, []), { user: 'U&1' }).target).toBe('/bulksms?type=0&message=a%20b&u=U%261');
  });

  it('applies only when the other parameters have the listed values', () => {
    expect(queryOf(encodeRequest(definition, op, { type: 2, message: 'Γεια 😀' }, {}))).toEqual({
      type: '2',
      message: '039303B503B903B10020D83DDE00',
    });
    expect(queryOf(encodeRequest(definition, op, { type: 6, message: 'Γ' }, {})).message).toBe('0393');
    expect(queryOf(encodeRequest(definition, op, { type: 0, message: 'Γ' }, {})).message).toBe('Γ');
    const { encodeWhen: _, ...unconditional } = op.params.message!;
    const always = { ...op, params: { message: unconditional } };
    expect(queryOf(encodeRequest(definition, always, { message: 'Γ' }, {})).message).toBe('0393');
  });

  it('limits the text as passed, in UTF-16 code units, only while the encoding applies', () => {
    expect(validateParams(op.params, { type: 2, message: 'ΓΓΓΓΓ' })).toEqual([]);
    expect(validateParams(op.params, { type: 2, message: 'ΓΓΓΓ😀' })).toEqual([
      {
        path: 'message',
        message:
          'must be at most 5 characters when type is 2 or 6, counted in UTF-16 code units (an emoji counts two); it has 6',
      },
    ]);
    expect(validateParams(op.params, { type: 0, message: 'ΓΓΓΓΓΓΓ' })).toEqual([]);
    expect(validateParams(op.params, { type: 6, message: 'Γ\ud800' })).toEqual([
      { path: 'message', message: 'contains a control character, lone surrogate or noncharacter' },
    ]);
  });
});

describe('phone numbers and calendar dates', () => {
  const op: OperationDefinition = {
    method: 'post',
    path: '/send',
    kind: 'write',
    security: [],
    params: {
      to: { in: 'form', required: true, schema: { type: 'string', encode: 'msisdn' } },
      pairs: {
        in: 'form',
        required: false,
        schema: {
          type: 'array',
          items: {
            type: 'object',
            properties: { to: { type: 'string', encode: 'msisdn' }, message: { type: 'string' } },
          },
        },
        encode: 'json-nested',
      },
      day: { in: 'form', required: false, schema: { type: 'string' }, encode: 'yyyy-mm-dd', timeZone: 'Asia/Riyadh' },
      time: { in: 'form', required: false, schema: { type: 'string' }, encode: 'hh:mm', timeZone: 'Asia/Riyadh' },
    },
    reply: { codec: 'code' },
    codes: {},
  };
  const form = (params: Record<string, unknown>) =>
    encodeRequest({ ...definition, operations: { send: op } }, op, params, {}).form;

  // Dreams L237: numbers go as "966******", international without "+".
  it.each([
    ['+966 50 000 0000', '966500000000'],
    ['00966500000000', '966500000000'],
    ['+966-(50)-000.0000', '966500000000'],
    ['966500000000', '966500000000'],
    ['0500000000', '0500000000'],
  ])('msisdn sends %j as %s', (to, wire) => {
    expect(form({ to })!.to).toBe(wire);
  });

  it('rewrites msisdn strings inside JSON text, and nothing else there', () => {
    expect(form({ to: '1', pairs: [{ to: '+966 50 000 0001', message: '+1 00 a' }] })!.pairs).toBe(
      '[[{"to":"966500000001","message":"+1 00 a"}]]',
    );
  });

  it('writes a Date as yyyy-mm-dd and hh:mm in the time zone, text as given', () => {
    const at = new Date('2030-01-31T21:30:00Z');
    expect(form({ to: '1', day: at, time: at })).toMatchObject({ day: '2030-02-01', time: '00:30' });
    expect(form({ to: '1', day: '31/01/2030', time: '9:30 pm' })).toMatchObject({ day: '31/01/2030', time: '9:30 pm' });
  });
});
