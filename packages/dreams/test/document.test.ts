import { describe, expect, expectTypeOf, it } from 'vitest';
import { sortedPairs as sorted } from '../../../test/support/server.js';
import {
  createClient,
  definition,
  errorCatalog,
  ParseError,
  ValidationError,
  VendorError,
  type SendsmsParams,
} from '../src/index.js';
import { client, paths, SECRET, USER, vendor, xml } from './stand-in.js';

/** What the vendor document says, line by line (/work/shared/vendors/dreams.txt), and what the client does with it. */

const message = { to: '966500000000', message: 'Hello', sender: 'SMSWIRE' } as const;
const operations = Object.keys(paths) as (keyof typeof paths)[];
const args: Record<keyof typeof paths, Record<string, unknown>> = {
  register: { user: 'new_user', password: 's3cret-Pass', mobile: '966500000000', email: 'a@example.com' },
  activate: { code: '123456' },
  chkUser: {},
  chkBalance: {},
  newsender: { sendertext: 'SMSWIRE' },
  senderstatus: { sendertext: 'SMSWIRE' },
  usersender: {},
  sendsms: message,
  sendsmsMulti: { sender: 'SMSWIRE', to: [{ to: '966500000001', message: 'x' }] },
};
const call = (url: string, op: keyof typeof paths) => (client(url)[op] as (p: unknown) => Promise<unknown>)(args[op]);

describe('-124 and the API-wide codes on every call (L18, L122-124)', () => {
  // L18: "Whitelist your IP address (if you encounter response code -124)": any call may answer it.
  it.each(operations)('%s: a bare -124 is "IP not allowed", not an undocumented code', async (op) => {
    const server = await vendor({ [paths[op]]: '-124' });
    const error = await call(server.url, op).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ operation: op, code: '-124', description: expect.stringMatching(/^IP not allowed/) });
  });

  it('every operation, the OAuth ones included, has -124 in its catalog', () => {
    for (const [op, codes] of Object.entries(errorCatalog)) expect(codes, op).toHaveProperty('-124');
  });

  // L122-124: "Number: The balance", "-100: Missing parameters"; -110 is every other endpoint's wrong-key code.
  it.each([
    ['-110', /^Wrong username or secret key/],
    ['-124', /^IP not allowed/],
    ['-100', /^Missing parameters/],
  ])('chkBalance: %s is that error, never a balance', async (body, description) => {
    const server = await vendor({ [paths.chkBalance]: `${body}\n` });
    await expect(client(server.url).chkBalance()).rejects.toMatchObject({
      constructor: VendorError,
      operation: 'chkBalance',
      code: body,
      description,
    });
  });

  // A send the balance does not cover is refused (L210 "-113: Not enough balance"), so the balance is never negative.
  it.each(['-125', '-3.75'])(
    'chkBalance: %s, outside the catalog, is an undocumented code, never a balance',
    async (body) => {
      const server = await vendor({ [paths.chkBalance]: body });
      await expect(client(server.url).chkBalance()).rejects.toMatchObject({
        constructor: VendorError,
        code: body,
        description: `undocumented code ${body}`,
      });
    },
  );

  it('keeps each endpoint its own meaning of a shared code (L56 vs L82)', () => {
    expect(errorCatalog.register['-110'].description).toBe('Username already used.');
    expect(errorCatalog.activate['-110'].description).toBe('Wrong username or secret key.');
    // L180-183 lists only "such as" -110 and -117 for usersender; -100 is assumed.
    expect(errorCatalog.usersender['-100'].description).toMatch(/^Missing parameters/);
  });
});

describe('usersender: the sender elements, whatever they are called (L180)', () => {
  // L180: "<usersender> ... </usersender>: Success Result" never shows the inner element's name.
  it.each([
    ['<sender>', '<usersender><sender>SMSWIRE</sender><sender>DREAMS</sender></usersender>'],
    ['<name>', '<usersender><name>SMSWIRE</name><name>DREAMS</name></usersender>'],
    [
      '<item>, with a declaration and white space',
      '<?xml version="1.0"?>\n<usersender>\n  <item>SMSWIRE</item>\n  <item>DREAMS</item>\n</usersender>\n',
    ],
  ])('reads %s children as the sender names', async (_, body) => {
    const server = await vendor({ [paths.usersender]: { ...xml, body } });
    expect(await client(server.url).usersender()).toStrictEqual({ sender: ['SMSWIRE', 'DREAMS'] });
  });

  it('one child of any name is still a list', async () => {
    const server = await vendor({
      [paths.usersender]: { ...xml, body: '<usersender><sendertext>0555</sendertext></usersender>' },
    });
    expect(await client(server.url).usersender()).toStrictEqual({ sender: ['0555'] });
  });

  it.each([
    ['an HTML page', '<html><body><p>Error</p></body></html>'],
    ['an XML error envelope', '<error><code>-110</code><message>Wrong username</message></error>'],
    ['an empty element of another name', '<senders/>'],
    ['children of two names', '<usersender><sender>SMSWIRE</sender><count>1</count></usersender>'],
  ])('%s is a ParseError, never { sender: [] }', async (_, body) => {
    const server = await vendor({ [paths.usersender]: { ...xml, body } });
    await expect(client(server.url).usersender()).rejects.toThrow(ParseError);
  });
});

describe('calendar fields (L198-200)', () => {
  // L199-200: "calander_date: required if is_calander=1", "calander_time: required if is_calander=1"; no format given.
  it('takes the date and time as any text, sent as given', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    await client(server.url).sendsms({
      ...message,
      is_calander: 1,
      calander_date: '31/01/2030',
      calander_time: '9:30 pm',
    });
    expect(server.exchanges[0]!.form).toMatchObject({
      is_calander: '1',
      calander_date: '31/01/2030',
      calander_time: '9:30 pm',
    });
  });

  it('takes Dates, written YYYY-MM-DD and HH:MM in Saudi time', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    // 21:30 UTC on 31 January is 00:30 on 1 February in Riyadh (UTC+3).
    const at = new Date('2030-01-31T21:30:00Z');
    await client(server.url).sendsms({ ...message, is_calander: 1, calander_date: at, calander_time: at });
    expect(server.exchanges[0]!.form).toMatchObject({ calander_date: '2030-02-01', calander_time: '00:30' });
    expectTypeOf<Date>().toMatchTypeOf<NonNullable<SendsmsParams['calander_date']>>();
    expectTypeOf<Date>().toMatchTypeOf<NonNullable<SendsmsParams['calander_time']>>();
  });

  it('requires neither with is_calander 0, which is sent', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    await client(server.url).sendsms({ ...message, is_calander: 0 });
    expect(server.exchanges[0]!.form.is_calander).toBe('0');
  });

  it('requires both with is_calander 1', async () => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    const error = await client(server.url)
      .sendsms({ ...message, is_calander: 1, calander_time: '09:30' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'calander_date', message: 'is required when is_calander is 1' },
    ]);
    expect(server.exchanges).toHaveLength(0);
  });
});

describe('phone numbers as people write them (L50, L195, L237)', () => {
  // L237's example sends international numbers without "+": [[{"to":"966******","message":"MSG1"}], …]
  it.each([
    ['+966500000000', '966500000000'],
    ['00966500000000', '966500000000'],
    ['+966 50 000 0000', '966500000000'],
    ['+966-50-000-0000', '966500000000'],
    ['+966 (50) 000.0000', '966500000000'],
    ['966500000000', '966500000000'],
    ['0500000000', '0500000000'],
  ])('sendsms: %j is sent as %s', async (to, wire) => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    await client(server.url).sendsms({ ...message, to });
    expect(server.exchanges[0]!.form.to).toBe(wire);
  });

  it('sendsmsMulti: each recipient is sent as digits without + or 00', async () => {
    const server = await vendor({ [paths.sendsmsMulti]: 'Result: Success' });
    await client(server.url).sendsmsMulti({
      sender: 'SMSWIRE',
      to: [
        { to: '+966 50 000 0001', message: 'a' },
        { to: '00966500000002', message: 'b' },
      ],
    });
    expect(JSON.parse(server.exchanges[0]!.form.to!)).toEqual([
      [{ to: '966500000001', message: 'a' }],
      [{ to: '966500000002', message: 'b' }],
    ]);
  });

  it('register: the mobile is sent as digits without +', async () => {
    const server = await vendor({ [paths.register]: '999' });
    await createClient({ user: USER, secretKey: SECRET, baseUrl: server.url }).register({
      user: 'new_user',
      password: 's3cret-Pass',
      email: 'a@example.com',
      mobile: '+966 50 000 0000',
    });
    expect(server.exchanges[0]!.form.mobile).toBe('966500000000');
  });

  it.each([
    ['+0966500000000', 'a 0 after +'],
    ['0096650', 'too few digits after 00'],
    ['+1234567', 'seven digits'],
    ['+1234567890123456', 'sixteen digits'],
    ['966 50 000 0000 ', 'a trailing space'],
    ['+966---500000000', 'three separators in a row'],
  ])('sendsms: %j (%s) is refused before sending', async (to) => {
    const server = await vendor({ [paths.sendsms]: 'Result: Success' });
    const error = await client(server.url)
      .sendsms({ ...message, to })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['to']);
    expect(server.exchanges).toHaveLength(0);
  });

  it('sendsmsMulti: a bad recipient number is refused before sending', async () => {
    const server = await vendor({ [paths.sendsmsMulti]: 'Result: Success' });
    const error = await client(server.url)
      .sendsmsMulti({ sender: 'SMSWIRE', to: [{ to: '+0966500000001', message: 'a' }] })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['to']);
    expect(server.exchanges).toHaveLength(0);
  });
});

describe('codes the document does not name are marked as assumptions', () => {
  const assumed = /\(not in the vendor document( for [^;]+)?; assumed by smswire (because|from) /;
  it.each([
    // L205/L239 document the send success as "Result: Success" only.
    ['sendsms', '999'],
    ['sendsmsMulti', '999'],
    // L122-124 lists only -100 for chk_balance; L181-183 only -110 and -117 for usersender.
    ['chkBalance', '-110'],
    ['usersender', '-100'],
    // L278 and L336 describe bad client credentials without naming a code; L325-341 name only invalid_token for revoke.
    ['tokenGenerate', 'invalid_client'],
    ['tokenGenerate', 'unauthorized_client'],
    ['tokenGenerate', 'unsupported_grant_type'],
    ['tokenRefresh', 'invalid_client'],
    ['tokenRevoke', 'invalid_client'],
    ['tokenRevoke', 'invalid_request'],
  ] as const)('%s %s', (op, code) => {
    expect((errorCatalog[op] as Record<string, { description: string }>)[code]!.description).toMatch(assumed);
  });

  it('codes the document names carry no such mark', () => {
    expect(errorCatalog.sendsms.Success.description).not.toMatch(assumed);
    expect(errorCatalog.tokenRefresh.invalid_grant.description).not.toMatch(assumed);
    expect(errorCatalog.tokenRevoke.invalid_token.description).not.toMatch(assumed);
  });
});

describe('Register needs no credential (L38-61)', () => {
  // L44-52: Register takes user, password, name, mobile and email; the account has no secret key yet.
  it('sends no credential and no bearer token', () => {
    expect(definition.operations.register.security).toEqual([]);
    expect(definition.operations.register).not.toHaveProperty('bearer');
  });

  it('sends exactly the new account’s fields, its user being the caller’s, not the client’s', async () => {
    const server = await vendor({ [paths.register]: '999' });
    await createClient({
      user: USER,
      secretKey: SECRET,
      clientId: 'id',
      clientSecret: 'secret',
      baseUrl: server.url,
    }).register({
      user: 'new_user',
      password: 's3cret-Pass',
      mobile: '966500000000',
      email: 'a@example.com',
    });
    expect(server.exchanges).toHaveLength(1);
    expect(server.exchanges[0]!.headers.authorization).toBeUndefined();
    expect(server.exchanges[0]!.fields).toEqual(
      sorted([
        ['user', 'new_user'],
        ['password', 's3cret-Pass'],
        ['mobile', '966500000000'],
        ['email', 'a@example.com'],
      ]),
    );
  });
});
