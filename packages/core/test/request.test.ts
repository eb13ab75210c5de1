import { describe, expect, it } from 'vitest';
import type { OperationDefinition, VendorDefinition } from '../src/definition.js';
import { encodeRequest } from '../src/request.js';

const send: OperationDefinition = {
  method: 'post',
  path: '/send',
  kind: 'write',
  security: ['key', 'token'],
  params: {
    to: { in: 'form', required: true, schema: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }, encode: 'csv' },
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
  credentials: { key: { in: 'form', name: 'api_key' }, token: { in: 'bearer', name: 'Authorization' }, user: { in: 'query', name: 'u' } },
  operations: { send },
};

describe('request encoding', () => {
  it('writes each value as the vendor expects it and puts credentials where the spec says', () => {
    const wire = encodeRequest(
      definition,
      send,
      { to: ['306971000000', '306980000000'], ucs: true, timestamp: new Date('2026-11-23T10:00:00.900Z'), pairs: [{ to: '1', message: 'a' }], meta: { a: 1 }, skipped: undefined },
      { key: 'K', token: 'T', user: 'U' },
    );
    expect(wire).toEqual({
      query: {},
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
    expect(encodeRequest(definition, send, { to: '1,2', timestamp: 1700000000, ucs: false }, { key: 'K' }).form).toMatchObject({
      to: '1,2',
      timestamp: '1700000000',
      ucs: 'false',
    });
    const get: OperationDefinition = { ...send, method: 'get', security: ['user'], params: { n: { in: 'query', required: true, schema: { type: 'integer' } } }, fixed: {} };
    expect(encodeRequest(definition, get, { n: 5 }, { user: 'U' })).toEqual({ query: { n: '5', u: 'U' }, form: undefined, headers: {} });
  });
});
