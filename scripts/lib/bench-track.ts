import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createSms } from '../../packages/sms/src/index.js';
import { dinisoft } from '../../packages/sms/src/dinisoft.js';
import { sms365 } from '../../packages/sms/src/sms365.js';
import { smsleads } from '../../packages/sms/src/smsleads.js';

/**
 * Issue 33, "track of 100,000 accepted messages against a 20 ms stand-in": a third of them with
 * each vendor that has a status read, each answered after 20 ms in-process (sms365 `status/get`
 * hands each change over once, SMS Leads `dlr` takes 1,000 IDs, DiniSoft answers a message once),
 * on a virtual clock between rounds: each message is delivered 1–100 s after the start (DiniSoft's
 * within 25 s, before its one read). Counts the requests against the fewest the vendors' limits
 * allow, and samples the heap as changes arrive.
 */
export interface TrackBench {
  messages: number;
  requests: number;
  minimum: number;
  final: number;
  /** Heap used (bytes, after GC when --expose-gc) once the messages were listed, at the peak, and at the end. */
  heap: { start: number; peak: number; end: number };
  seconds: number;
}

// `pnpm bench` runs without --expose-gc: the flag is set at run time, and a new context reads gc.
setFlagsFromString('--expose-gc');
const gc = (globalThis as { gc?: () => void }).gc ?? (runInNewContext('gc') as () => void);
const heapNow = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};

export async function benchTrack(count = 100_000): Promise<TrackBench> {
  let now = 1_000_000;
  const start = now;
  const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const hash = (id: string) => [...id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const deliverAt = (vendor: string, id: string) =>
    start + 1000 + (hash(id) % (vendor === 'dinisoft' ? 24_000 : 99_000));
  const delivered = (vendor: string, id: string) => deliverAt(vendor, id) <= now;
  let requests = 0;
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  const known365: string[] = [];
  let handed = new Set<string>();

  const sms365Fetch = async () => {
    requests++;
    await later(20);
    const sms = known365.filter((id) => !handed.has(id) && delivered('sms365', id));
    handed = new Set([...handed, ...sms]);
    return json({ status: 1, error: 0, remarks: 'Success', sms: sms.map((smsId) => ({ smsId, status: 'd' })) });
  };
  const smsleadsFetch = async (_input: unknown, init?: RequestInit) => {
    requests++;
    await later(20);
    const ids = [...String(init?.body).matchAll(/<external_id>([^<]*)<\/external_id>/g)].map((m) => m[1]!);
    const rows = ids
      .filter((id) => delivered('smsleads', id))
      .map((id) => `<transaction><external_id>${id}</external_id><status>102</status></transaction>`);
    return new Response(
      `<dlr><status>0</status><message></message><transactions>${rows.join('')}</transactions></dlr>`,
    );
  };
  const asked = new Set<string>();
  const dinisoftFetch = async (input: string | URL | Request) => {
    requests++;
    await later(20);
    const id = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('messageid') ?? '';
    if (asked.has(id)) return json({ Status: '114', Text: 'REJECTD' });
    asked.add(id);
    return json(delivered('dinisoft', id) ? { Status: '0', Text: 'DELIVRD' } : { Status: '2', Text: 'PENDING' });
  };
  const sms = createSms({
    vendors: [
      sms365({ key: 'k', baseUrl: 'http://sms365.bench', fetch: sms365Fetch as never }),
      smsleads({ username: 'u', token: 't', baseUrl: 'http://smsleads.bench', fetch: smsleadsFetch as never }),
      dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: 'http://dinisoft.bench', fetch: dinisoftFetch as never }),
    ],
  });
  const sentAt = Date.now().toString(16).padStart(12, '0');
  const messages = Array.from({ length: count }, (_, i) => {
    if (i % 3 === 0) {
      known365.push(String(7_000_000_000 + i));
      return { vendor: 'sms365' as const, messageId: String(7_000_000_000 + i) };
    }
    if (i % 3 === 1)
      return {
        vendor: 'smsleads' as const,
        messageId: `${sentAt.slice(0, 8)}-${sentAt.slice(8)}-7abc-8def-${i.toString(16).padStart(12, '0')}`,
      };
    return { vendor: 'dinisoft' as const, messageId: String(900_000_000 + i) };
  });
  const perVendor = [0, 1, 2].map((r) => Math.floor((count + 2 - r) / 3));
  const minimum = 1 + Math.ceil(perVendor[1]! / 1000) + perVendor[2]!;

  const heap = { start: heapNow(), peak: 0, end: 0 };
  const began = performance.now();
  let final = 0;
  for await (const change of sms.track(messages, {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    concurrency: 64,
  })) {
    if (change.final) final++;
    if (final % 10_000 === 0) heap.peak = Math.max(heap.peak, process.memoryUsage().heapUsed);
  }
  heap.end = heapNow();
  heap.peak = Math.max(heap.peak, heap.end);
  return { messages: count, requests, minimum, final, heap, seconds: (performance.now() - began) / 1000 };
}
