import { describe, expect, it } from 'vitest';
import { createSms, type MessageStatus, type TrackedMessage } from '../src/index.js';
import { applyReport, memoryReportStore } from '../src/report-store.js';
import { smsleads } from '../src/smsleads.js';
import { status } from '../src/states.js';
import { trackVendors, v7 } from './track-vendors.js';

/** A virtual clock: `sleep` moves it on at once. */
function clock() {
  let t = 1_000_000;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    start: t,
  };
}

/** A campaign of `n` messages, a third with each vendor; sms365's are made known to its account. */
function campaign(n: number, vendors: ReturnType<typeof trackVendors>): TrackedMessage[] {
  const sentAt = Date.now();
  return Array.from({ length: n }, (_, i): TrackedMessage => {
    if (i % 3 === 0) {
      const messageId = String(7_316_000_000 + i);
      vendors.sent365(messageId);
      return { vendor: 'sms365', messageId };
    }
    if (i % 3 === 1) return { vendor: 'smsleads', messageId: v7(sentAt, i) };
    return { vendor: 'dinisoft', messageId: String(900_000 + i) };
  });
}

async function collect(iterable: AsyncIterable<MessageStatus>) {
  const out: MessageStatus[] = [];
  for await (const change of iterable) out.push(change);
  return out;
}

const hash = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

describe('sms.track', () => {
  it('a 1,000-message campaign across sms365, SMS Leads and DiniSoft reaches final for every message, near the fewest requests', async () => {
    const time = clock();
    // DiniSoft's messages are delivered before its one answer (first round, 30 s); the others over 100 s.
    const vendors = trackVendors({
      now: time.now,
      deliverAt: (vendor, id) => time.start + 1000 + (hash(id) % (vendor === 'dinisoft' ? 25_000 : 100_000)),
    });
    const messages = campaign(1000, vendors);
    const sms = createSms({ vendors: vendors.adapters });
    const changes = await collect(sms.track(messages, { now: time.now, sleep: time.sleep }));

    const finals = new Map(changes.filter((c) => c.final).map((c) => [`${c.vendor}:${c.messageId}`, c.state]));
    expect(finals.size).toBe(1000);
    expect(new Set(finals.values())).toEqual(new Set(['delivered']));
    expect(changes.filter((c) => c.state === 'noFinalReport')).toEqual([]);

    // The fewest: one dlr for 334 IDs, one statusGet, one getstatus a DiniSoft message.
    const made = vendors.requests.sms365.length + vendors.requests.smsleads.length + vendors.requests.dinisoft.length;
    const minimum = 1 + Math.ceil(333 / 1000) + 333;
    expect(made / minimum).toBeLessThanOrEqual(1.1);
    expect(vendors.requests.sms365.every((p) => p === '/api/status/get')).toBe(true);
    expect(new Set(vendors.requests.dinisoft).size).toBe(vendors.requests.dinisoft.length);
    expect(Math.max(...vendors.requests.smsleads)).toBeLessThanOrEqual(1000);
    // Backing off: 30 s, then doubling.
    expect(time.waits.slice(0, 2)).toEqual([30_000, 60_000]);
  });

  it('SMS Leads: 2,500 open messages take three dlr requests a round, none over 1,000 IDs (L222)', async () => {
    const time = clock();
    const vendors = trackVendors({ now: time.now, deliverAt: () => time.start + 1000 });
    const sentAt = Date.now();
    const messages = Array.from({ length: 2500 }, (_, i) => ({
      vendor: 'smsleads' as const,
      messageId: v7(sentAt, i),
    }));
    const sms = createSms({ vendors: [vendors.adapters[1]!] });
    const changes = await collect(sms.track(messages, { now: time.now, sleep: time.sleep }));
    expect(changes.filter((c) => c.state === 'delivered')).toHaveLength(2500);
    expect(vendors.requests.smsleads).toEqual([1000, 1000, 500]);
  });

  it("SMS Leads: a batch read asks dlr for each stretch of send times its window covers, from each one's first send", async () => {
    const bodies: string[] = [];
    const fetch = async (_input: unknown, init?: RequestInit) => {
      bodies.push(String(init?.body));
      return new Response('<dlr><status>0</status><message></message><transactions></transactions></dlr>');
    };
    const adapter = smsleads({ username: 'u', token: 't', baseUrl: 'http://smsleads.test', fetch: fetch as never });
    const day = 86_400_000;
    const early = Date.now() - 10 * day;
    const ids = [v7(early, 1), v7(Date.now() - 60_000, 2), v7(early + 3_600_000, 3)];
    const read = await adapter.statusBatch!.read(ids);
    expect(read.map((r) => [r.messageId, r.state])).toEqual(ids.map((id) => [id, 'unknown']));
    expect(bodies).toHaveLength(2);
    const idsIn = (body: string) => [...body.matchAll(/<external_id>([^<]*)</g)].map((m) => m[1]);
    expect(bodies.map(idsIn)).toEqual([[ids[0], ids[2]], [ids[1]]]);
  });

  it('at the deadline the messages still open are noFinalReport; sms365 is asked message by message first', async () => {
    const time = clock();
    const never = Number.POSITIVE_INFINITY;
    const vendors = trackVendors({
      now: time.now,
      deliverAt: (_vendor, id) => (id.endsWith('1') ? time.start : never),
    });
    const sms = createSms({ vendors: vendors.adapters });
    vendors.sent365('101');
    vendors.sent365('102');
    const sentAt = Date.now();
    const messages: TrackedMessage[] = [
      { vendor: 'sms365', messageId: '101' },
      { vendor: 'sms365', messageId: '102' },
      { vendor: 'smsleads', messageId: v7(sentAt, 1) },
      { vendor: 'smsleads', messageId: v7(sentAt, 2) },
      { vendor: 'dinisoft', messageId: '301' },
    ];
    const deadline = new Date(time.start + 10 * 60_000);
    const changes = await collect(sms.track(messages, { now: time.now, sleep: time.sleep, deadline }));
    expect(time.now()).toBe(deadline.getTime());
    expect(changes.filter((c) => c.state === 'delivered').map((c) => c.messageId)).toEqual(
      expect.arrayContaining(['101', v7(sentAt, 1), '301']),
    );
    const none = changes.filter((c) => c.state === 'noFinalReport');
    expect(none.map((c) => c.messageId).sort()).toEqual(['102', v7(sentAt, 2)].sort());
    expect(none.every((c) => !c.final)).toBe(true);
    // Polled each round, and 102 asked by statusSms once, in the last round before giving up.
    expect(vendors.requests.sms365.filter((p) => p === '/api/status/sms')).toHaveLength(1);
  });

  it('DiniSoft: a message whose one answer was not final is noFinalReport at once, never asked a third time', async () => {
    const time = clock();
    const vendors = trackVendors({ now: time.now, deliverAt: () => Number.POSITIVE_INFINITY });
    const sms = createSms({ vendors: [vendors.adapters[2]!] });
    const changes = await collect(
      sms.track([{ vendor: 'dinisoft', messageId: '301' }], { now: time.now, sleep: time.sleep }),
    );
    expect(changes.map((c) => c.state)).toEqual(['queued', 'noFinalReport']);
    expect(vendors.requests.dinisoft).toEqual(['301', '301']);
    expect(time.now() - time.start).toBeLessThan(5 * 60_000);
  });

  it("merges the report endpoint's store: a message it made final is never asked for, and a resumed state is not repeated", async () => {
    const time = clock();
    const vendors = trackVendors({ now: time.now, deliverAt: () => time.start });
    const reports = memoryReportStore();
    await applyReport(reports, 'ref-1', status('sms365', '101', 'delivered', 'd'));
    vendors.sent365('102');
    const sms = createSms({ vendors: [vendors.adapters[0]!] });
    const changes = await collect(
      sms.track(
        [
          { vendor: 'sms365', messageId: '101', state: 'sent' },
          { vendor: 'sms365', messageId: '102', state: 'sent' },
          { vendor: 'sms365', messageId: '103', state: 'delivered' },
        ],
        { now: time.now, sleep: time.sleep, reports },
      ),
    );
    expect(changes.map((c) => [c.messageId, c.state])).toEqual([
      ['101', 'delivered'],
      ['102', 'delivered'],
    ]);
    // 101 came from the store before any round; 103 was final already.
    expect(time.waits).toEqual([30_000]);
    expect(vendors.requests.sms365).toEqual(['/api/status/get']);
  });
});
