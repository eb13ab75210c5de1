import { withInternals } from '@smswire/core/internal';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { encodeSingleByte } from '../../../test/support/charsets.js';
import {
  type Answer,
  type FormRequest as Exchange,
  readForm,
  recordingServer,
  sortedPairs as sorted,
  startServer,
} from '../../../test/support/server.js';
import {
  createClient,
  errorCatalog,
  HttpError,
  ParseError,
  TimeoutError,
  TransportError,
  ValidationError,
  VendorError,
  type ContactListResult,
  type SmsSendResult,
} from '../src/index.js';

const KEY = 'sms365-KEY&=+/ü';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * An sms365 stand-in, independent of the spec: it reads the whole form body, records it and
 * answers what `answer` returns (`'reset'` cuts the connection after the request arrived).
 */
async function vendor(answer: (exchange: Exchange, attempt: number) => Answer) {
  const server = await recordingServer((exchange, attempt) => {
    const reply = answer(exchange, attempt);
    return reply === 'reset' ? reply : { type: 'application/json', ...reply };
  });
  servers.push(server);
  return { url: server.url, exchanges: server.exchanges };
}

/** Answers JSON, or XML when the form asks for `type=xml`, as sms365 does. */
const byType =
  (json: string, xml: string) =>
  (exchange: Exchange): Answer =>
    exchange.form.type === 'xml'
      ? { type: 'text/xml; charset=utf-8', body: xml }
      : { type: 'application/json', body: json };

const delays: number[] = [];
afterEach(() => {
  delays.length = 0;
});
const internals = {
  sleep: async (ms: number) => {
    delays.push(ms);
  },
  random: () => 0.5,
};

const client = (url: string, maxRetries?: number) =>
  createClient(
    withInternals({ key: KEY, baseUrl: url, ...(maxRetries === undefined ? {} : { maxRetries }) }, internals),
  );

const errorReply = {
  json: '{"status":0,"error":101,"remarks":"Check your credentials"}',
  xml: '<?xml version="1.0" encoding="UTF-8"?>\n<response><status>0</status><error>101</error><remarks>Check your credentials</remarks></response>',
};

describe('@smswire/sms365 requests on the wire', () => {
  it('smsSend posts a form with the key injected, booleans as true/false and a Date as Unix seconds', async () => {
    const server = await vendor(() => ({
      body: '{"status":1,"error":0,"remarks":"Success","smsId":"7316204","cost":1,"balance":4999,"mcc":"202","mnc":"01"}',
    }));
    await client(server.url).smsSend({
      to: '306971000000',
      text: 'Γειά σου & café = 100%',
      from: 'SMSWIRE',
      ucs: true,
      flash: false,
      timestamp: new Date('2030-01-01T00:00:00.999Z'),
      callback: 'https://example.com/dlr?id=my-1&x=2',
      type: 'json',
    });
    expect(server.exchanges).toHaveLength(1);
    const [sent] = server.exchanges;
    expect(sent!.method).toBe('POST');
    // Nothing in the URL: the key travels in the body only.
    expect(sent!.path).toBe('/api/sms/send');
    expect(sent!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent!.fields).toEqual(
      sorted([
        ['to', '306971000000'],
        ['text', 'Γειά σου & café = 100%'],
        ['from', 'SMSWIRE'],
        ['ucs', 'true'],
        ['flash', 'false'],
        ['timestamp', '1893456000'],
        ['callback', 'https://example.com/dlr?id=my-1&x=2'],
        ['type', 'json'],
        ['key', KEY],
      ]),
    );
    // Form-encoded, so `&`, `=` and `+` in values cannot split or forge a field.
    expect(sent!.body).toContain('key=sms365-KEY%26%3D%2B%2F%C3%BC');
    expect(sent!.body).toContain('callback=https%3A%2F%2Fexample.com%2Fdlr%3Fid%3Dmy-1%26x%3D2');
  });

  it('smsSend sends the opposite booleans, an integer timestamp as given, and leaves out what was not given', async () => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success","smsId":"1"}' }));
    await client(server.url).smsSend({
      to: '306971000000',
      text: 'hi',
      ucs: false,
      flash: true,
      timestamp: 1893456000,
    });
    expect(server.exchanges[0]!.fields).toEqual(
      sorted([
        ['to', '306971000000'],
        ['text', 'hi'],
        ['ucs', 'false'],
        ['flash', 'true'],
        ['timestamp', '1893456000'],
        ['key', KEY],
      ]),
    );
    // Without `type` the vendor answers JSON, and the client asks for it.
    expect(server.exchanges[0]!.headers.accept).toBe('application/json');
  });

  it('smsSend with type xml asks for XML and passes `type` through', async () => {
    const server = await vendor(
      byType('{}', '<response><status>1</status><error>0</error><remarks>Success</remarks><smsId>9</smsId></response>'),
    );
    const reply = await client(server.url).smsSend({ to: '306971000000', text: 'hi', type: 'xml' });
    expect(reply).toEqual({ status: 1, error: 0, remarks: 'Success', smsId: '9' });
    expect(server.exchanges[0]!.form.type).toBe('xml');
    expect(server.exchanges[0]!.headers.accept).toBe('application/xml');
  });

  it('smsBulk joins an array `to` with commas and passes a string `to` through', async () => {
    const server = await vendor(() => ({
      body: '{"status":1,"error":0,"remarks":"Success","accepted":3,"rejected":0}',
    }));
    const c = client(server.url);
    await c.smsBulk({
      to: ['306971000000', '306980000000', '49172000000'],
      text: 'Hello all',
      from: 'SMSWIRE',
      flash: false,
    });
    await c.smsBulk({ to: '306971000000,306980000000', text: 'Hello all', timestamp: new Date(1_893_456_000_000) });
    expect(server.exchanges.map((e) => [e.method, e.path, e.headers['content-type']])).toEqual([
      ['POST', '/api/sms/bulk', 'application/x-www-form-urlencoded'],
      ['POST', '/api/sms/bulk', 'application/x-www-form-urlencoded'],
    ]);
    expect(server.exchanges[0]!.fields).toEqual(
      sorted([
        ['to', '306971000000,306980000000,49172000000'],
        ['text', 'Hello all'],
        ['from', 'SMSWIRE'],
        ['flash', 'false'],
        ['key', KEY],
      ]),
    );
    expect(server.exchanges[1]!.fields).toEqual(
      sorted([
        ['to', '306971000000,306980000000'],
        ['text', 'Hello all'],
        ['timestamp', '1893456000'],
        ['key', KEY],
      ]),
    );
  });

  it('mobileCheck sends no key', async () => {
    const server = await vendor(() => ({
      body: '{"status":1,"error":0,"remarks":"Success","mobile":{"msisdn":"306971234567","national":"6971234567","country":"Greece","countryCode":"30","gsmCode":"697","number":"1234567","mcc":"202","mnc":"01","cost":1}}',
    }));
    await client(server.url).mobileCheck({ mobile: '+30 697 123 4567' });
    expect(server.exchanges[0]!.path).toBe('/api/mobile/check');
    expect(server.exchanges[0]!.fields).toEqual([['mobile', '+30 697 123 4567']]);
    expect(server.exchanges[0]!.body).not.toContain('key');
  });
});

describe('@smswire/sms365 refuses bad arguments before sending', () => {
  it.each([
    [
      'type v2 on smsSend',
      // @ts-expect-error: v2 "plain text" has no documented format, so the type leaves it out
      (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: 'hi', type: 'v2' }),
      ['type'],
    ],
    // @ts-expect-error: as above
    ['type v2 on meBalance', (c: ReturnType<typeof client>) => c.meBalance({ type: 'v2' }), ['type']],
    [
      'type v2 on mobileCheck',
      // @ts-expect-error: as above, on the one call without a key
      (c: ReturnType<typeof client>) => c.mobileCheck({ mobile: '306971234567', type: 'v2' }),
      ['type'],
    ],
    // @ts-expect-error: `to` is text
    ['a numeric to on smsSend', (c: ReturnType<typeof client>) => c.smsSend({ to: 306971000000, text: 'hi' }), ['to']],
    [
      'numeric items in smsBulk to',
      // @ts-expect-error: the items are text
      (c: ReturnType<typeof client>) => c.smsBulk({ to: [306971000000], text: 'hi' }),
      ['to'],
    ],
    ['an empty smsBulk to list', (c: ReturnType<typeof client>) => c.smsBulk({ to: [] as never, text: 'hi' }), ['to']],
    [
      'a comma inside one smsBulk number',
      (c: ReturnType<typeof client>) => c.smsBulk({ to: ['306971000000,306980000000'], text: 'hi' }),
      ['to'],
    ],
    [
      'ucs as text',
      // @ts-expect-error: booleans, not the text the wire carries
      (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: 'hi', ucs: 'true' }),
      ['ucs'],
    ],
    [
      'an invalid Date',
      (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: 'hi', timestamp: new Date(Number.NaN) }),
      ['timestamp'],
    ],
    [
      'a negative timestamp',
      (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: 'hi', timestamp: -1 }),
      ['timestamp'],
    ],
    ['a blank text', (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: '  ' }), ['text']],
    // @ts-expect-error: text is required
    ['a missing text', (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000' }), ['text']],
    [
      'a key parameter',
      // @ts-expect-error: the key is an option, not a parameter
      (c: ReturnType<typeof client>) => c.smsSend({ to: '306971000000', text: 'hi', key: 'other' }),
      ['key'],
    ],
  ])('%s', async (_, call, paths) => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
    const error = await call(client(server.url)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(paths);
    expect(server.exchanges).toHaveLength(0);
  });

  it('refuses an empty key at createClient', () => {
    expect(() => createClient({ key: '' })).toThrow(/key must be a non-empty string/);
  });
});

describe('@smswire/sms365 credentials are per operation', () => {
  const keyReply = { body: '{"status":1,"error":0,"remarks":"Success","key":"NEW-KEY-0123456789"}' };

  // sms365.txt L21, L47: mobile/check is free and takes no key.
  it('mobileCheck works on a client created without a key', async () => {
    const server = await vendor(() => ({
      body: '{"status":1,"error":0,"remarks":"Success","mobile":{"msisdn":"306971234567"}}',
    }));
    await createClient({ baseUrl: server.url }).mobileCheck({ mobile: '306971234567' });
    expect(server.exchanges[0]!.fields).toEqual([['mobile', '306971234567']]);
  });

  // sms365.txt L175–179: key/get takes "username … [Required]" and "password … [Required]".
  it.each(['keyGet', 'keyReset'] as const)(
    '%s with the login sends the login and not the key, even when the client has one',
    async (id) => {
      const server = await vendor(() => keyReply);
      await createClient({ baseUrl: server.url })[id]({ username: 'demo', password: 'pw' });
      await createClient({ key: KEY, baseUrl: server.url })[id]({ username: 'demo', password: 'pw' });
      for (const exchange of server.exchanges)
        expect(exchange.fields).toEqual([
          ['password', 'pw'],
          ['username', 'demo'],
        ]);
    },
  );

  // sms365.txt L176 and L257: "Existing API key [key=YOUR-KEY] can be used insted of [username-password]".
  it.each(['keyGet', 'keyReset'] as const)('%s without the login sends the client key instead', async (id) => {
    const server = await vendor(() => keyReply);
    await createClient({ key: KEY, baseUrl: server.url })[id]();
    expect(server.exchanges[0]!.fields).toEqual([['key', KEY]]);
  });

  it.each(['keyGet', 'keyReset'] as const)(
    '%s with neither a login nor a key is refused before sending',
    async (id) => {
      const server = await vendor(() => keyReply);
      const error = await createClient({ baseUrl: server.url })
        [id]()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        { path: 'key', message: `is required by ${id} (a createClient option)` },
      ]);
      // Half a login is refused too, rather than silently sending the key.
      expect(
        await createClient({ key: KEY, baseUrl: server.url })
          [id]({ username: 'demo' })
          .catch((e: unknown) => e),
      ).toBeInstanceOf(ValidationError);
      expect(server.exchanges).toHaveLength(0);
    },
  );

  it('every other operation needs the key', async () => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
    const error = await createClient({ baseUrl: server.url })
      .meBalance()
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'key', message: 'is required by meBalance (a createClient option)' },
    ]);
    expect(server.exchanges).toHaveLength(0);
  });
});

describe('@smswire/sms365 replies: JSON and XML decode to the same result', () => {
  /**
   * `call` made once as JSON and once with `type: 'xml'`, against a stand-in that answers `json`
   * or `xml` as the form asks: the two replies (or errors, where `call` catches them).
   */
  async function inBothForms<T>(
    json: string,
    xml: string,
    call: (c: ReturnType<typeof client>, form: { type?: 'xml' }) => Promise<T>,
  ) {
    const server = await vendor(byType(json, xml));
    const c = client(server.url);
    return { fromJson: await call(c, {}), fromXml: await call(c, { type: 'xml' }), exchanges: server.exchanges };
  }

  it('contactList: a single <contact> is still a list, numbers are numbers, ids and numbers stay text', async () => {
    const expected: ContactListResult = {
      status: 1,
      error: 0,
      remarks: 'Success',
      contacts: [
        {
          contactId: '058213',
          mobile: '306971234567',
          name: 'Μαρία',
          surname: 'Παπαδοπούλου',
          vname: 'Μαρία',
          vsurname: 'Παπαδοπούλου',
          birthday: '1985-03-02',
          nameday: '1985-08-15',
          custom1: 'a & b <c>',
          custom2: '',
          custom3: '',
          custom4: '',
          custom5: '',
          cost: 1.5,
        },
      ],
      total: 1,
    };
    // The JSON reply is the result as text; the XML below must decode to the same.
    const json = JSON.stringify(expected);
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<response>
  <status>1</status>
  <error>0</error>
  <remarks>Success</remarks>
  <contacts>
    <contact>
      <contactId>058213</contactId>
      <mobile>306971234567</mobile>
      <name>Μαρία</name>
      <surname>Παπαδοπούλου</surname>
      <vname>Μαρία</vname>
      <vsurname>Παπαδοπούλου</vsurname>
      <birthday>1985-03-02</birthday>
      <nameday>1985-08-15</nameday>
      <custom1>a &amp; b &lt;c&gt;</custom1>
      <custom2></custom2>
      <custom3/>
      <custom4></custom4>
      <custom5></custom5>
      <cost>1.5</cost>
    </contact>
  </contacts>
  <total>1</total>
</response>`;
    const { fromJson, fromXml, exchanges } = await inBothForms(json, xml, (c, form) => c.contactList(form));
    expect(fromXml).toStrictEqual(fromJson);
    expect(fromXml).toStrictEqual(expected);
    expect(exchanges.map((e) => [e.path, e.form.type, e.headers.accept])).toEqual([
      ['/api/contact/list', undefined, 'application/json'],
      ['/api/contact/list', 'xml', 'application/xml'],
    ]);
  });

  it('contactList: an empty <contacts/> is an empty list', async () => {
    const { fromJson, fromXml } = await inBothForms(
      '{"status":1,"error":0,"remarks":"Success","contacts":[],"total":0}',
      '<response><status>1</status><error>0</error><remarks>Success</remarks><contacts/><total>0</total></response>',
      (c, form) => c.contactList(form),
    );
    const expected = { status: 1, error: 0, remarks: 'Success', contacts: [], total: 0 };
    expect(fromJson).toStrictEqual(expected);
    expect(fromXml).toStrictEqual(expected);
  });

  it('smsBulk: a single <sms> and a single <id><value> are lists; counts are integers, balance a number', async () => {
    const json =
      '{"status":1,"error":0,"remarks":"Success","id":["7316204"],"sms":[{"smsId":"7316204","msisdn":"306971000000"}],"accepted":1,"rejected":1,"balance":4996.5}';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<response>
  <status>1</status>
  <error>0</error>
  <remarks>Success</remarks>
  <id><value>7316204</value></id>
  <sms><smsId>7316204</smsId><msisdn>306971000000</msisdn></sms>
  <accepted>1</accepted>
  <rejected>1</rejected>
  <balance>4996.5</balance>
</response>`;
    const params = { to: ['306971000000', '3069'], text: 'hi' };
    const { fromJson, fromXml } = await inBothForms(json, xml, (c, form) => c.smsBulk({ ...params, ...form }));
    const expected = {
      status: 1,
      error: 0,
      remarks: 'Success',
      id: ['7316204'],
      sms: [{ smsId: '7316204', msisdn: '306971000000' }],
      accepted: 1,
      rejected: 1,
      balance: 4996.5,
    };
    expect(fromJson).toStrictEqual(expected);
    expect(fromXml).toStrictEqual(expected);
  });

  it('smsBulk: several <sms> elements and ids keep their order', async () => {
    const xml =
      '<response><status>1</status><error>0</error><remarks>Success</remarks>' +
      '<id><value>1</value><value>2</value><value>3</value></id>' +
      '<sms><smsId>1</smsId><msisdn>306971000000</msisdn></sms><sms><smsId>2</smsId><msisdn>306980000000</msisdn></sms><sms><smsId>3</smsId><msisdn>49172000000</msisdn></sms>' +
      '<accepted>3</accepted><rejected>0</rejected><balance>4996</balance></response>';
    const json = JSON.stringify({
      status: 1,
      error: 0,
      remarks: 'Success',
      id: ['1', '2', '3'],
      sms: [
        { smsId: '1', msisdn: '306971000000' },
        { smsId: '2', msisdn: '306980000000' },
        { smsId: '3', msisdn: '49172000000' },
      ],
      accepted: 3,
      rejected: 0,
      balance: 4996,
    });
    const params = { to: ['306971000000', '306980000000', '49172000000'], text: 'hi' };
    const { fromJson, fromXml } = await inBothForms(json, xml, (c, form) => c.smsBulk({ ...params, ...form }));
    expect(fromXml).toStrictEqual(fromJson);
    expect(JSON.parse(json)).toStrictEqual(fromXml);
  });

  it('smsSend: mcc/mnc keep their leading zeros, cost and balance are numbers', async () => {
    const { fromJson, fromXml } = await inBothForms(
      '{"status":1,"error":0,"remarks":"Success","smsId":"007316204","cost":0.5,"balance":4999.25,"mcc":"202","mnc":"01"}',
      '<response><status>1</status><error>0</error><remarks>Success</remarks><smsId>007316204</smsId><cost>0.5</cost><balance>4999.25</balance><mcc>202</mcc><mnc>01</mnc></response>',
      (c, form) => c.smsSend({ to: '306971000000', text: 'hi', ...form }),
    );
    const expected: SmsSendResult = {
      status: 1,
      error: 0,
      remarks: 'Success',
      smsId: '007316204',
      cost: 0.5,
      balance: 4999.25,
      mcc: '202',
      mnc: '01',
    };
    expect(fromJson).toStrictEqual(expected);
    expect(fromXml).toStrictEqual(expected);
    expectTypeOf(fromXml.balance).toEqualTypeOf<number | undefined>();
    expectTypeOf(fromXml.smsId).toEqualTypeOf<string | undefined>();
  });

  it('meBalance: the balance is a number in both forms', async () => {
    const { fromJson, fromXml } = await inBothForms(
      '{"status":1,"error":0,"remarks":"Success","balance":1520.75}',
      '<response><status>1</status><error>0</error><remarks>Success</remarks><balance>1520.75</balance></response>',
      (c, form) => c.meBalance(form),
    );
    const expected = { status: 1, error: 0, remarks: 'Success', balance: 1520.75 };
    expect(fromJson).toStrictEqual(expected);
    expect(fromXml).toStrictEqual(expected);
  });

  it('viberBalance: booleans from true/false and 1/0, a single wrapped <sender> is a list', async () => {
    const { fromJson, fromXml } = await inBothForms(
      '{"status":1,"error":0,"remarks":"Success","senders":[{"senderId":"12","text":"SMSWIRE","balance":100.5,"twoway":true,"paused":false}]}',
      '<response><status>1</status><error>0</error><remarks>Success</remarks><senders><sender><senderId>12</senderId><text>SMSWIRE</text><balance>100.5</balance><twoway>1</twoway><paused>false</paused></sender></senders></response>',
      (c, form) => c.viberBalance(form),
    );
    const expected = {
      status: 1,
      error: 0,
      remarks: 'Success',
      senders: [{ senderId: '12', text: 'SMSWIRE', balance: 100.5, twoway: true, paused: false }],
    };
    expect(fromJson).toStrictEqual(expected);
    expect(fromXml).toStrictEqual(expected);
  });

  it.each([
    [
      'smsSend',
      (c: ReturnType<typeof client>, form: { type?: 'xml' }) => c.smsSend({ to: '306971000000', text: 'hi', ...form }),
    ],
    ['contactList', (c: ReturnType<typeof client>, form: { type?: 'xml' }) => c.contactList(form)],
    ['meBalance', (c: ReturnType<typeof client>, form: { type?: 'xml' }) => c.meBalance(form)],
  ] as const)(
    '%s: status 0 / error 101 is a VendorError with the catalog text, in JSON and in XML',
    async (operation, call) => {
      const { fromJson, fromXml, exchanges } = await inBothForms(errorReply.json, errorReply.xml, (c, form) =>
        call(c, form).catch((e: unknown) => e),
      );
      for (const error of [fromJson, fromXml]) {
        expect(error).toBeInstanceOf(VendorError);
        expect(error).toMatchObject({
          vendor: 'sms365',
          operation,
          code: '101',
          description: errorCatalog[operation]['101'].description,
          retryable: false,
        });
      }
      // A documented refusal is an answer: never repeated, not even by a read.
      expect(exchanges).toHaveLength(2);
      expect(delays).toEqual([]);
    },
  );

  it('a code outside the catalog is an error, never a success', async () => {
    const { fromJson, fromXml } = await inBothForms(
      '{"status":0,"error":999,"remarks":"New error"}',
      '<response><status>0</status><error>999</error><remarks>New error</remarks></response>',
      (c, form) => c.meBalance(form).catch((e: unknown) => e),
    );
    for (const error of [fromJson, fromXml]) {
      expect(error).toMatchObject({
        constructor: VendorError,
        code: '999',
        description: 'undocumented code 999',
      });
    }
  });

  const ok = '<status>1</status><error>0</error><remarks>Success</remarks>';
  it.each([
    ['malformed XML (mismatched tags)', `<response>${ok}<balance>5</total></response>`],
    [
      'XML with a DOCTYPE',
      `<?xml version="1.0"?><!DOCTYPE response [<!ENTITY b "5">]><response>${ok}<balance>&b;</balance></response>`,
    ],
    ['XML with a DOCTYPE and no entity', `<!DOCTYPE response><response>${ok}<balance>5</balance></response>`],
    [
      'an element named __proto__',
      `<response>${ok}<balance>5</balance><__proto__><polluted>yes</polluted></__proto__></response>`,
    ],
    ['a truncated XML reply', `<?xml version="1.0" encoding="UTF-8"?>\n<response>${ok}<balance>49`],
    ['a truncated XML reply without its closing root', `<response>${ok}<balance>5</balance>`],
    ['two root elements', `<response>${ok}<balance>5</balance></response><response>${ok}</response>`],
    ['a balance that is not a number', `<response>${ok}<balance>lots</balance></response>`],
    [
      'an error code that is not an integer',
      `<response><status>0</status><error>1.5</error><remarks>?</remarks></response>`,
    ],
    ['no error element', `<response><status>1</status><remarks>Success</remarks><balance>5</balance></response>`],
    ['JSON when XML was asked for', '{"status":1,"error":0,"remarks":"Success","balance":5}'],
    ['an HTML error page', '<html><body><h1>Service Unavailable</h1></body>'],
    ['an empty body', ''],
  ])('meBalance with type xml: %s is a ParseError', async (_, xml) => {
    const server = await vendor(() => ({ type: 'application/xml', body: xml }));
    const error = await client(server.url)
      .meBalance({ type: 'xml' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Not retried: a reply arrived, and it would be the same again.
    expect(server.exchanges).toHaveLength(1);
  });

  it.each([
    ['a __proto__ key', '{"status":1,"error":0,"remarks":"Success","__proto__":{"polluted":"yes"}}'],
    ['truncated JSON', '{"status":1,"error":0,"remarks":"Succ'],
    ['an array', '[{"status":1,"error":0}]'],
    ['XML when JSON was asked for', `<response>${ok}</response>`],
    ['a non-integer error', '{"status":1,"error":0.5,"remarks":"Success"}'],
  ])('meBalance as JSON: %s is a ParseError', async (_, json) => {
    const server = await vendor(() => ({ body: json }));
    await expect(client(server.url).meBalance({})).rejects.toThrow(ParseError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // sms365.txt L248 and L266: key/reset "Resets the API key of the account to a new one" and
  // returns it. The client cannot redact a key it has not read, so no error shows such a reply.
  it('keyReset: a malformed reply carrying the new key shows neither the key nor the body', async () => {
    const NEW = 'NEWxKEYq7Zm4P2';
    const bodies = [
      `{"status":1,"error":0,"remarks":"Success","key":"${NEW}"`,
      `{"status":1,"error":"bad key ${NEW}","remarks":"Success","key":"${NEW}"}`,
    ];
    for (const body of bodies) {
      for (const status of [200, 500]) {
        const server = await vendor(() => ({ status, body }));
        const error = await client(server.url, 0)
          .keyReset({})
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(status === 200 ? ParseError : HttpError);
        expect((error as ParseError).body).toBe('[withheld: holds a secret]');
        for (const view of [String(error), (error as Error).stack, JSON.stringify(error)])
          expect(view).not.toContain(NEW);
      }
    }
  });

  it('errors never show the key, even when the reply echoes it', async () => {
    const server = await vendor(() => ({
      type: 'application/xml',
      body: `<response><key>${KEY.replace('&', '&amp;')}</key>`,
    }));
    const error = await client(server.url)
      .meBalance({ type: 'xml' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    const views = [String(error), (error as Error).stack, JSON.stringify(error), (error as ParseError).body];
    for (const view of views) {
      expect(view).not.toContain(KEY);
      expect(view).not.toContain('sms365-KEY');
    }
  });
});

describe('@smswire/sms365 retries', () => {
  const balance = { body: '{"status":1,"error":0,"remarks":"Success","balance":10}' };
  const unavailable = { status: 503, type: 'text/html', body: '<h1>503 Service Unavailable</h1>' };

  it('a read (meBalance) is retried on 503 and succeeds on the third attempt', async () => {
    const server = await vendor((_, attempt) => (attempt <= 2 ? unavailable : balance));
    expect(await client(server.url, 2).meBalance({})).toEqual({ status: 1, error: 0, remarks: 'Success', balance: 10 });
    expect(server.exchanges.map((e) => e.path)).toEqual(['/api/me/balance', '/api/me/balance', '/api/me/balance']);
    // Every attempt carries the same form.
    expect(new Set(server.exchanges.map((e) => e.body)).size).toBe(1);
    expect(delays).toHaveLength(2);
  });

  it('a read gives up after maxRetries with the HttpError', async () => {
    const server = await vendor(() => unavailable);
    await expect(client(server.url, 2).meBalance({})).rejects.toMatchObject({ constructor: HttpError, status: 503 });
    expect(server.exchanges).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('a read is retried after a connection reset', async () => {
    const server = await vendor((_, attempt) => (attempt === 1 ? 'reset' : balance));
    expect((await client(server.url, 2).meBalance({})).balance).toBe(10);
    expect(server.exchanges).toHaveLength(2);
  });

  it('a send (smsSend) is attempted exactly once on 503', async () => {
    const server = await vendor(() => unavailable);
    await expect(client(server.url, 2).smsSend({ to: '306971000000', text: 'hi' })).rejects.toMatchObject({
      constructor: HttpError,
      status: 503,
    });
    expect(server.exchanges).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('a send (smsSend) is attempted exactly once on a reset, and says it may have been sent', async () => {
    const server = await vendor(() => 'reset');
    const error = await client(server.url, 2)
      .smsSend({ to: '306971000000', text: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).sent).toBe('unknown');
    expect(server.exchanges).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    ['smsBulk', (c: ReturnType<typeof client>) => c.smsBulk({ to: ['306971000000'], text: 'hi' })],
    ['statusGet (hands each change over once)', (c: ReturnType<typeof client>) => c.statusGet({})],
    ['hlrLookup (costs credit)', (c: ReturnType<typeof client>) => c.hlrLookup({ mobile: '306971000000' })],
  ])('%s is a write: attempted once on 503', async (_, call) => {
    const server = await vendor(() => unavailable);
    await expect(call(client(server.url, 2))).rejects.toThrow(HttpError);
    expect(server.exchanges).toHaveLength(1);
  });
});

describe('@smswire/sms365 replies are held to the reply schema', () => {
  const contact = { contactId: '58213', name: 'Joe', mobile: '44123456789', cost: 2 };
  const ok = { status: 1, error: 0, remarks: 'Success' };
  const xml = (inner: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><response><status>1</status><error>0</error><remarks>Success</remarks>${inner}</response>`;
  const joe = '<contactId>58213</contactId><name>Joe</name><mobile>44123456789</mobile><cost>2</cost>';

  // sms365.txt L1659–1660: "contacts{ contact{ contactId name mobile cost …" — a wrapper level the
  // JSON examples do not have. Every form decodes to the same typed array.
  it.each([
    ['JSON, flat', 'json', JSON.stringify({ ...ok, contacts: [contact], total: 1 })],
    ['JSON, wrapped as the table shows', 'json', JSON.stringify({ ...ok, contacts: { contact: [contact] }, total: 1 })],
    ['JSON, wrapped, one contact', 'json', JSON.stringify({ ...ok, contacts: { contact }, total: '1' })],
    ['XML, wrapped', 'xml', xml(`<contacts><contact>${joe}</contact></contacts><total>1</total>`)],
    ['XML, flat', 'xml', xml(`<contacts>${joe}</contacts><total>1</total>`)],
  ] as const)('contactList reads the list %s', async (_, type, body) => {
    const server = await vendor(() => ({ body, type: type === 'xml' ? 'application/xml' : 'application/json' }));
    const reply = await client(server.url).contactList(type === 'xml' ? { type } : {});
    expect(reply.contacts).toEqual([contact]);
    expect(reply.total).toBe(1);
  });

  // sms365.txt L856: "balance  Balance of account", a number in the schema; PHP sends it as text at times.
  it('meBalance converts a numeric string and refuses anything else', async () => {
    const server = await vendor((_, n) => ({ body: JSON.stringify({ ...ok, balance: n === 1 ? '12.50' : 'abc' }) }));
    expect((await client(server.url).meBalance()).balance).toBe(12.5);
    expect(
      await client(server.url)
        .meBalance()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(ParseError);
  });
});

describe('@smswire/sms365 replies in the charset the server declares', () => {
  // sms365.txt L35: "Default input encoding is the web standard UTF-8" — a default, and PHP
  // stacks in Greece also answer in ISO-8859-7.
  const json =
    '{"status":1,"error":0,"remarks":"Success","contacts":[{"contactId":"058213","mobile":"306971234567","name":"Μαρία","surname":"Παπαδοπούλου"}],"total":1}';
  const xml = (encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>\n<response><status>1</status><error>0</error><remarks>Success</remarks>` +
    '<contacts><contact><contactId>058213</contactId><mobile>306971234567</mobile><name>Μαρία</name><surname>Παπαδοπούλου</surname></contact></contacts><total>1</total></response>';
  const greek = { contactId: '058213', name: 'Μαρία', surname: 'Παπαδοπούλου' };

  it('reads Greek in ISO-8859-7 from the Content-Type (JSON) and from the XML declaration', async () => {
    const body = encodeSingleByte(json, 'iso-8859-7');
    // Μ is 0xCC in ISO-8859-7: one byte, not UTF-8's two.
    expect(body.includes(Buffer.from([0xcc, 0xe1, 0xf1, 0xdf, 0xe1]))).toBe(true);
    const server = await vendor((exchange) =>
      exchange.form.type === 'xml'
        ? { type: 'text/xml', body: encodeSingleByte(xml('ISO-8859-7'), 'iso-8859-7') }
        : { type: 'application/json; charset=ISO-8859-7', body },
    );
    const c = client(server.url);
    expect((await c.contactList({})).contacts).toEqual([expect.objectContaining(greek)]);
    expect((await c.contactList({ type: 'xml' })).contacts).toEqual([expect.objectContaining(greek)]);
  });

  it('refuses a charset it cannot decode with a ParseError, and does not retry a read for it', async () => {
    const server = await vendor(() => ({ type: 'application/json; charset=x-greek-bogus', body: json }));
    await expect(client(server.url).contactList({})).rejects.toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('unknown charset x-greek-bogus'),
    });
    expect(server.exchanges).toHaveLength(1);
  });
});

describe('@smswire/sms365 replies as the document allows them (issue 31)', () => {
  const ok = '<status>1</status><error>0</error><remarks>Success</remarks>';

  // sms365.txt L68 on: every call offers type=xml, but no XML reply is shown, so no root name is known.
  it('sms365 L68: a send answered under any root element (<xml>) is a success, not a ParseError', async () => {
    for (const root of ['xml', 'response', 'result']) {
      const server = await vendor(() => ({
        type: 'application/xml',
        body: `<?xml version="1.0" encoding="UTF-8"?><${root}>${ok}<smsId>7316204</smsId></${root}>`,
      }));
      await expect(client(server.url).smsSend({ to: '306971000000', text: 'hi', type: 'xml' })).resolves.toMatchObject({
        smsId: '7316204',
      });
    }
    // Still one root: siblings without one are refused.
    const server = await vendor(() => ({ type: 'application/xml', body: `${ok}<smsId>7316204</smsId>` }));
    await expect(client(server.url).smsSend({ to: '306971000000', text: 'hi', type: 'xml' })).rejects.toThrow(
      ParseError,
    );
  });

  const changes = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ smsId: String(7_316_204_000 + i), status: 'd' }));

  // L2902: status/get "returns all sms whose status has been changed since last call", once.
  it('sms365 L2902: status/get with 6,000 changes decodes whole, as JSON and as XML', async () => {
    const sms = changes(6000);
    const json = JSON.stringify({ status: 1, error: 0, remarks: 'Success', sms, total: sms.length });
    const xml = `<response>${ok}${sms.map((s) => `<sms><smsId>${s.smsId}</smsId><status>d</status></sms>`).join('')}<total>6000</total></response>`;
    const server = await vendor(byType(json, xml));
    for (const type of ['json', 'xml'] as const) {
      const reply = await client(server.url).statusGet({ type });
      expect(reply.sms).toHaveLength(6000);
      expect(reply.sms?.[5999]).toEqual({ smsId: '7316209999', status: 'd' });
    }
  });

  // L2586: history/single/list "returns a list of all single sms".
  it('sms365 L2586: history/single/list with 2,500 rows decodes whole', async () => {
    const row = (i: number) => ({
      smsId: String(7_316_204_000 + i),
      sender: 'ACME',
      to: '306971000000',
      flash: false,
      unicode: false,
      timestamp: 1767225600,
      text: 'x'.repeat(160),
      cost: 1,
      status: 'd',
      ttd: '3',
    });
    const sms = Array.from({ length: 2500 }, (_, i) => row(i));
    const server = await vendor(() => ({
      body: JSON.stringify({ status: 1, error: 0, remarks: 'Success', sms, total: 2500, cost: 2500 }),
    }));
    const reply = await client(server.url).historySingleList({});
    expect(reply.sms).toHaveLength(2500);
    expect(reply.sms?.[2499]).toEqual(row(2499));
  });

  it('sms365 L2902: a status/get reply over its budget is an error that names maxReplyBytes, and the option raises it', async () => {
    const budget = 16 * 1024 * 1024;
    const body = `{"status":1,"error":0,"remarks":"Success","sms":[]}`;
    const padded = body + ' '.repeat(budget + 1 - body.length);
    const fetch = async () => new Response(padded, { headers: { 'content-type': 'application/json' } });
    const error = await createClient({ key: KEY, fetch, maxRetries: 0 })
      .statusGet({})
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect(String(error)).toMatch(/maxReplyBytes \(16777216\).*maxReplyBytes option/);
    await expect(
      createClient({ key: KEY, fetch, maxRetries: 0, maxReplyBytes: budget + 1 }).statusGet({}),
    ).resolves.toMatchObject({ sms: [] });
    // The budget is statusGet's: other calls keep the default cap.
    const balance = `{"status":1,"error":0,"remarks":"Success","balance":5}`;
    const big = async () =>
      new Response(balance + ' '.repeat(256 * 1024 + 1 - balance.length), {
        headers: { 'content-type': 'application/json' },
      });
    await expect(createClient({ key: KEY, fetch: big, maxRetries: 0 }).meBalance({})).rejects.toThrow(
      /maxReplyBytes \(262144\)/,
    );
  });

  // L1148-1153: "the maximum time (in seconds) for the call to wait for delivery report", no upper bound.
  it('sms365 L1148: 2fa/send with `wait` gets the wait on top of timeoutMs, so a delivered code is no timeout', async () => {
    const server = await startServer(async (req, res) => {
      const { form } = await readForm(req);
      setTimeout(
        () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"status":1,"error":0,"remarks":"Success","authId":"a1","smsStatus":"d"}'),
        Number(form.wait ?? 0) * 1000 * 0.6,
      );
    });
    servers.push(server);
    const c = createClient({ key: KEY, baseUrl: server.url, timeoutMs: 300, maxRetries: 0 });
    // The vendor waits 600 ms of the second it was allowed: past timeoutMs, inside the deadline.
    await expect(c.twofaSend({ to: '306971000000', wait: 1 })).resolves.toMatchObject({ authId: 'a1' });
    // Without the wait the deadline is timeoutMs alone.
    const stalled = await startServer(() => undefined);
    servers.push(stalled);
    const error = await createClient({ key: KEY, baseUrl: stalled.url, timeoutMs: 100, maxRetries: 0 })
      .twofaSend({ to: '306971000000', wait: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it.each([
    ['sms365 L2225-2229: group/deleteContact with neither groupId-contactId nor contactGroupId', {}, ['groupId']],
    ['sms365 L2225-2229: group/deleteContact with groupId alone', { groupId: '1207' }, ['contactId', 'groupId']],
  ])('%s is refused before sending', async (_, params, paths) => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
    const error = await client(server.url)
      .groupDeleteContact(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(paths);
    expect(server.exchanges).toHaveLength(0);
  });

  it('sms365 L2225-2229: group/deleteContact goes out with groupId and contactId, or with contactGroupId', async () => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
    await client(server.url).groupDeleteContact({ groupId: '1207', contactId: '58213' });
    await client(server.url).groupDeleteContact({ contactGroupId: '90412' });
    expect(server.exchanges.map((e) => e.form.contactGroupId ?? e.form.groupId)).toEqual(['1207', '90412']);
  });

  it.each(['306971000000,,306980000000', ',306971000000', '306971000000,'])(
    'sms365 L356: sms/bulk refuses a `to` with an empty entry (%s), and so does viber/bulk',
    async (to) => {
      const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
      const c = client(server.url);
      await expect(c.smsBulk({ to, text: 'hi' })).rejects.toThrow(ValidationError);
      await expect(c.viberBulk({ to, text: 'hi', from: 'ACME' })).rejects.toThrow(ValidationError);
      expect(server.exchanges).toHaveLength(0);
    },
  );

  it('sms365 L684/L724: Viber validity is seconds, and 30 to 59 (the minutes reading of 513) still go to the vendor', async () => {
    const server = await vendor(() => ({ body: '{"status":1,"error":0,"remarks":"Success"}' }));
    const c = client(server.url);
    await c.viberSend({ to: '306971000000', text: 'hi', from: 'ACME', validity: 30 });
    await c.viberSend({ to: '306971000000', text: 'hi', from: 'ACME', validity: 86400 });
    expect(server.exchanges.map((e) => e.form.validity)).toEqual(['30', '86400']);
    for (const validity of [29, 86401])
      await expect(c.viberSend({ to: '306971000000', text: 'hi', from: 'ACME', validity })).rejects.toThrow(
        ValidationError,
      );
    expect(server.exchanges).toHaveLength(2);
  });
});
