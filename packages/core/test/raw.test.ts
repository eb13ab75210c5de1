import { describe, expect, it } from 'vitest';
import { recordingFetch } from '../../../test/support/recorder.js';
import { createVendorClient } from './vendor-client.js';
import type { VendorDefinition } from '../src/vendor-definition.js';

// `client.raw` adds the credentials a call lacks where the spec puts them: a form field (sms365's
// `key`, Dreams' `user`/`secret_key`) and an `Authorization: Bearer` header (SMS Leads' token)
// as well as the query (core's client test).
const definition: VendorDefinition = {
  vendor: 'acme',
  servers: ['https://api.acme.test'],
  credentials: { key: { in: 'form', name: 'api_key' }, token: { in: 'bearer', name: 'token' } },
  operations: {
    send: {
      method: 'post',
      path: '/send',
      kind: 'write',
      security: ['key'],
      params: { to: { in: 'form', required: true, schema: { type: 'string' } } },
      reply: { codec: 'code' },
      codes: { '0': { outcome: 'success', description: 'Sent' } },
    },
    status: {
      method: 'get',
      path: '/status',
      kind: 'read',
      security: ['token'],
      params: {},
      reply: { codec: 'code' },
      codes: { '0': { outcome: 'success', description: 'Fine' } },
    },
  },
};

const KEY = 'form-KEY&=+/ü';
const TOKEN = 'bearer-TOKEN';

/** `client.raw` as these calls use it; the paths are typed by a vendor's generated `paths`. */
interface Raw {
  GET(path: string, options: object): Promise<unknown>;
  POST(path: string, options: object): Promise<unknown>;
}

function rawClient() {
  const recorder = recordingFetch(() => new Response('0'));
  const client = createVendorClient<object, object>(definition, {
    credentials: { key: KEY, token: TOKEN },
    fetch: recorder.fetch,
  });
  return {
    raw: client.raw as unknown as Raw,
    requests: recorder.requests,
  };
}

const form = {
  bodySerializer: (body: Record<string, string>) => new URLSearchParams(body).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
};
const header = (request: { headers: [string, string][] }, name: string) =>
  request.headers.find(([n]) => n === name)?.[1];

describe('client.raw', () => {
  it('adds a form-body credential to a form POST, and only the ones its operation sends', async () => {
    const { raw, requests } = rawClient();
    await raw.POST('/send', { body: { to: '966500000000' }, ...form, parseAs: 'text' });
    const [request] = requests;
    expect(Object.fromEntries(new URLSearchParams(request!.body))).toEqual({ to: '966500000000', api_key: KEY });
    expect(header(request!, 'authorization')).toBeUndefined();
  });

  it('keeps a form credential the caller wrote', async () => {
    const { raw, requests } = rawClient();
    await raw.POST('/send', { body: { to: '1', api_key: 'OTHER' }, ...form, parseAs: 'text' });
    expect(new URLSearchParams(requests[0]!.body).getAll('api_key')).toEqual(['OTHER']);
  });

  it('adds the bearer credential as an Authorization header, unless the caller set one', async () => {
    const { raw, requests } = rawClient();
    await raw.GET('/status', { parseAs: 'text' });
    await raw.GET('/status', { headers: { authorization: 'Bearer MINE' }, parseAs: 'text' });
    expect(requests.map((r) => header(r, 'authorization'))).toEqual([`Bearer ${TOKEN}`, 'Bearer MINE']);
    expect(requests[0]!.url).toBe('https://api.acme.test/status');
  });

  it('adds every credential to a path the spec does not know: the header, and the field of a form', async () => {
    const { raw, requests } = rawClient();
    await raw.POST('/other', { body: { a: '1' }, ...form, parseAs: 'text' });
    expect(header(requests[0]!, 'authorization')).toBe(`Bearer ${TOKEN}`);
    expect(new URLSearchParams(requests[0]!.body).get('api_key')).toBe(KEY);
  });
});
