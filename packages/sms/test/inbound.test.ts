import { ValidationError } from '@smswire/core/errors';
import { describe, expect, it } from 'vitest';
import { israelDate } from '../../../test/support/israel-time.js';
import { createSms, type InboundMessage, UnsupportedError } from '../src/index.js';
import { israelTime, smsleads } from '../src/smsleads.js';
import { sms365 } from '../src/sms365.js';

const minute = 60_000;
const day = 86_400_000;

/**
 * SMS Leads' `incoming` (smsleads.txt L284–330) over a list of replies the test adds to as time
 * goes on: each read answers the replies dated from `<from>` to `<to>`, whole minutes, both included.
 */
function incomingVendor() {
  const replies: { source: string; destination: string; message: string; at: number }[] = [];
  const ranges: [number, number][] = [];
  const fetch = async (_input: unknown, init?: RequestInit) => {
    const body = String(init?.body ?? '');
    const from = israelTime(/<from>([^<]*)<\/from>/.exec(body)![1]!)!.getTime();
    const to = israelTime(/<to>([^<]*)<\/to>/.exec(body)![1]!)!.getTime();
    ranges.push([from, to]);
    if (to - from > 7 * day) return new Response('<incoming><status>2</status><message>range</message></incoming>');
    const rows = replies
      .filter((r) => r.at >= from && r.at < to + minute)
      .map(
        (r) =>
          `<transaction><source>${r.source}</source><destination>${r.destination}</destination><message>${r.message}</message><date>${israelDate(r.at)}</date></transaction>`,
      );
    return new Response(
      `<incoming><status>0</status><message></message><transactions>${rows.join('')}</transactions></incoming>`,
      { headers: { 'content-type': 'text/xml' } },
    );
  };
  const sms = createSms({
    vendors: [smsleads({ username: 'u', token: 't', baseUrl: 'http://smsleads.test', fetch: fetch as never })],
  });
  const add = (at: number, message: string, source = '0521234567') =>
    replies.push({ source, destination: '0501234567', message, at: Math.floor(at / minute) * minute });
  return { sms, add, ranges };
}

async function all(iterable: AsyncIterable<InboundMessage>) {
  const out: InboundMessage[] = [];
  for await (const m of iterable) out.push(m);
  return out;
}

const t0 = Date.UTC(2026, 10, 1, 10, 0);

describe('sms.inbound through SMS Leads incoming', () => {
  it('smsleads dates are Israel time: winter UTC+2, summer UTC+3', () => {
    expect(israelTime('03/12/21 16:38')?.toISOString()).toBe('2021-12-03T14:38:00.000Z');
    expect(israelTime('01/07/21 12:00')?.toISOString()).toBe('2021-07-01T09:00:00.000Z');
    expect(israelTime('3/12/21 16:38')).toBeUndefined();
  });

  it('reads replies spanning several 7-day windows, each once, in time order', async () => {
    const vendor = incomingVendor();
    const now = t0 + 20 * day;
    for (const d of [0, 6, 7, 13, 14, 19.5]) vendor.add(t0 + d * day, `reply ${d}`);
    const replies = await all(vendor.sms.inbound({ since: new Date(t0), now: () => now }));
    expect(replies.map((r) => r.text)).toEqual(['reply 0', 'reply 6', 'reply 7', 'reply 13', 'reply 14', 'reply 19.5']);
    expect(replies[0]).toMatchObject({ vendor: 'smsleads', from: '0521234567', to: '0501234567', at: new Date(t0) });
    expect(new Set(replies.map((r) => r.id)).size).toBe(6);
    expect(vendor.ranges.length).toBe(3);
    expect(vendor.ranges.every(([from, to]) => to - from < 7 * day)).toBe(true);
  });

  it('equal timestamps at the boundary: a reply dated in the last minute read, received after, is not skipped nor any repeated', async () => {
    const vendor = incomingVendor();
    let now = t0 + 30_000;
    vendor.add(t0, 'yes');
    vendor.add(t0, 'yes'); // the same text twice in one minute: two replies
    vendor.add(t0, 'no', '0527654321');
    const first = vendor.sms.inbound({ since: new Date(t0 - day), now: () => now });
    expect((await all(first)).map((r) => r.text).sort()).toEqual(['no', 'yes', 'yes']);
    // Later, within the same minute and after: one more `yes` dated t0, and one the next minute.
    vendor.add(t0, 'yes');
    vendor.add(t0 + minute, 'later');
    now = t0 + 2 * minute;
    const second = await all(vendor.sms.inbound({ cursor: first.cursor, now: () => now }));
    expect(second.map((r) => r.text)).toEqual(['yes', 'later']);
    // Read again from the end: nothing new.
    expect(await all(vendor.sms.inbound({ cursor: second.at(-1)!.cursor, now: () => now }))).toEqual([]);
  });

  it('a reply the vendor lists minutes after its date (before the last read ended) is read once, not skipped', async () => {
    const vendor = incomingVendor();
    let now = t0 + 30 * minute;
    vendor.add(t0 + 20 * minute, 'early');
    const first = vendor.sms.inbound({ since: new Date(t0), now: () => now });
    expect((await all(first)).map((r) => r.text)).toEqual(['early']);
    vendor.add(t0 + 25 * minute, 'listed late');
    now = t0 + 40 * minute;
    const second = await all(vendor.sms.inbound({ cursor: first.cursor, now: () => now }));
    expect(second.map((r) => r.text)).toEqual(['listed late']);
    // One reading past the overlap does not bring `early` back either.
    now = t0 + 3 * 60 * minute;
    expect(await all(vendor.sms.inbound({ cursor: second.at(-1)!.cursor, now: () => now }))).toEqual([]);
  });

  it("restarts from a saved message's cursor: the rest once, nothing before it again", async () => {
    const vendor = incomingVendor();
    const now = t0 + 10 * day;
    for (let i = 0; i < 6; i++) vendor.add(t0 + i * day, `r${i}`);
    vendor.add(t0 + 2 * day, 'r2 twin');
    const options = { since: new Date(t0), now: () => now };
    const everything = await all(vendor.sms.inbound(options));
    let saved = '';
    const handled: string[] = [];
    for await (const reply of vendor.sms.inbound(options)) {
      handled.push(reply.text);
      saved = reply.cursor;
      if (handled.length === 3) break; // the process stops after the third, which it persisted
    }
    const rest = await all(vendor.sms.inbound({ cursor: saved, now: () => now }));
    expect([...handled, ...rest.map((r) => r.text)]).toEqual(everything.map((r) => r.text));
    expect(rest.map((r) => r.id)).toEqual(everything.slice(3).map((r) => r.id));
  });

  it('follows: reads again every interval until the signal aborts', async () => {
    const vendor = incomingVendor();
    let now = t0;
    const controller = new AbortController();
    const sleep = async () => {
      now += minute;
      if (now === t0 + minute) vendor.add(now, 'arrived');
      if (now > t0 + 3 * minute) controller.abort(new Error('stop'));
      if (controller.signal.aborted) throw controller.signal.reason;
    };
    const seen: string[] = [];
    const done = (async () => {
      for await (const reply of vendor.sms.inbound({ follow: true, now: () => now, sleep, signal: controller.signal }))
        seen.push(reply.text);
    })();
    await expect(done).rejects.toThrow('stop');
    expect(seen).toEqual(['arrived']);
  });

  it('refuses a cursor it did not make, and a vendor set without a reply read', () => {
    const { sms } = incomingVendor();
    expect(() => sms.inbound({ cursor: '{"v":2}' })).toThrow(ValidationError);
    expect(() => sms.inbound({ cursor: 'nope' })).toThrow(ValidationError);
    const other = createSms({ vendors: [sms365({ key: 'k' })] });
    expect(() => other.inbound()).toThrow(UnsupportedError);
  });
});
