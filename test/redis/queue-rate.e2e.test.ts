import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis.js';
import { campaignCsv, type QueueVendor, queueVendor, run, summaryOf, wire } from './queue-support.js';

// Issue 35: a vendor's rate limit is kept by all workers together (BullMQ's queue limiter, from
// `--rate`), and a 429 pauses the whole campaign, not only the worker that met it.

let redis: TestRedis;
let vendor: QueueVendor | undefined;
const dir = mkdtempSync(join(tmpdir(), 'smswire-queue-rate-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await vendor?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const twoWorkers = (campaign: string, v: QueueVendor) => {
  const worker = ['worker', '--queue', redis.url, '--campaign', campaign, '--chunks', '1'];
  return Promise.all([run(worker, v), run(worker, v)]).then((started) => Promise.all(started.map((s) => s.done)));
};

it('--rate 100/s: two workers together send at most 100 messages a second', async () => {
  vendor = await queueVendor();
  const rows = 300;
  const csv = campaignCsv(dir, 'rate.csv', rows);
  const produced = await (
    await run(['bulk', csv, '--queue', redis.url, '--campaign', 'rate', '--rate', '100/s'], vendor)
  ).done;
  expect(produced.code).toBe(0);
  const results = await twoWorkers('rate', vendor);
  for (const result of results) expect(summaryOf(result).summary).toMatchObject({ rows, accepted: rows });
  // Chunks of 100 (a second's worth), one a second across both workers: the third starts about
  // 2 s after the first (less the time the first took from its start to the vendor on a busy machine).
  const times = vendor.arrivals.map((a) => a.at);
  expect(times).toHaveLength(3);
  expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(1500);
  expect(vendor.twice()).toEqual([]);
}, 120_000);

it('a 429 pauses the whole campaign, every worker, and the refused rows are sent after it, once', async () => {
  vendor = await queueVendor();
  vendor.delayMs = 30;
  const rows = 400;
  const csv = campaignCsv(dir, 'throttled.csv', rows);
  // The producer waits for the end (--wait) and prints the campaign's summary, as the workers do.
  const producer = await run(
    ['bulk', csv, '--queue', redis.url, '--campaign', 'throttled', '--chunk-size', '50', '--wait'],
    vendor,
  );
  // The fifth request is refused with 429, once both workers are under way.
  const refuseFifth = setInterval(() => {
    if (vendor!.arrivals.length >= 4 && vendor!.throttle === 0 && !vendor!.arrivals.some((a) => a.status === 429)) {
      vendor!.throttle = 1;
      clearInterval(refuseFifth);
    }
  }, 1);
  const results = [...(await twoWorkers('throttled', vendor)), await producer.done];
  clearInterval(refuseFifth);
  for (const result of results)
    expect(summaryOf(result).summary).toMatchObject({ rows, accepted: rows, unknown: 0, rejected: 0 });
  expect(vendor.twice()).toEqual([]);
  expect([...vendor.received.keys()].sort()).toEqual(wire(rows).sort());
  // After the 429, neither worker sends a request while the campaign is paused (1 s), beyond the
  // one the other worker may already have had on its way.
  const refused = vendor.arrivals.find((a) => a.status === 429)!;
  const during = vendor.arrivals.filter((a) => a.at > refused.at + 300 && a.at < refused.at + 900);
  expect(during).toEqual([]);
}, 120_000);
