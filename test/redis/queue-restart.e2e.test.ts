import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis.js';
import { campaignCsv, type QueueVendor, queueVendor, run, summaryOf, wire } from './queue-support.js';

// Issue 35: Redis restarted mid-campaign. It keeps an append-only file (as a production Redis
// holding queues does); the workers wait for it and resume: nothing sent twice, nothing lost.

let redis: TestRedis | undefined;
let vendor: QueueVendor | undefined;
const dir = mkdtempSync(join(tmpdir(), 'smswire-queue-restart-'));
afterAll(async () => {
  await vendor?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('Redis restarted mid-campaign: the workers wait and resume, every row received once and accepted', async () => {
  const rows = 600;
  redis = await startRedis({ dir });
  vendor = await queueVendor();
  vendor.delayMs = 100;
  const csv = campaignCsv(dir, 'restart.csv', rows);
  const url = redis.url;
  const produced = await (
    await run(['bulk', csv, '--queue', url, '--campaign', 'restart', '--chunk-size', '50'], vendor)
  ).done;
  expect(produced.code).toBe(0);
  const worker = ['worker', '--queue', url, '--campaign', 'restart', '--chunks', '1'];
  const workers = await Promise.all([run(worker, vendor), run(worker, vendor)]);

  const deadline = Date.now() + 60_000;
  while (vendor.total() < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(vendor.total()).toBeLessThan(rows);
  await redis.stop();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  redis = await startRedis({ dir, port: redis.port });

  const results = await Promise.all(workers.map((w) => w.done));
  expect(vendor.twice()).toEqual([]);
  expect([...vendor.received.keys()].sort()).toEqual(wire(rows).sort());
  for (const result of results) {
    expect(result.code).toBe(0);
    expect(summaryOf(result).summary).toMatchObject({ rows, accepted: rows, unknown: 0, rejected: 0 });
  }
}, 150_000);
