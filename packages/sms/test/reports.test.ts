import { ValidationError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingServer, type RecordingServer } from '../../../test/support/server.js';
import { createSms, parseReport as parseAnyReport, UnsupportedError } from '../src/index.js';
import { dinisoft } from '../src/dinisoft.js';
import { parseReport, sms365 } from '../src/sms365.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const full = '/cb?msgid=7316204&status=d&cost=1&to=306971234567&mcc=202&mnc=01';

/** sms365.txt L564–565: msgid, status (d or f), cost, to, mcc, mnc, appended to the callback URL. */
describe('sms365 delivery-report callbacks, read by @smswire/sms365 parser', () => {
  it('sms365 L564-565: a report with every field reads as its state', () => {
    expect(parseReport(full)).toMatchObject({
      messageId: '7316204',
      state: 'delivered',
      final: true,
      vendorStatus: 'd',
    });
    const sms = createSms({ vendors: [sms365({ key: 'k' })] });
    expect(sms.report('sms365', full.replace('status=d', 'status=f'))).toMatchObject({ state: 'undelivered' });
  });

  it.each([
    ['a status other than d or f', full.replace('status=d', 'status=x')],
    ['s, which L565 does not allow in a callback', full.replace('status=d', 'status=s')],
    ['no cost', full.replace('&cost=1', '')],
    ['a repeated msgid', `${full}&msgid=2`],
    ['a malformed number', full.replace('to=306971234567', 'to=abc')],
  ])('sms365 L564-565: %s is a ValidationError, through parseReport and sms.report', (_, url) => {
    expect(() => parseReport(url)).toThrow(ValidationError);
    const sms = createSms({ vendors: [sms365({ key: 'k' })] });
    expect(() => sms.report('sms365', url)).toThrow(ValidationError);
  });

  it("sms365 L564-565: the main entry's parseReport loads the same parser and reads the same report", async () => {
    await expect(parseAnyReport('sms365', full)).resolves.toEqual({ ...parseReport(full), at: expect.any(Date) });
    await expect(parseAnyReport('sms365', full.replace('status=d', 'status=s'))).rejects.toThrow(ValidationError);
    await expect(parseAnyReport('dinisoft', full)).rejects.toThrow(UnsupportedError);
    await expect(parseAnyReport('dinisoft', full)).rejects.toThrow(/no delivery-report callback/);
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'k', secretKey: 's' })] });
    expect(() => sms.report('dinisoft', full)).toThrow(/no delivery-report callback/);
  });
});

/** sms365.txt L2917–2919 and L3001–3003 do not say what `status` holds. */
describe('sms365 status values the document does not list', () => {
  it('sms365 L3001-3003: a status other than d, f or s is unknown, the word kept in vendorStatus', async () => {
    const server = await recordingServer(() => ({
      type: 'application/json',
      body: '{"status":1,"error":0,"remarks":"Success","sms":{"smsId":"7316204","status":"queued"}}',
    }));
    servers.push(server);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    expect(await sms.status('7316204')).toEqual({
      vendor: 'sms365',
      messageId: '7316204',
      state: 'unknown',
      final: false,
      vendorStatus: 'queued',
    });
  });
});
