import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readForm, startServer, type TestServer } from '../../../test/support/server.js';
import { dinisoft } from '../src/dinisoft.js';
import { createSms, UnsupportedError } from '../src/index.js';
import { sms365 } from '../src/sms365.js';
import { unified } from '../src/unified.js';

/**
 * `pollReports()`: sms365's api/status/get (sms365.txt L2898–2926, "Returns all sms whose status
 * has been changed since last call", `sms{ smsId status }`), in the common state model: `d`
 * delivered, `f` failed to deliver, `s` sent with the report pending (L565, L1181).
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** An sms365 server answering each statusGet with the next of `replies`, and counting the calls. */
async function statusGetServer(replies: ((res: ServerResponse) => void)[]) {
  const paths: string[] = [];
  const server = await startServer(async (req, res) => {
    const { path } = await readForm(req);
    paths.push(path);
    replies[paths.length - 1]!(res);
  });
  servers.push(server);
  return { server, paths };
}
const changes = (sms: { smsId: string; status: string }[]) => (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 1, error: 0, remarks: 'Success', sms, total: sms.length }));
};

describe('pollReports through sms365 statusGet', () => {
  // L2902: every change since the last call, handed over once; a campaign's worth must all arrive.
  it('sms365 L2902: a poll after a campaign of 6,000 messages returns every one of their states', async () => {
    const all = Array.from({ length: 6000 }, (_, i) => ({ smsId: String(7_316_204_000 + i), status: 'd' }));
    const { server } = await statusGetServer([changes(all)]);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    const polled = await sms.pollReports();
    expect(polled).toHaveLength(6000);
    expect(polled.every((s) => s.state === 'delivered')).toBe(true);
  });

  it('maps d, f and s and moves states only forward, across polls, callbacks and within one reply', async () => {
    const { server, paths } = await statusGetServer([
      changes([
        { smsId: 'a', status: 's' },
        { smsId: 'b', status: 'f' },
        { smsId: 'c', status: 's' },
        { smsId: 'c', status: 'd' },
      ]),
      // Out of order: `a` was delivered by callback meanwhile; a late `s` must not move it back.
      changes([{ smsId: 'a', status: 's' }]),
    ]);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    expect(await sms.pollReports()).toEqual([
      { vendor: 'sms365', messageId: 'a', state: 'sent', final: false, vendorStatus: 's' },
      { vendor: 'sms365', messageId: 'b', state: 'undelivered', final: true, vendorStatus: 'f' },
      // Reported twice in one reply: once, as it stands after both.
      { vendor: 'sms365', messageId: 'c', state: 'delivered', final: true, vendorStatus: 'd' },
    ]);
    sms.report('sms365', '/dlr?msgid=a&status=d&cost=1&to=306971000000&mcc=202&mnc=01');
    expect(await sms.pollReports({ vendor: 'sms365' })).toMatchObject([
      { messageId: 'a', state: 'delivered', vendorStatus: 'd' },
    ]);
    expect(paths).toEqual(['/api/status/get', '/api/status/get']);
  });

  it('is never repeated: each call hands the changes over once, so a failed one is not retried', async () => {
    const { server, paths } = await statusGetServer([
      (res) => res.writeHead(503).end(),
      changes([{ smsId: 'a', status: 'd' }]),
    ]);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url, maxRetries: 2 })] });
    await expect(sms.pollReports()).rejects.toMatchObject({ name: 'HttpError', status: 503 });
    expect(paths).toHaveLength(1);
  });

  it('polls only the vendors that can; a vendor without a poll is an UnsupportedError', async () => {
    const { server, paths } = await statusGetServer([changes([{ smsId: 'a', status: 'd' }])]);
    const other = { apiKey: 'a', secretKey: 's', baseUrl: 'http://127.0.0.1:9' };
    const sms = createSms({ vendors: [dinisoft(other), sms365({ key: 'k', baseUrl: server.url })] });
    expect(sms.capabilities()).toMatchObject({ dinisoft: { pollReports: false }, sms365: { pollReports: true } });
    expect(await sms.pollReports()).toMatchObject([{ vendor: 'sms365', messageId: 'a', state: 'delivered' }]);
    expect(paths).toHaveLength(1);
    await expect(sms.pollReports({ vendor: 'dinisoft' })).rejects.toBeInstanceOf(UnsupportedError);
    const none = createSms({ vendors: [unified({ username: 'u', password: 'p', baseUrl: 'http://127.0.0.1:9' })] });
    await expect(none.pollReports()).rejects.toBeInstanceOf(UnsupportedError);
  });
});
