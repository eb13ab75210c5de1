import { describe, expect, expectTypeOf, it } from 'vitest';
import { sortedPairs as sorted } from '../../../test/support/server.js';
import {
  createClient,
  errorCatalog,
  ParseError,
  ValidationError,
  VendorError,
  type CodeResult,
  type UsersenderResult,
} from '../src/index.js';
import { client, paths, SECRET, USER, vendor } from './stand-in.js';

const message = { to: '966500000000', message: 'Hello & مرحبا = 100%', sender: 'SMSWIRE' } as const;

describe('@smswire/dreams requests on the wire', () => {
  it('sendsms posts a form with user and secret_key injected and the calendar fields in the vendor’s spelling', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    await client(server.url).sendsms({
      ...message,
      is_calander: 1,
      calander_date: '2030-01-31',
      calander_time: '09:30',
      reminder: 15,
      reminder_text: 'Starts in 15 minutes',
      location_url: 'https://maps.google.com/?q=24.7136,46.6753&z=15',
    });
    expect(server.exchanges).toHaveLength(1);
    const [sent] = server.exchanges;
    expect(sent!.method).toBe('POST');
    // The credentials travel in the body only, never in the URL.
    expect(sent!.path).toBe('/index.php/api/sendsms/');
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.fields).toEqual(
      sorted([
        ['to', '966500000000'],
        ['message', 'Hello & مرحبا = 100%'],
        ['sender', 'SMSWIRE'],
        ['is_calander', '1'],
        ['calander_date', '2030-01-31'],
        ['calander_time', '09:30'],
        ['reminder', '15'],
        ['reminder_text', 'Starts in 15 minutes'],
        ['location_url', 'https://maps.google.com/?q=24.7136,46.6753&z=15'],
        ['user', USER],
        ['secret_key', SECRET],
      ]),
    );
    expect(sent!.body).toContain('secret_key=dreams-secret%26key%3D%2B%2F%C3%BC');
  });

  it('sendsms without calendar fields sends only what was given', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    await client(server.url).sendsms(message);
    expect(server.exchanges[0]!.fields).toEqual(
      sorted([
        ['to', '966500000000'],
        ['message', 'Hello & مرحبا = 100%'],
        ['sender', 'SMSWIRE'],
        ['user', USER],
        ['secret_key', SECRET],
      ]),
    );
  });

  it('sendsmsMulti sends `to` as the document’s nested JSON, one array per pair', async () => {
    const server = await vendor({ [paths.sendsmsMulti]: 'Result: Success' });
    await client(server.url).sendsmsMulti({
      sender: 'SMSWIRE',
      to: [
        { to: '966500000001', message: 'MSG1' },
        { to: '966500000002', message: 'MSG@ "quoted" & مرحبا' },
      ],
    });
    const [sent] = server.exchanges;
    expect(sent!.path).toBe('/index.php/api/sendsms_multi/');
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.form.to).toBe(
      '[[{"to":"966500000001","message":"MSG1"}],[{"to":"966500000002","message":"MSG@ \\"quoted\\" & مرحبا"}]]',
    );
    expect(sent!.fields).toEqual(
      sorted([
        ['sender', 'SMSWIRE'],
        ['to', sent!.form.to!],
        ['user', USER],
        ['secret_key', SECRET],
      ]),
    );
    // The shape of the document's example: [[{"to":"966******","message":"MSG1"}],[{"to":"966*****","message":"MSG@"}]]
    expect(JSON.parse(sent!.form.to!)).toEqual([
      [{ to: '966500000001', message: 'MSG1' }],
      [{ to: '966500000002', message: 'MSG@ "quoted" & مرحبا' }],
    ]);
  });

  it('sendsmsMulti with one pair is still doubly nested', async () => {
    const server = await vendor({ [paths.sendsmsMulti]: '999' });
    await client(server.url).sendsmsMulti({ sender: 'SMSWIRE', to: [{ to: '966500000001', message: 'Only one' }] });
    expect(server.exchanges[0]!.form.to).toBe('[[{"to":"966500000001","message":"Only one"}]]');
  });
});

describe('@smswire/dreams refuses bad arguments before sending', () => {
  it('is_calander: 1 without calander_date and calander_time names both', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    const error = await client(server.url)
      .sendsms({ ...message, is_calander: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'calander_date', message: 'is required when is_calander is 1' },
      { path: 'calander_time', message: 'is required when is_calander is 1' },
    ]);
    expect(String(error)).toMatch(/calander_date.*calander_time/);
    expect(server.exchanges).toHaveLength(0);
  });

  it('is_calander: 1 with only the date names the time', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    const error = await client(server.url)
      .sendsms({ ...message, is_calander: 1, calander_date: '2030-01-31' })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['calander_time']);
    expect(server.exchanges).toHaveLength(0);
  });

  it.each([
    ['an empty calendar date', { is_calander: 1, calander_date: '', calander_time: '09:30' }, ['calander_date']],
    ['a blank calendar time', { is_calander: 1, calander_date: '2030-01-31', calander_time: ' ' }, ['calander_time']],
    ['an invalid Date', { is_calander: 1, calander_date: new Date('nope'), calander_time: '09:30' }, ['calander_date']],
    [
      'is_calander other than 0 or 1',
      { is_calander: 2, calander_date: '2030-01-31', calander_time: '09:30' },
      ['is_calander'],
    ],
    ['a reminder of 0 minutes', { reminder: 0 }, ['reminder']],
    ['a number with letters', { to: '+966 50 CALL ME' }, ['to']],
    ['a 12-character sender', { sender: 'SMSWIRELTD12' }, ['sender']],
    ['a blank message', { message: ' ' }, ['message']],
    ['a credential as a parameter', { secret_key: 'x' }, ['secret_key']],
  ])('sendsms: %s', async (_, change, expected) => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    const error = await client(server.url)
      .sendsms({ ...message, ...change } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(expected);
    expect(server.exchanges).toHaveLength(0);
  });

  it.each([
    ['an empty list', []],
    ['a pair without a message', [{ to: '966500000001' }]],
    ['a pair with an extra field', [{ to: '966500000001', message: 'x', sender: 'Y' }]],
    ['a pair with a bad number', [{ to: '05-123', message: 'x' }]],
    ['a pre-encoded JSON string', '[[{"to":"966500000001","message":"x"}]]'],
  ])('sendsmsMulti: %s', async (_, to) => {
    const server = await vendor({ [paths.sendsmsMulti]: 'Result: Success' });
    const error = await client(server.url)
      .sendsmsMulti({ sender: 'SMSWIRE', to } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['to']);
    expect(server.exchanges).toHaveLength(0);
  });

  it('refuses an empty secretKey at createClient, and a missing one when an operation needs it', async () => {
    expect(() => createClient({ user: USER, secretKey: '' })).toThrow(/secretKey must be a non-empty string/);
    const server = await vendor({});
    const error = await createClient({ user: USER, baseUrl: server.url })
      .chkBalance()
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'secretKey', message: 'is required by chkBalance (a createClient option)' },
    ]);
    expect(server.exchanges).toHaveLength(0);
  });
});

describe('@smswire/dreams against the document’s literal replies', () => {
  it.each(['Result: Success', 'Result: Success\n', '999'])('sendsms: %j is a success', async (body) => {
    const server = await vendor({ [paths.sendsms]: body });
    const result = await client(server.url).sendsms(message);
    const code = body.trim().replace('Result: ', '') as 'Success' | '999';
    expect(result).toStrictEqual({ code, description: errorCatalog.sendsms[code].description });
    expectTypeOf(result).toEqualTypeOf<CodeResult>();
  });

  const sendErrors = Object.entries(errorCatalog.sendsms).filter(([, c]) => c.outcome === 'error');
  it('the sendsms catalog holds every negative code of the document', () => {
    expect(sendErrors.map(([code]) => code).sort()).toEqual(
      [
        '-100',
        '-110',
        '-111',
        '-112',
        '-113',
        '-114',
        '-115',
        '-116',
        '-117',
        '-118',
        '-119',
        '-122',
        '-123',
        '-124',
      ].sort(),
    );
  });

  it.each(sendErrors)(
    'sendsms: %s is a VendorError with the catalog text, sent once',
    async (code, { description }) => {
      const server = await vendor({ [paths.sendsms]: code });
      const error = await client(server.url)
        .sendsms(message)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VendorError);
      expect(error).toMatchObject({ vendor: 'dreams', operation: 'sendsms', code, description, retryable: false });
      expect(server.exchanges).toHaveLength(1);
    },
  );

  it.each(sendErrors)('sendsmsMulti: %s is a VendorError with the catalog text', async (code) => {
    const server = await vendor({ [paths.sendsmsMulti]: `${code}\n` });
    await expect(
      client(server.url).sendsmsMulti({ sender: 'SMSWIRE', to: [{ to: '966500000001', message: 'x' }] }),
    ).rejects.toMatchObject({
      constructor: VendorError,
      code,
      description: errorCatalog.sendsmsMulti[code as keyof typeof errorCatalog.sendsmsMulti].description,
    });
  });

  it.each([
    ['an undocumented code', '-125', VendorError],
    ['an HTML error page', '<html><body>Fatal error</body></html>', ParseError],
    ['an empty body', '', ParseError],
  ])('sendsms: %s is never a success', async (_, body, type) => {
    const server = await vendor({ [paths.sendsms]: body });
    await expect(client(server.url).sendsms(message)).rejects.toThrow(type);
  });

  it.each([
    ['1520.5', 1520.5],
    ['1520.5\n', 1520.5],
    ['0', 0],
    ['250', 250],
  ])('chkBalance: %j is the number %d', async (body, expected) => {
    const server = await vendor({ [paths.chkBalance]: body });
    const balance = await client(server.url).chkBalance();
    expect(balance).toBe(expected);
    expectTypeOf(balance).toEqualTypeOf<number>();
    expect(server.exchanges[0]!.fields).toEqual(
      sorted([
        ['user', USER],
        ['secret_key', SECRET],
      ]),
    );
  });

  it('chkBalance: -100 is the documented error, never a balance of -100', async () => {
    const server = await vendor({ [paths.chkBalance]: '-100' });
    await expect(client(server.url).chkBalance()).rejects.toMatchObject({
      constructor: VendorError,
      operation: 'chkBalance',
      code: '-100',
      description: errorCatalog.chkBalance['-100'].description,
    });
  });

  it.each(['1,520.50', 'SAR 10', 'Result: Success'])('chkBalance: %j is a ParseError', async (body) => {
    const server = await vendor({ [paths.chkBalance]: body });
    await expect(client(server.url).chkBalance()).rejects.toThrow(ParseError);
  });

  const xml = { type: 'text/xml; charset=UTF-8' };
  it('usersender: two <sender> elements are a list', async () => {
    const server = await vendor({
      [paths.usersender]: { ...xml, body: '<usersender><sender>SMSWIRE</sender><sender>DREAMS</sender></usersender>' },
    });
    const result = await client(server.url).usersender();
    expect(result).toStrictEqual({ sender: ['SMSWIRE', 'DREAMS'] });
    expectTypeOf(result).toEqualTypeOf<UsersenderResult>();
    expect(server.exchanges[0]!.headers.accept).toBe('application/xml');
  });

  it('usersender: ONE <sender> is still a list, and digits stay text', async () => {
    const server = await vendor({
      [paths.usersender]: {
        ...xml,
        body: '<?xml version="1.0" encoding="UTF-8"?>\n<usersender>\n  <sender>0555</sender>\n</usersender>\n',
      },
    });
    expect(await client(server.url).usersender()).toStrictEqual({ sender: ['0555'] });
  });

  it.each(['-110', '-117'] as const)('usersender: a bare %s is a VendorError with the catalog text', async (code) => {
    const server = await vendor({ [paths.usersender]: code });
    await expect(client(server.url).usersender()).rejects.toMatchObject({
      constructor: VendorError,
      operation: 'usersender',
      code,
      description: errorCatalog.usersender[code].description,
    });
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE usersender [<!ENTITY s "X">]><usersender><sender>&s;</sender></usersender>'],
    ['a __proto__ element', '<usersender><__proto__><polluted>1</polluted></__proto__></usersender>'],
    ['truncated XML', '<usersender><sender>SMSWIRE</sender><sen'],
    ['a success code where XML was due', '999'],
  ])('usersender: %s is a ParseError', async (_, body) => {
    const server = await vendor({ [paths.usersender]: { ...xml, body } });
    await expect(client(server.url).usersender()).rejects.toThrow(ParseError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // core/src/codecs/xml.ts `text()` reads an element's text from `#text` and falls back to ''
  // when there is none, meant for an element with only attributes; an element with CHILD
  // elements takes the same path, so a string field silently becomes ''. Marked `fails` until fixed.
  it('usersender: a <sender> with child elements is a ParseError, not an empty name', async () => {
    const server = await vendor({
      [paths.usersender]: { ...xml, body: '<usersender><sender><name>X</name></sender></usersender>' },
    });
    await expect(client(server.url).usersender()).rejects.toThrow(ParseError);
  });

  // core/src/codecs/xml.ts `shapeObject` returns `{}` for an empty element before it defaults
  // unwrapped lists to [], so `<usersender/>` decodes to `{}` although the type promises
  // `sender: string[]`. Marked `fails` until fixed.
  it('usersender: an empty <usersender/> is { sender: [] } (or a ParseError), never {}', async () => {
    const server = await vendor({ [paths.usersender]: { ...xml, body: '<usersender/>' } });
    const outcome = await client(server.url)
      .usersender()
      .catch((e: unknown) => e);
    if (!(outcome instanceof ParseError)) expect(outcome).toStrictEqual({ sender: [] });
  });
});
