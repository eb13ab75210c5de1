import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { replay, type ReplayServer } from '../../../test/support/replay.js';
import { createClient, ParseError, ValidationError, VendorError, type GetStatusResult } from '../src/index.js';

// The vendor document's own sample replies, verbatim.
const samples = {
  '/sendtext': { body: '{"Status":"0","Text":"ACCEPTD","Message_ID":"194234"}', type: 'application/json' },
  '/getstatus': { body: '{"Status": "0","Text": "DELIVRD","Message_ID": "194234","Delivery Time": "1586420396602"}' },
  '/login/sms/smsConfiguration/smsClientBalance.jsp': { body: '10.000000\n' },
};

let server: ReplayServer;
beforeAll(async () => {
  server = await replay(samples);
});
afterAll(() => server.close());

const client = () => createClient({ apiKey: 'API_KEY', secretKey: 'SECRET KEY&1', baseUrl: server.url });

describe('@smswire/dinisoft against the document’s sample replies', () => {
  it('sendText sends the documented query and returns the message ID', async () => {
    const reply = await client().sendText({
      callerID: 'SENDER_ID',
      toUser: '8801712345678',
      messageContent: 'Hello, world & all',
    });
    expect(reply).toEqual({ Status: '0', Text: 'ACCEPTD', Message_ID: '194234' });
    const query = Object.fromEntries(server.received.at(-1)!.searchParams);
    expect(query).toEqual({
      callerID: 'SENDER_ID',
      toUser: '8801712345678',
      messageContent: 'Hello, world & all',
      apikey: 'API_KEY',
      secretkey: 'SECRET KEY&1',
    });
  });

  it('getStatus decodes the string status, the spaced key and the epoch-ms time', async () => {
    const status = await client().getStatus({ messageid: '194234' });
    expect(status).toEqual({
      Status: '0',
      Text: 'DELIVRD',
      Message_ID: '194234',
      'Delivery Time': new Date(1586420396602),
    });
    expect(status['Delivery Time']?.toISOString()).toBe('2020-04-09T08:19:56.602Z');
    expectTypeOf(status['Delivery Time']).toEqualTypeOf<Date | undefined>();
    expectTypeOf<GetStatusResult['Status']>().toEqualTypeOf<string>();
  });

  it('smsClientBalance decodes the bare number and sends no credentials', async () => {
    expect(await client().smsClientBalance({ client: 'ClientName' })).toBe(10);
    expect(server.received.at(-1)!.search).toBe('?client=ClientName');
  });

  it('validates before sending', async () => {
    const before = server.received.length;
    await expect(client().sendText({ callerID: 'X', toUser: '', messageContent: 'hi' })).rejects.toThrow(
      ValidationError,
    );
    // @ts-expect-error: messageid is required
    await expect(client().getStatus({})).rejects.toThrow(/messageid is required/);
    expect(server.received.length).toBe(before);
  });

  it('turns a documented failure into a typed VendorError and garbage into a ParseError', async () => {
    const failing = await replay({
      '/sendtext': { body: '{"Status":"5400","Text":"REJECTD","Message_ID":""}' },
      '/getstatus': { body: '<html>Service Unavailable</html>' },
    });
    try {
      const c = createClient({ apiKey: 'k', secretKey: 's3cret', baseUrl: failing.url });
      await expect(c.sendText({ callerID: 'X', toUser: '1', messageContent: 'hi' })).rejects.toMatchObject({
        constructor: VendorError,
        code: '5400',
        description: 'The source IP address is not allowed.',
        retryable: false,
      });
      await expect(c.getStatus({ messageid: '1' })).rejects.toThrow(ParseError);
    } finally {
      await failing.close();
    }
  });
});
