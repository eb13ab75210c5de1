import { ParseError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type Answer, recordingServer, type TestServer } from '../../../test/support/server.js';
import { createSms } from '../src/index.js';
import { sms365 } from '../src/sms365.js';
import { smsleads } from '../src/smsleads.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serving(answer: Answer) {
  const server = await recordingServer(() => answer);
  servers.push(server);
  return server.url;
}

/** A balance the reply does not hold is an error: an account read as empty would stop every send. */
describe('balance() reads the amount or fails', () => {
  it('smsleads L180-185: "Your balance is:42" without the <balance> element is an error, never 0', async () => {
    const url = await serving({
      type: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?>\n<balance>\n<status>0</status>\n<message>Your balance is:42</message>\n</balance>',
    });
    const sms = createSms({ vendors: [smsleads({ token: 't', username: 'u', baseUrl: url })] });
    await expect(sms.balance()).rejects.toBeInstanceOf(ParseError);
    await expect(sms.balance()).rejects.toThrow(/no balance/);
  });

  it('smsleads L180-185: the documented reply reads 42', async () => {
    const url = await serving({
      type: 'text/xml',
      body: '<balance><status>0</status><message>Your balance is:42</message><balance>42</balance></balance>',
    });
    const sms = createSms({ vendors: [smsleads({ token: 't', username: 'u', baseUrl: url })] });
    expect(await sms.balance()).toEqual([{ vendor: 'smsleads', amount: 42, unit: 'credits' }]);
  });

  it('sms365 L1047: api/me/balance, a success without `balance` is an error, never 0', async () => {
    const url = await serving({ type: 'application/json', body: '{"status":1,"error":0,"remarks":"Success"}' });
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: url })] });
    await expect(sms.balance({ vendor: 'sms365' })).rejects.toBeInstanceOf(ParseError);
    const zero = await serving({
      type: 'application/json',
      body: '{"status":1,"error":0,"remarks":"Success","balance":0}',
    });
    const empty = createSms({ vendors: [sms365({ key: 'k', baseUrl: zero })] });
    expect(await empty.balance()).toEqual([{ vendor: 'sms365', amount: 0, unit: 'credits' }]);
  });
});
