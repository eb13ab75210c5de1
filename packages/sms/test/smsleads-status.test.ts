import { ValidationError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { israelDate } from '../../../test/support/israel-time.js';
import { type RecordingServer, recordingServer } from '../../../test/support/server.js';
import { createSms } from '../src/index.js';
import { smsleads } from '../src/smsleads.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const day = 86_400_000;

/** A UUIDv7 made at `at`, as the adapter makes its message ids. */
function v7(at: number): string {
  const hex = at.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7abc-8def-0123456789ab`;
}

async function vendor() {
  const server = await recordingServer((exchange) => {
    const id = /<external_id>([^<]*)<\/external_id>/.exec(exchange.body)?.[1] ?? '';
    const body = exchange.body.includes('<dlr>')
      ? `<dlr><status>0</status><message></message><transactions><transaction><external_id>${id}</external_id><status>102</status><en_message>Delivered</en_message></transaction></transactions></dlr>`
      : '<sms><status>0</status><message>SMS will be sent</message><shipment_id>1</shipment_id></sms>';
    return { type: 'text/xml', body };
  });
  servers.push(server);
  return server;
}

const adapter = (url: string, statusWindowDays?: number) =>
  smsleads({ token: 't', username: 'u', baseUrl: url, ...(statusWindowDays ? { statusWindowDays } : {}) });

describe('SMS Leads status() and its date range (smsleads.txt L221)', () => {
  it('smsleads L221: a message sent more than a year ago is refused with the reason, nothing sent', async () => {
    const server = await vendor();
    const sms = createSms({ vendors: [adapter(server.url)] });
    const error = await sms.status(v7(Date.now() - 400 * day)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(String((error as ValidationError).issues[0]?.message)).toMatch(/more than a year ago.*L221/);
    expect(server.exchanges).toHaveLength(0);
  });

  it('smsleads L221: a message sent 10 days ago is looked for in the days after its send, and found', async () => {
    const server = await vendor();
    const sent = Date.now() - 10 * day;
    const sms = createSms({ vendors: [adapter(server.url)] });
    expect(await sms.status(v7(sent))).toMatchObject({ state: 'delivered' });
    const body = server.exchanges[0]!.body;
    expect(body).toContain(`<from>${israelDate(sent - 60_000)}</from>`);
    expect(body).toContain(`<to>${israelDate(sent - 60_000 + 7 * day)}</to>`);
  });

  it('smsleads L221: a send makes an id that dates it', async () => {
    const server = await vendor();
    const before = Date.now();
    const { messageId } = await adapter(server.url).send({
      to: '+972501234567',
      from: 'ACME',
      text: 'hi',
      flash: false,
      encoding: 'gsm7',
      key: 'k',
    });
    const at = Number.parseInt(messageId!.slice(0, 8) + messageId!.slice(9, 13), 16);
    expect(messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it.each([0, 366, 1.5])('smsleads L221: statusWindowDays %s is refused when the adapter is made', (days) => {
    expect(() => smsleads({ token: 't', username: 'u', statusWindowDays: days })).toThrow(/1 to 365.*L221/);
  });
});
