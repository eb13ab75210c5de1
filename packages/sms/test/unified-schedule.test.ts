import { ValidationError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordingServer, recordingServer } from '../../../test/support/server.js';
import { createSms } from '../src/index.js';
import { unified } from '../src/unified.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function gateway() {
  const server = await recordingServer(() => ({ type: 'text/plain', body: '1701|966500000000|msg-1' }));
  servers.push(server);
  return server;
}

const at = new Date('2030-03-03T15:45:00Z');

describe('Unified scheduled sends: the URL read two ways (unified.txt L122, L142-206)', () => {
  it('unified L122: by default a scheduled send goes to /bulksms/schedulemsg', async () => {
    const server = await gateway();
    const sms = createSms({ vendors: [unified({ username: 'u', password: 'p', baseUrl: server.url, from: 'ACME' })] });
    await sms.send({ to: '+966500000000', text: 'hi', at });
    expect(new URL(server.exchanges[0]!.path, 'http://x').pathname).toBe('/bulksms/schedulemsg');
  });

  it("unified L142-206: schedulePath 'bulksms' sends it as the samples do, to /bulksms/bulksms with date, time and gmt", async () => {
    const server = await gateway();
    const adapter = unified({
      username: 'u',
      password: 'p',
      baseUrl: server.url,
      from: 'ACME',
      schedulePath: 'bulksms',
    });
    const sms = createSms({ vendors: [adapter] });
    expect(await sms.send({ to: '+966500000000', text: 'hi', at })).toMatchObject({ messageId: 'msg-1' });
    await sms.sendMany([{ to: '+966500000000', text: 'hi', at }]).catch(() => undefined);
    for (const exchange of server.exchanges) {
      const url = new URL(exchange.path, 'http://x');
      expect(url.pathname).toBe('/bulksms/bulksms');
      expect([url.searchParams.get('date'), url.searchParams.get('time'), url.searchParams.get('gmt')]).toEqual([
        '03/03/2030',
        '03:45 pm',
        '+00:00',
      ]);
    }
    // Unscheduled sends are unchanged.
    await sms.send({ to: '+966500000000', text: 'now' });
    expect(new URL(server.exchanges.at(-1)!.path, 'http://x').searchParams.has('date')).toBe(false);
  });

  it('unified: any other schedulePath is refused when the adapter is made', () => {
    // @ts-expect-error: not one of the two readings
    expect(() => unified({ username: 'u', password: 'p', baseUrl: 'http://x', schedulePath: 'other' })).toThrow(
      ValidationError,
    );
  });
});
