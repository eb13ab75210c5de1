import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { startServer } from '../../../test/support/server.js';
import { createClient, errorCatalog, ParseError, TransportError, ValidationError, VendorError, type RemoveCLResult, type SmsParams } from '../src/index.js';

const TOKEN = 'smsleads-TOKEN&<>"ü';
const USERNAME = 'John&Doe';

interface Exchange {
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An SMS Leads stand-in, independent of the spec: it records each request and answers `reply`. */
async function vendor(reply: string | 'reset') {
  const exchanges: Exchange[] = [];
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exchanges.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (reply === 'reset') return void req.socket.destroy();
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(reply);
    });
  });
  servers.push(server);
  const client = createClient({ token: TOKEN, username: USERNAME, baseUrl: server.url, maxRetries: 2 }, { sleep: async () => undefined });
  return { client, exchanges };
}

const sent = '<?xml version="1.0" encoding="UTF-8"?>\n<sms>\n<status>0</status>\n<message>SMS will be sent</message>\n<shipment_id>4711<shipment_id>\n</sms>';
const message: SmsParams = { source: 'DemoAPI', destinations: { phone: [{ number: '0501234567', id: 'order-1' }] }, message: 'שלום & 😀 <b>' };

describe('createClient', () => {
  it('needs the token and the username', () => {
    expect(() => createClient({ token: '', username: 'u' })).toThrow(ValidationError);
    expect(() => createClient({ token: 't' } as never)).toThrow(/username is required/);
  });
});

describe('a command', () => {
  it('posts its XML to /api with the username inside and the token as a bearer header only', async () => {
    const { client, exchanges } = await vendor(sent);
    await expect(client.sms(message)).resolves.toEqual({ status: 0, message: 'SMS will be sent', shipment_id: '4711' });
    const [{ url, headers, body }] = exchanges as [Exchange];
    expect(url).toBe('/api');
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

  it('refuses bad input before sending: phone formats, control characters, unknown elements', async () => {
    const { client, exchanges } = await vendor(sent);
    for (const number of ['501234567', '0521234567', '521234567']) {
      await expect(client.sms({ ...message, destinations: { phone: [{ number }] } })).resolves.toMatchObject({ status: 0 });
    }
    for (const number of ['+972501234567', '05012345', '0301234567', '05-01234567']) {
      await expect(client.sms({ ...message, destinations: { phone: [{ number }] } })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(client.sms({ ...message, message: 'bell\u0007' })).rejects.toThrow(/control character/);
    await expect(client.sms({ ...message, destinations: {} })).rejects.toThrow(/cl_id is required, or .phone is required/);
    await expect(client.sms({ ...message, bogus: 1 } as never)).rejects.toThrow(/bogus is not a parameter/);
    expect(exchanges).toHaveLength(3);
    // A reply must have the root its schema names, so verify_phone gets its own.
    const verifying = await vendor('<verify_phone><status>0</status><verify_message>verification link will be send</verify_message></verify_phone>');
    await expect(verifying.client.verifyPhone({ phone: ['31234567', '0501234567'] })).resolves.toBeDefined();
    expect(verifying.exchanges).toHaveLength(1);
  });

  it('throws a status other than 0 as a VendorError from the catalog, without the token', async () => {
    const echoed = TOKEN.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const { client } = await vendor(`<sms><status>4</status><message>Not enough credit, Purchase Now. ${echoed}</message></sms>`);
    const error = (await client.sms(message).catch((e: unknown) => e)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ vendor: 'smsleads', operation: 'sms', code: '4', description: errorCatalog.sms['4'].description, retryable: false });
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
    const partial = await vendor('<?xml version="1.0" encoding="UTF-8"?>\n<status>944</status>\n<message>1 phone numbers Successfully deleted , 1 Phone numbers not exist in blacklist</message>');
    await expect(partial.client.rmNumBL({ phones: ['0501234567', '521234567'], reason: 'Asked to be contacted again' })).resolves.toMatchObject({ status: 944 });
    expect(partial.exchanges[0]!.body).toContain('<phones><phone>0501234567</phone><phone>521234567</phone></phones><reason>');
    const refused = await vendor('<status>933</status> <message>Phones or reason not valid</message>');
    await expect(refused.client.rmNumBL({ phones: ['0501234567'], reason: 'x' })).rejects.toMatchObject({ code: '933' });
  });

  it('fills in the constant of dlrByDate and keeps lists of one a list', async () => {
    const { client, exchanges } = await vendor(
      '<dlrByDate><status>0</status><message></message><transactions><transaction><external_id>7</external_id><status>102</status><he_message>הגיע ליעד</he_message><en_message>Delivered</en_message><date>03/02/21 16:38</date><shipment_id>1<shipment_id></transaction></transactions></dlrByDate>',
    );
    const result = await client.dlrByDate({ from: '01/01/21 00:00', to: new Date('2021-01-01T21:59:00Z') });
    expect(result.transactions).toEqual([{ external_id: '7', status: 102, he_message: 'הגיע ליעד', en_message: 'Delivered', date: '03/02/21 16:38', shipment_id: '1' }]);
    expect(exchanges[0]!.body).toContain('<transactions><external_id>null</external_id></transactions><from>01/01/21 00:00</from><to>01/01/21 23:59</to>');
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
