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
  server = await replay({
    [path]: {
      get body() {
        return bodies.length > 1 ? bodies.shift()! : bodies[0]!;
      },
    },
  });
  return createClient({ username: 'user', password: 'p@ss&word', baseUrl: server.url });
}

const message = { type: 0, dlr: 1, destination: '919812345678', source: 'SMSWIRE', message: 'Hello, world' } as const;

describe('@smswire/unified against the document’s sample replies', () => {
  it('bulksms sends the documented query and decodes 1701|<CELL_NO>|<MESSAGE ID>', async () => {
    const client = await serve('1701|919812345678|9c2e4a4e-7d0b-4f0e-9d53-1a2b3c4d5e6f');
    const result = await client.bulksms(message);
    expect(result).toEqual({
      accepted: [{ destination: '919812345678', messageId: '9c2e4a4e-7d0b-4f0e-9d53-1a2b3c4d5e6f' }],
      rejected: [],
    });
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
    expect(result.rejected).toEqual([
      { destination: '91x', code: '1706', description: 'Invalid destination.', retryable: false },
    ]);
    expect(server!.received[0]!.search).toContain('destination=919812345678%2C91%2C%2B919898123456');
  });

  it('resends only after 1709, never after 1715', async () => {
    const retried = await serve(['1709', '1701|919812345678|id-9']);
    expect((await retried.bulksms(message)).accepted).toHaveLength(1);
    expect(server!.received).toHaveLength(2);

    const final = await serve('1715|919812345678');
    await expect(final.bulksms(message)).rejects.toMatchObject({
      constructor: VendorError,
      code: '1715',
      retryable: false,
    });
    expect(server!.received).toHaveLength(1);
  });

  it('schedulemsg formats a Date into date, time and gmt', async () => {
    const client = await serve('1701|919812345678|id-3', '/bulksms/schedulemsg');
    await client.schedulemsg({ ...message, at: new Date('2018-03-03T22:15:00Z'), gmt: '+05:30' });
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toMatchObject({
      date: '03/04/2018',
      time: '03:45 am',
      gmt: '+05:30',
    });
  });

  it('prepare.schedulemsg takes a Date as the method does, and shows the URL it sends', async () => {
    const client = await serve('1701|919812345678|id-3', '/bulksms/schedulemsg');
    const params = { ...message, at: new Date('2018-03-03T22:15:00Z'), gmt: '+05:30' };
    const prepared = await client.prepare.schedulemsg(params, { revealCredentials: true });
    await client.schedulemsg(params);
    expect(prepared.url).toBe(`${server!.url}${server!.received[0]!.pathname}${server!.received[0]!.search}`);
    expect((await client.prepare.schedulemsg(params)).url).not.toContain('p%40ss');
    await expect(client.prepare.schedulemsg({ ...message, at: new Date(Number.NaN) })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('schedulemsg rejects a bad `at` or `gmt` instead of throwing, and sends nothing', async () => {
    const client = await serve('1701|919812345678|id-5', '/bulksms/schedulemsg');
    for (const bad of [
      { at: new Date(Number.NaN) },
      { at: new Date('2018-03-03T22:15:00Z'), gmt: '+25:00' },
      { at: 'tomorrow' },
    ]) {
      let pending: Promise<unknown> | undefined;
      expect(() => (pending = client.schedulemsg({ ...message, ...bad } as never))).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(ValidationError);
    }
    expect(server!.received).toHaveLength(0);
  });

  it('schedulemsg reads `at` and the message from a prototype or getters, like core reads parameters', async () => {
    const client = await serve('1701|919812345678|id-6', '/bulksms/schedulemsg');
    class Scheduled {
      get at() {
        return new Date('2018-03-03T22:15:00Z');
      }
      get gmt() {
        return '+05:30';
      }
    }
    for (const [key, value] of Object.entries(message))
      Object.defineProperty(Scheduled.prototype, key, { get: () => value });
    await client.schedulemsg(new Scheduled() as never);
    await client.schedulemsg(Object.create({ ...message, at: new Date('2018-03-03T22:15:00Z'), gmt: '+05:30' }));
    for (const request of server!.received) {
      expect(Object.fromEntries(request.searchParams)).toMatchObject({
        ...Object.fromEntries(Object.entries(message).map(([k, v]) => [k, String(v)])),
        date: '03/04/2018',
        time: '03:45 am',
        gmt: '+05:30',
      });
    }
    expect(server!.received).toHaveLength(2);
  });

  it('schedulemsg passes the vendor’s raw fields through, validated', async () => {
    const client = await serve('1701|919812345678|id-4', '/bulksms/schedulemsg');
    await client.schedulemsg({ ...message, date: '03/03/2018', time: '11:51 pm', gmt: '-10:00' });
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toMatchObject({
      date: '03/03/2018',
      time: '11:51 pm',
      gmt: '-10:00',
    });
    await expect(
      client.schedulemsg({ ...message, date: '2018-03-03', time: '23:51', gmt: '-10:00' }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'date' }), expect.objectContaining({ path: 'time' })],
    });
    await expect(
      // @ts-expect-error: a Date and raw fields are exclusive
      client.schedulemsg({ ...message, at: new Date(), date: '03/03/2018', time: '11:51 pm', gmt: '-10:00' }),
    ).resolves.toBeDefined();
    expect(server!.received).toHaveLength(2);
  });

  // unified.txt L14 (and L133): "messages longer than 160 characters for plain text, 140 for flash,
  // and 280 for Unicode. ... every 153 characters are counted as one message for plain text and
  // 268 characters for Unicode": 280 = 70 × 4 and 268 = 67 × 4, four hex digits per character.
  it('sends type 2 (Unicode) text as UTF-16 hex, upper-case, an emoji as two units', async () => {
    const client = await serve('1701|919812345678|id-u');
    await client.bulksms({ ...message, type: 2, message: 'Γειά σου 😀' });
    expect(server!.received[0]!.search).toBe(
      '?type=2&dlr=1&destination=919812345678&source=SMSWIRE&message=039303B503B903AC002003C303BF03C50020D83DDE00&username=user&password=p%40ss%26word',
    );
  });

  it('sends type 6 (Unicode flash) text as hex, scheduled too', async () => {
    const client = await serve('1701|919812345678|id-f');
    await client.bulksms({ ...message, type: 6, message: 'مرحبا 😀' });
    expect(Object.fromEntries(server!.received[0]!.searchParams)).toMatchObject({
      type: '6',
      message: '06450631062D062806270020D83DDE00',
    });

    const scheduled = await serve('1701|919812345678|id-s', '/bulksms/schedulemsg');
    await scheduled.schedulemsg({
      ...message,
      type: 2,
      message: 'Γ',
      at: new Date('2018-03-03T22:15:00Z'),
      gmt: '+05:30',
    });
    expect(server!.received[0]!.search).toBe(
      '?type=2&dlr=1&destination=919812345678&source=SMSWIRE&message=0393&date=03%2F04%2F2018&time=03%3A45%20am&gmt=%2B05%3A30&username=user&password=p%40ss%26word',
    );
  });

  it.each([0, 1, 5, 7] as const)('sends type %i text as it is', async (type) => {
    const client = await serve('1701|919812345678|id-t');
    await client.bulksms({ ...message, type, message: 'Café Γ' });
    expect(server!.received[0]!.searchParams.get('message')).toBe('Café Γ');
  });

  // unified.txt L14: "For concatenated (long) messages every ... 268 characters [are counted as one message]
  // for Unicode": 67 UTF-16 characters per part; 255 parts at most (the concatenation header's one
  // octet), so 17,085 characters, counted on the text as passed, not on its hex.
  it('limits Unicode text to 255 parts of 67 characters, counting an emoji as two', async () => {
    const urls: string[] = [];
    const client = createClient({
      username: 'user',
      password: 'p@ss&word',
      baseUrl: 'http://sms.example.net:8080',
      fetch: async (url) => {
        urls.push(String(url));
        return new Response('1701|919812345678|id-l');
      },
    });
    await client.bulksms({ ...message, type: 2, message: 'Γ'.repeat(17_085) });
    await client.bulksms({ ...message, type: 6, message: `${'Γ'.repeat(17_083)}😀` });
    expect(new URL(urls[0]!).searchParams.get('message')).toBe('0393'.repeat(17_085));
    expect(new URL(urls[1]!).searchParams.get('message')).toBe(`${'0393'.repeat(17_083)}D83DDE00`);

    for (const text of ['Γ'.repeat(17_086), `${'Γ'.repeat(17_084)}😀`]) {
      const error = await client.bulksms({ ...message, type: 2, message: text }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        {
          path: 'message',
          message:
            'must be at most 17085 characters when type is 2 or 6, counted in UTF-16 code units (an emoji counts two); it has 17086',
        },
      ]);
    }
    // The Unicode limit is not applied to plain text.
    await client.bulksms({ ...message, type: 0, message: 'a'.repeat(17_086) });
    expect(urls).toHaveLength(3);
  });

  // unified.txt L10: "4 : WAP Push", and no parameter in the table (L7–L14) carries the push URL.
  it('refuses type 4 (WAP push), which has no documented URL parameter', async () => {
    const client = await serve('1701|1|x');
    const error = await client.bulksms({ ...message, type: 4 } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'type',
        message:
          'must be one of 0, 1, 2, 5, 6, 7 (3 is reserved; 4, WAP push, has no documented parameter for its URL)',
      },
    ]);
    await expect(
      client.schedulemsg({ ...message, type: 4, at: new Date('2030-01-01T00:00:00Z') } as never),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(server!.received).toHaveLength(0);
  });

  it.each([
    ['an empty message', { message: '' }, 'message'],
    ['an empty destination', { destination: '' }, 'destination'],
    ['a destination with letters', { destination: '9198x' }, 'destination'],
    ['a 12-character alphanumeric source', { source: 'SMSWIRELTD12' }, 'source'],
    ['a 12-character source with punctuation', { source: 'Dr.Who & Co.' }, 'source'],
    ['a 19-digit numeric source', { source: '1234567890123456789' }, 'source'],
    ['a blank source', { source: '   ' }, 'source'],
    ['a source with a line break', { source: 'ACME\nBANK' }, 'source'],
    ['type 4 (WAP push)', { type: 4 }, 'type'],
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

  // unified.txt L13 (and L132): "Max Length of 18 if numeric. · Max Length of 11 if alphanumeric.
  // ... The SMSC may enforce additional restrictions": the document limits the length only.
  it.each(['Dr.Who', 'A-1 Taxi', 'My_Shop', 'Café&Co', 'Ω-Shop 24/7'])(
    'accepts the sender %j and sends it as it is',
    async (source) => {
      const client = await serve('1701|1|x');
      await client.bulksms({ ...message, source });
      expect(server!.received[0]!.searchParams.get('source')).toBe(source);
    },
  );

  it('types the parameters from the spec', () => {
    const client = createClient({ username: 'u', password: 'p', baseUrl: 'http://127.0.0.1:1' });
    expectTypeOf(client.bulksms).parameter(0).toHaveProperty('type').toEqualTypeOf<0 | 1 | 2 | 5 | 6 | 7>();
    expectTypeOf(client.bulksms).parameter(0).toHaveProperty('dlr').toEqualTypeOf<0 | 1>();
    // @ts-expect-error: message is required
    void (() => client.bulksms({ type: 0, dlr: 0, destination: '1', source: 'A' }));
    // @ts-expect-error: 3 is reserved, not in the enum
    void (() => client.bulksms({ ...message, type: 3 }));
    // @ts-expect-error: 4 (WAP push) has no documented URL parameter, not in the enum
    void (() => client.bulksms({ ...message, type: 4 }));
    // @ts-expect-error: credentials are options, not parameters
    void (() => client.bulksms({ ...message, password: 'p' }));
  });

  it('requires baseUrl and both credentials', () => {
    // @ts-expect-error: baseUrl is required
    expect(() => createClient({ username: 'u', password: 'p' })).toThrow(/baseUrl is required/);
    expect(() => createClient({ username: 'u', password: '', baseUrl: 'http://127.0.0.1:1' })).toThrow(
      /password must be a non-empty string/,
    );
  });
});
