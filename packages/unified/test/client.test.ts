import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { replay, type ReplayServer } from '../../../test/support/replay.js';
import { createClient, ValidationError, VendorError, type PipeResult } from '../src/index.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(body: string | string[], path = '/bulksms/bulksms') {
  const bodies = Array.isArray(body) ? [...body] : [body];
  // Answers in order, repeating the last body.
  server = await replay({ [path]: { get body() { return bodies.length > 1 ? bodies.shift()! : bodies[0]!; } } });
  return createClient({ username: 'user', password: 'p@ss&word', baseUrl: server.url });
}

const message = { type: 0, dlr: 1, destination: '919812345678', source: 'SMSWIRE', message: 'Hello, world' } as const;

describe('@smswire/unified against the document’s sample replies', () => {
  it('bulksms sends the documented query and decodes 1701|<CELL_NO>|<MESSAGE ID>', async () => {
    const client = await serve('1701|919812345678|9c2e4a4e-7d0b-4f0e-9d53-1a2b3c4d5e6f');
    const result = await client.bulksms(message);
    expect(result).toEqual({ accepted: [{ destination: '919812345678', messageId: '9c2e4a4e-7d0b-4f0e-9d53-1a2b3c4d5e6f' }], rejected: [] });
    expectTypeOf(result).toEqualTypeOf<PipeResult>();
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toEqual({
      type: '0',
      dlr: '1',
      destination: '919812345678',
      source: 'SMSWIRE',
      message: 'Hello, world',
      username: 'user',
      password: 'p@ss&word',
    });
  });

  it('returns every accepted ID of a multi-destination submit alongside the refusals', async () => {
    const client = await serve('1701|919812345678|id-1\n1706|91x\n1701|+919898123456|id-2');
    const result = await client.bulksms({ ...message, destination: '919812345678,91,+919898123456' });
    expect(result.accepted.map((a) => a.messageId)).toEqual(['id-1', 'id-2']);
    expect(result.rejected).toEqual([{ destination: '91x', code: '1706', description: 'Invalid destination.', retryable: false }]);
    expect(server!.received[0]!.search).toContain('destination=919812345678%2C91%2C%2B919898123456');
  });

  it('resends only after 1709, never after 1715', async () => {
    const retried = await serve(['1709', '1701|919812345678|id-9']);
    expect((await retried.bulksms(message)).accepted).toHaveLength(1);
    expect(server!.received).toHaveLength(2);

    const final = await serve('1715|919812345678');
    await expect(final.bulksms(message)).rejects.toMatchObject({ constructor: VendorError, code: '1715', retryable: false });
    expect(server!.received).toHaveLength(1);
  });

  it('schedulemsg formats a Date into date, time and gmt', async () => {
    const client = await serve('1701|919812345678|id-3', '/bulksms/schedulemsg');
    await client.schedulemsg({ ...message, at: new Date('2018-03-03T22:15:00Z'), gmt: '+05:30' });
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toMatchObject({ date: '03/04/2018', time: '03:45 am', gmt: '+05:30' });
  });

  it('schedulemsg passes the vendor’s raw fields through, validated', async () => {
    const client = await serve('1701|919812345678|id-4', '/bulksms/schedulemsg');
    await client.schedulemsg({ ...message, date: '03/03/2018', time: '11:51 pm', gmt: '-10:00' });
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toMatchObject({ date: '03/03/2018', time: '11:51 pm', gmt: '-10:00' });
    await expect(client.schedulemsg({ ...message, date: '2018-03-03', time: '23:51', gmt: '-10:00' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'date' }), expect.objectContaining({ path: 'time' })],
    });
    // @ts-expect-error: a Date and raw fields are exclusive
    await expect(client.schedulemsg({ ...message, at: new Date(), date: '03/03/2018', time: '11:51 pm', gmt: '-10:00' })).resolves.toBeDefined();
    expect(server!.received).toHaveLength(2);
  });

  it.each([
    ['an empty message', { message: '' }, 'message'],
    ['an empty destination', { destination: '' }, 'destination'],
    ['a destination with letters', { destination: '9198x' }, 'destination'],
    ['a 12-character alphanumeric source', { source: 'SMSWIRELTD12' }, 'source'],
    ['a 19-digit numeric source', { source: '1234567890123456789' }, 'source'],
    ['an unknown type', { type: 9 }, 'type'],
    ['the reserved type 3', { type: 3 }, 'type'],
    ['a dlr of 2', { dlr: 2 }, 'dlr'],
  ])('refuses %s before sending', async (_, change, path) => {
    const client = await serve('1701|1|x');
    const error = await client.bulksms({ ...message, ...change } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual([path]);
    expect(server!.received).toHaveLength(0);
  });

  it('accepts the longest valid sources', async () => {
    const client = await serve('1701|1|x');
    await client.bulksms({ ...message, source: 'SMSWIRELTD1' });
    await client.bulksms({ ...message, source: '+123456789012345678' });
    expect(server!.received).toHaveLength(2);
  });

  it('types the parameters from the spec', () => {
    const client = createClient({ username: 'u', password: 'p', baseUrl: 'http://127.0.0.1:1' });
    expectTypeOf(client.bulksms).parameter(0).toHaveProperty('type').toEqualTypeOf<0 | 1 | 2 | 4 | 5 | 6 | 7>();
    expectTypeOf(client.bulksms).parameter(0).toHaveProperty('dlr').toEqualTypeOf<0 | 1>();
    // @ts-expect-error: message is required
    void (() => client.bulksms({ type: 0, dlr: 0, destination: '1', source: 'A' }));
    // @ts-expect-error: 3 is reserved, not in the enum
    void (() => client.bulksms({ ...message, type: 3 }));
    // @ts-expect-error: credentials are options, not parameters
    void (() => client.bulksms({ ...message, password: 'p' }));
  });

  it('requires baseUrl and both credentials', () => {
    // @ts-expect-error: baseUrl is required
    expect(() => createClient({ username: 'u', password: 'p' })).toThrow(/baseUrl is required/);
    expect(() => createClient({ username: 'u', password: '', baseUrl: 'http://127.0.0.1:1' })).toThrow(/password must be a non-empty string/);
  });
});
