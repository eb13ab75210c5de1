import { withInternals } from '@smswire/core/internal';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { encodeSingleByte } from '../../../test/support/charsets.js';
import { type FormRequest, recordingServer } from '../../../test/support/server.js';
import {
  createClient,
  errorCatalog,
  ParseError,
  TransportError,
  ValidationError,
  VendorError,
  type RemoveCLResult,
  type SmsParams,
} from '../src/index.js';

const TOKEN = 'smsleads-TOKEN&<>"ü';
const USERNAME = 'John&Doe';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An SMS Leads stand-in, independent of the spec: it records each request and answers `reply`. */
async function vendor(reply: string | 'reset' | { type: string; body: Buffer }) {
  const server = await recordingServer(() =>
    reply === 'reset' ? reply : typeof reply === 'string' ? { type: 'text/xml; charset=utf-8', body: reply } : reply,
  );
  servers.push(server);
  const client = createClient(
    withInternals(
      { token: TOKEN, username: USERNAME, baseUrl: server.url, maxRetries: 2 },
      { sleep: async () => undefined },
    ),
  );
  return { client, exchanges: server.exchanges };
}

const sent =
  '<?xml version="1.0" encoding="UTF-8"?>\n<sms>\n<status>0</status>\n<message>SMS will be sent</message>\n<shipment_id>4711<shipment_id>\n</sms>';
const message: SmsParams = {
  source: 'DemoAPI',
  destinations: { phone: [{ number: '0501234567', id: 'order-1' }] },
  message: 'שלום & 😀 <b>',
};

describe('createClient', () => {
  it('needs the token and the username', async () => {
    expect(() => createClient({ token: '', username: 'u' })).toThrow(ValidationError);
    // Checked per operation, when a command that sends it is called; nothing is sent.
    const error = await createClient({ token: 't', baseUrl: 'http://127.0.0.1:9' } as never)
      .balance()
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'username', message: 'is required by balance (a createClient option)' },
    ]);
  });
});

describe('a command', () => {
  it('posts its XML to /api with the username inside and the token as a bearer header only', async () => {
    const { client, exchanges } = await vendor(sent);
    await expect(client.sms(message)).resolves.toEqual({ status: 0, message: 'SMS will be sent', shipment_id: '4711' });
    const [{ path, headers, body }] = exchanges as [FormRequest];
    expect(path).toBe('/api');
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers['content-type']).toBe('application/xml');
    expect(headers.accept).toBe('application/xml');
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><sms><user><username>John&amp;Doe</username></user><source>DemoAPI</source>' +
        '<destinations><phone id="order-1">0501234567</phone></destinations><message>שלום &amp; 😀 &lt;b&gt;</message></sms>',
    );
  });

  it('writes a Date in Israel time as dd/mm/yy hh:mm', async () => {
    const { client, exchanges } = await vendor(sent);
    await client.sms({ ...message, timing: new Date('2021-03-30T07:10:00Z') });
    expect(exchanges[0]!.body).toContain('<timing>30/03/21 10:10</timing>');
  });

  // smsleads.txt L67: "<timing>30/03/21 10:10</timing>", L219: "Format: dd/mm/yy hh:mm": two year
  // digits, read as 20yy. A Date they cannot hold was written as 00 or 99 and sent.
  it('takes a Date only in 2000 to 2099, Israel time, the years dd/mm/yy can hold', async () => {
    const { client, exchanges } = await vendor(sent);
    await client.sms({ ...message, timing: new Date('2099-12-31T21:59:00Z') });
    expect(exchanges[0]!.body).toContain('<timing>31/12/99 23:59</timing>');
    await client.sms({ ...message, timing: new Date('1999-12-31T22:00:00Z') });
    expect(exchanges[1]!.body).toContain('<timing>01/01/00 00:00</timing>');
    for (const timing of ['2099-12-31T22:00:00Z', '1999-12-31T21:59:00Z', '2150-06-01T00:00:00Z']) {
      await expect(client.sms({ ...message, timing: new Date(timing) })).rejects.toMatchObject({
        issues: [{ path: 'timing', message: 'must be in the years 2000 to 2099 (dd/mm/yy has two year digits)' }],
      });
    }
    await expect(
      client.dlrByDate({ from: new Date('1999-06-01T00:00:00Z'), to: new Date('2000-06-01T00:00:00Z') }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(exchanges).toHaveLength(2);
  });

  it('refuses bad input before sending: phone formats, control characters, unknown elements', async () => {
    const { client, exchanges } = await vendor(sent);
    for (const number of ['501234567', '0521234567', '521234567']) {
      await expect(client.sms({ ...message, destinations: { phone: [{ number }] } })).resolves.toMatchObject({
        status: 0,
      });
    }
    for (const number of ['+972501234567', '05012345', '0301234567', '05-01234567']) {
      await expect(client.sms({ ...message, destinations: { phone: [{ number }] } })).rejects.toBeInstanceOf(
        ValidationError,
      );
    }
    await expect(client.sms({ ...message, message: 'bell\u0007' })).rejects.toThrow(/control character/);
    await expect(client.sms({ ...message, destinations: {} })).rejects.toThrow(
      /cl_id is required, or .phone is required/,
    );
    await expect(client.sms({ ...message, bogus: 1 } as never)).rejects.toThrow(/bogus is not a parameter/);
    expect(exchanges).toHaveLength(3);
    // The sms reply's unclosed <shipment_id> is read only by the commands that show it, so
    // verify_phone gets its own documented reply (L935-942).
    const verify = await vendor(
      '<?xml version="1.0" encoding="utf-8"?>\n<verify_phone>\n<status>0</status>\n<verify_message>\nverification link will be send to 0501234567\n</verify_message>\n</verify_phone>',
    );
    await expect(verify.client.verifyPhone({ phone: ['31234567', '0501234567'] })).resolves.toMatchObject({
      status: 0,
    });
    expect(verify.exchanges).toHaveLength(1);
  });

  it('throws a status other than 0 as a VendorError from the catalog, without the token', async () => {
    const echoed = TOKEN.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const { client } = await vendor(
      `<sms><status>4</status><message>Not enough credit, Purchase Now. ${echoed}</message></sms>`,
    );
    const error = (await client.sms(message).catch((e: unknown) => e)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({
      vendor: 'smsleads',
      operation: 'sms',
      code: '4',
      description: errorCatalog.sms['4'].description,
      retryable: false,
    });
    expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
  });

  it('returns partial failures inside a success instead of dropping them', async () => {
    const { client } = await vendor(
      '<removeCL><status>0</status><message>contact list successfully removed</message><errors><error>contact list id: 21500 does not exist and therefore not removed</error></errors></removeCL>',
    );
    const result = await client.removeCL({ cl: ['21518', '21500'] });
    expectTypeOf(result).toEqualTypeOf<RemoveCLResult>();
    expect(result.errors).toEqual(['contact list id: 21500 does not exist and therefore not removed']);
  });

  it('reads the rootless blacklist reply: 944 is a partial success, 933 an error', async () => {
    const partial = await vendor(
      '<?xml version="1.0" encoding="UTF-8"?>\n<status>944</status>\n<message>1 phone numbers Successfully deleted , 1 Phone numbers not exist in blacklist</message>',
    );
    await expect(
      partial.client.rmNumBL({ phones: ['0501234567', '521234567'], reason: 'Asked to be contacted again' }),
    ).resolves.toMatchObject({ status: 944 });
    expect(partial.exchanges[0]!.body).toContain(
      '<phones><phone>0501234567</phone><phone>521234567</phone></phones><reason>',
    );
    const refused = await vendor('<status>933</status> <message>Phones or reason not valid</message>');
    await expect(refused.client.rmNumBL({ phones: ['0501234567'], reason: 'x' })).rejects.toMatchObject({
      code: '933',
    });
  });

  it('reads a reply without a root only for rmNumBL, the one command the document shows one for', async () => {
    // smsleads.txt L412-414: rmNumBL answers "<status>944</status> <message>X phone numbers
    // Successfully deleted , Y Phone numbers not exist in blacklist</message>" with no root.
    const rootless = await vendor(
      '<?xml version="1.0" encoding="UTF-8"?>\n<status>944</status>\n<message>2 phone numbers Successfully deleted , 1 Phone numbers not exist in blacklist</message>',
    );
    await expect(rootless.client.rmNumBL({ phones: ['0501234567'], reason: 'x' })).resolves.toEqual({
      status: 944,
      message: '2 phone numbers Successfully deleted , 1 Phone numbers not exist in blacklist',
    });
    // L96-101: the sms reply has its <sms> root; a second top-level <status> after it is no
    // field of the reply but a malformed one, never a success.
    const doubled =
      '<?xml version="1.0" encoding="UTF-8"?>\n<sms><status>3</status><message>Username or password is incorrect and API token is invalid</message></sms><status>0</status>';
    const sms = await vendor(doubled);
    await expect(sms.client.sms(message)).rejects.toBeInstanceOf(ParseError);
    // Even rmNumBL, which reads rootless fields (L412-414), does not take a whole reply followed
    // by a stray sibling for fields: that would read the trailing <status>0</status> as success.
    const strayed = await vendor(
      '<rmNumBL><status>3</status><message>Username or password is incorrect</message></rmNumBL><status>0</status>',
    );
    await expect(strayed.client.rmNumBL({ phones: ['0501234567'], reason: 'x' })).rejects.toBeInstanceOf(ParseError);
    // L180-185: the balance reply is well-formed too, so neither defect is read there.
    for (const body of [
      '<status>0</status><balance>42</balance>',
      '<balance><status>0</status><message></message><balance>42<balance></balance>',
    ]) {
      const balance = await vendor(body);
      await expect(balance.client.balance()).rejects.toBeInstanceOf(ParseError);
    }
  });

  it("answers a code of the document's one table on every command, not as undocumented", async () => {
    // smsleads.txt L1059-1205 is one table for every command; L1191-1193: "996 The name is too
    // long or too short", which newCL (whose lists have a name, L564) can answer too.
    const { client } = await vendor(
      '<newCL><status>996</status><message>The name is too long or too short</message></newCL>',
    );
    const error = (await client
      .newCL({ cl: [{ name: 'name1', destinations: [{ phone: '0501234567' }] }] })
      .catch((e: unknown) => e)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ operation: 'newCL', code: '996', description: 'The name is too long or too short.' });
    // L409-414: only rmNumBL shows 944 under "Success"; elsewhere it is the table's error.
    expect(errorCatalog.rmNumBL['944'].outcome).toBe('success');
    expect(errorCatalog.blacklist['944']).toMatchObject({
      outcome: 'error',
      description: 'Some of the numbers are not in the blacklist.',
    });
  });

  it('fills in the constant of dlrByDate and keeps lists of one a list', async () => {
    const { client, exchanges } = await vendor(
      '<dlrByDate><status>0</status><message></message><transactions><transaction><external_id>7</external_id><status>102</status><he_message>הגיע ליעד</he_message><en_message>Delivered</en_message><date>03/02/21 16:38</date><shipment_id>1<shipment_id></transaction></transactions></dlrByDate>',
    );
    const result = await client.dlrByDate({ from: '01/01/21 00:00', to: new Date('2021-01-01T21:59:00Z') });
    expect(result.transactions).toEqual([
      {
        external_id: '7',
        status: 102,
        he_message: 'הגיע ליעד',
        en_message: 'Delivered',
        date: '03/02/21 16:38',
        shipment_id: '1',
      },
    ]);
    expect(exchanges[0]!.body).toContain(
      '<transactions><external_id>null</external_id></transactions><from>01/01/21 00:00</from><to>01/01/21 23:59</to>',
    );
  });

  it('never sends a command twice after a reset, and retries a read', async () => {
    const send = await vendor('reset');
    await expect(send.client.sms(message)).rejects.toBeInstanceOf(TransportError);
    expect(send.exchanges).toHaveLength(1);
    const read = await vendor('reset');
    await expect(read.client.balance()).rejects.toBeInstanceOf(TransportError);
    expect(read.exchanges).toHaveLength(3);
  });

  it('refuses a truncated reply and a DOCTYPE as ParseErrors', async () => {
    for (const body of [sent.slice(0, 60), `<!DOCTYPE sms [<!ENTITY x "y">]>${sent}`]) {
      const { client } = await vendor(body);
      await expect(client.balance()).rejects.toBeInstanceOf(ParseError);
    }
  });
});

describe('a reply in the charset its server declares', () => {
  // smsleads.txt L229-248: the dlr reply, Hebrew in <he_message> (L235).
  const dlr = (encoding: string) =>
    `<?xml version="1.0" encoding="${encoding}"?>\n<dlr>\n<status>0</status>\n<message></message>\n<transactions>\n<transaction>\n` +
    '<external_id>1391438285</external_id>\n<status>102</status>\n<he_message>הגיע ליעד </he_message>\n<en_message>Delivered</en_message>\n' +
    '<date>03/02/21 16:38</date>\n<shipment_id>12345678<shipment_id>\n</transaction>\n</transactions>\n</dlr>';
  const params = { transactions: ['some id 1'], from: '01/01/21 00:00', to: '01/01/21 23:59' };
  const hebrew = { he_message: 'הגיע ליעד', en_message: 'Delivered' };

  it('reads Hebrew in windows-1255 when the XML declaration names it', async () => {
    const body = encodeSingleByte(dlr('windows-1255'), 'windows-1255');
    // ה is 0xE4 in windows-1255: one byte, not UTF-8's two.
    expect(body.includes(Buffer.from([0xe4, 0xe2, 0xe9, 0xf2]))).toBe(true);
    const { client } = await vendor({ type: 'text/xml', body });
    expect((await client.dlr(params)).transactions).toEqual([expect.objectContaining(hebrew)]);
  });

  it('follows the Content-Type charset over the XML declaration', async () => {
    const { client } = await vendor({
      type: 'application/xml; charset=windows-1255',
      body: encodeSingleByte(dlr('UTF-8'), 'windows-1255'),
    });
    expect((await client.dlr(params)).transactions).toEqual([expect.objectContaining(hebrew)]);
  });

  it('refuses a charset it cannot decode with a ParseError', async () => {
    const { client } = await vendor({ type: 'text/xml', body: Buffer.from(dlr('x-mac-klingon')) });
    await expect(client.dlr(params)).rejects.toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('unknown charset x-mac-klingon'),
    });
  });
});

describe('the default reply limits', () => {
  it('read a full page of delivery reports', async () => {
    // smsleads.txt L222: "The max limit of DLR's in each request is 1000"; each as L232-L239 shows it.
    const report = (i: number) =>
      `<transaction>\n<external_id>${1391438285 + i}</external_id>\n<status>102</status>\n<he_message>הגיע ליעד </he_message>\n` +
      `<en_message>Delivered</en_message>\n<date>03/02/21 16:38</date>\n<shipment_id>${12345678 + i}<shipment_id>\n</transaction>\n`;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<dlr>\n<status>0</status>\n<message></message>\n<transactions>\n${Array.from({ length: 1000 }, (_, i) => report(i)).join('')}</transactions>\n</dlr>`;
    const { client } = await vendor(body);
    const result = await client.dlr({ transactions: ['some id 1'], from: '01/01/21 00:00', to: '01/01/21 23:59' });
    expect(result.transactions).toHaveLength(1000);
    expect(result.transactions?.[999]).toMatchObject({
      external_id: '1391439284',
      shipment_id: '12346677',
      he_message: 'הגיע ליעד',
    });
  });
  // L222's 1,000 is dlr's limit; dlrByDate names none, so a day's reports come back whole.
  it('smsleads L222: dlrByDate with 1,500 reports decodes whole', async () => {
    const report = (i: number) =>
      `<transaction>\n<external_id>${globalThis.crypto.randomUUID()}</external_id>\n<status>102</status>\n<he_message>הגיע ליעד</he_message>\n` +
      `<en_message>Delivered</en_message>\n<date>03/02/21 16:38</date>\n<shipment_id>${12345678 + i}<shipment_id>\n</transaction>\n`;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<dlrByDate>\n<status>0</status>\n<message></message>\n<transactions>\n${Array.from({ length: 1500 }, (_, i) => report(i)).join('')}</transactions>\n</dlrByDate>`;
    const { client } = await vendor(body);
    const result = await client.dlrByDate({ from: '01/01/21 00:00', to: '01/01/21 23:59' });
    expect(result.transactions).toHaveLength(1500);
    expect(result.transactions?.[1499]).toMatchObject({ shipment_id: '12347177', en_message: 'Delivered' });
  });

  // L11-23: `<sms>` is the generic form of every reply; an error under it is the command's error.
  it('smsleads L11-23: an error reply under the generic <sms> root is a VendorError with its code', async () => {
    const { client } = await vendor(
      '<?xml version="1.0" encoding="UTF-8"?>\n<sms>\n<status>3</status>\n<message>Username or password is incorrect and API token is invalid</message>\n</sms>',
    );
    await expect(client.balance()).rejects.toMatchObject({ constructor: VendorError, code: '3' });
    await expect(client.dlrByDate({ from: '01/01/21 00:00', to: '01/01/21 23:59' })).rejects.toMatchObject({
      constructor: VendorError,
      code: '3',
    });
  });

  it('smsleads L11-23: a success under the generic <sms> root is not the command reply', async () => {
    const { client } = await vendor('<sms><status>0</status><message>SMS will be sent</message></sms>');
    await expect(client.balance()).rejects.toThrow(/a success under <sms>, not <balance>/);
  });

  // L11-23: the root "will change according to the command sent"; a success under another
  // command's root is not this command's reply.
  it('smsleads L23: a success reply under another root is still refused', async () => {
    const { client } = await vendor('<balance><status>0</status><message></message><balance>42</balance></balance>');
    await expect(client.dlrByDate({ from: '01/01/21 00:00', to: '01/01/21 23:59' })).rejects.toThrow(
      /expected the root element <dlrByDate>, found <balance>/,
    );
  });
});
