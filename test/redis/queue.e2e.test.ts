import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { freePort, startRedis, type TestRedis } from '../support/redis.js';
import { jsonLines } from '../cli/cli.js';
import { campaignCsv, type QueueVendor, queueVendor, run, summaryOf, wire } from './queue-support.js';

// Issue 35: campaigns across machines on BullMQ (`smswire bulk --queue`, `smswire worker`,
// `smswire campaign`), each fault against a real redis-server and a counting stand-in.

let redis: TestRedis;
let client: Redis;
let vendor: QueueVendor;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'smswire-queue-'));
  redis = await startRedis();
  client = new Redis(redis.url);
});
beforeEach(async () => {
  await vendor?.close();
  vendor = await queueVendor();
});
afterAll(async () => {
  client?.disconnect();
  await vendor?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Chunks a campaign's queue holds, waiting or taken. */
async function chunksQueued(campaign: string): Promise<number> {
  const queue = new Queue(`campaign-${campaign}`, { connection: client, prefix: 'smswire' });
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  await queue.close();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

async function until(check: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

it('a queue URL that does not answer, invalid rows, a campaign name reused with another file: exit 2, nothing enqueued or sent', async () => {
  const csv = campaignCsv(dir, 'bad-input.csv', 50);
  const nobody = `redis://:queue-pass-7d1e@127.0.0.1:${await freePort()}`;
  const unreachable = await (await run(['bulk', csv, '--queue', nobody, '--campaign', 'bad-1'], vendor)).done;
  expect(unreachable.code).toBe(2);
  expect(unreachable.stdout).toContain('does not answer');
  expect(unreachable.stdout + unreachable.stderr).not.toContain('queue-pass-7d1e');
  const noWorker = await (await run(['worker', '--queue', nobody, '--campaign', 'bad-1'], vendor)).done;
  expect(noWorker.code).toBe(2);

  const invalid = join(dir, 'invalid.csv');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(invalid, 'to,text,id\n+306971000000,hello,a\n12,hello,b\n+306971000001,,c\n+306971000002,hello,a\n');
  const refused = await (await run(['bulk', invalid, '--queue', redis.url, '--campaign', 'bad-2'], vendor)).done;
  expect(refused.code).toBe(2);
  const rows = jsonLines(refused.stdout).filter((l) => l.type === 'row');
  expect(rows.map((r) => r.row)).toEqual([2, 3, 4]);
  // Read once, its good rows staged as it went: none of them is left, nor the campaign.
  expect(await client.keys('smswire:campaign*bad-2*')).toEqual([]);

  const first = await (
    await run(['bulk', csv, '--queue', redis.url, '--campaign', 'bad-3', '--chunk-size', '10'], vendor)
  ).done;
  expect(first.code).toBe(0);
  const other = campaignCsv(dir, 'other.csv', 50, 500);
  const reused = await (await run(['bulk', other, '--queue', redis.url, '--campaign', 'bad-3'], vendor)).done;
  expect(reused.code).toBe(2);
  expect(reused.stdout).toContain('another file');
  expect(await chunksQueued('bad-3')).toBe(5);
  expect(vendor.total()).toBe(0);
}, 60_000);

it('the CSV is read once, so it can come from stdin: enqueued and sent whole; a bad row on stdin: exit 2, nothing left in Redis', async () => {
  const rows = 120;
  const csv = readFileSync(campaignCsv(dir, 'piped.csv', rows, 7000), 'utf8');
  const producer = await (
    await run(['bulk', '-', '--queue', redis.url, '--campaign', 'piped', '--chunk-size', '50'], vendor, 90_000, csv)
  ).done;
  expect(producer.code).toBe(0);
  expect(jsonLines(producer.stdout).find((l) => l.type === 'enqueued')).toMatchObject({ rows, chunks: 3, added: 3 });
  const worker = await (await run(['worker', '--queue', redis.url, '--campaign', 'piped'], vendor)).done;
  expect(summaryOf(worker).summary).toMatchObject({ rows, accepted: rows, unknown: 0 });
  expect([...vendor.received.keys()].sort()).toEqual(wire(rows, 7000).sort());
  expect(vendor.twice()).toEqual([]);
  // Sent chunks leave no rows behind: the queue's jobs carried only their index.
  expect(await client.exists('smswire:campaign:piped:chunks')).toBe(0);
  // Run again once it is done: nothing enqueued, and no rows left behind either.
  const again = await (
    await run(['bulk', '-', '--queue', redis.url, '--campaign', 'piped', '--chunk-size', '50'], vendor, 90_000, csv)
  ).done;
  expect(jsonLines(again.stdout).find((l) => l.type === 'enqueued')).toMatchObject({ added: 0, skipped: 3 });
  expect(await client.exists('smswire:campaign:piped:chunks')).toBe(0);

  // The last row bad: every chunk before it was staged, and none survives.
  const bad = `${csv}+30,no such number,bad\n`;
  const refused = await (
    await run(['bulk', '-', '--queue', redis.url, '--campaign', 'piped-bad', '--chunk-size', '50'], vendor, 90_000, bad)
  ).done;
  expect(refused.code).toBe(2);
  expect(jsonLines(refused.stdout).filter((l) => l.type === 'row')).toMatchObject([{ row: rows + 1 }]);
  expect(await client.keys('smswire:campaign*piped-bad*')).toEqual([]);
  // stdin has no name to make the campaign's from.
  const unnamed = await (await run(['bulk', '-', '--queue', redis.url], vendor, 90_000, csv)).done;
  expect(unnamed.code).toBe(2);
  expect(unnamed.stdout).toContain('--campaign');
}, 90_000);

it('a worker SIGKILLed mid-chunk: its chunk goes to another after the lease, nothing received twice, its in-flight rows unknown once', async () => {
  const rows = 300;
  const csv = campaignCsv(dir, 'killed.csv', rows);
  // Chunks of 100 rows, two requests of 50 each, one request at a time: the first request held.
  const produced = await (
    await run(['bulk', csv, '--queue', redis.url, '--campaign', 'killed', '--chunk-size', '100'], vendor)
  ).done;
  expect(produced.code).toBe(0);
  const worker = [
    'worker',
    '--queue',
    redis.url,
    '--campaign',
    'killed',
    '--lease',
    '1000',
    '--chunks',
    '1',
    '--concurrency',
    '1',
    '--batch-size',
    '50',
  ];
  vendor.hold = 1;
  const doomed = await run(worker, vendor);
  const inFlight = await vendor.held;
  doomed.child.kill('SIGKILL');
  expect((await doomed.done).signal).toBe('SIGKILL');

  const survivor = await (await run(worker, vendor)).done;
  expect(vendor.twice()).toEqual([]);
  expect([...vendor.received.keys()].sort()).toEqual(wire(rows).sort());
  const { summary, unknown } = summaryOf(survivor);
  expect(summary).toMatchObject({ rows, accepted: rows - 50, unknown: 50, rejected: 0 });
  expect(unknown.map((to) => to.slice(1)).sort()).toEqual([...inFlight].sort());
  expect(survivor.code).toBe(5);

  // The campaign's own view says the same, listing each unknown row once.
  const status = await (await run(['campaign', 'killed', '--queue', redis.url], vendor)).done;
  expect(status.code).toBe(5);
  const view = summaryOf(status);
  expect(view.summary).toMatchObject({ rows, accepted: rows - 50, unknown: 50, finished: true });
  expect(new Set(view.unknown).size).toBe(50);
  expect(view.unknown).toHaveLength(50);
}, 120_000);

it('the producer killed halfway through enqueueing: run again, it enqueues only what is missing; two producers at once never double a chunk', async () => {
  const rows = 300;
  const csv = campaignCsv(dir, 'halfway.csv', rows);
  const args = ['bulk', csv, '--queue', redis.url, '--campaign', 'halfway', '--chunk-size', '1'];
  const producer = await run(args, vendor);
  // Writes paused once some chunks are in, the producer killed while it waits on the next.
  await until(async () => (await client.bitcount('smswire:campaign:halfway:enqueued')) >= 20);
  const pause = new Redis(redis.url);
  await pause.call('CLIENT', 'PAUSE', '10000', 'WRITE');
  producer.child.kill('SIGKILL');
  await producer.done;
  await pause.call('CLIENT', 'UNPAUSE');
  pause.disconnect();
  const before = await client.bitcount('smswire:campaign:halfway:enqueued');
  expect(before).toBeGreaterThanOrEqual(20);
  expect(before).toBeLessThan(rows);

  // Run again twice at once: together they add exactly the chunks that were missing.
  const [a, b] = await Promise.all([(await run(args, vendor)).done, (await run(args, vendor)).done]);
  expect([a.code, b.code]).toEqual([0, 0]);
  const enqueued = [a, b].map(
    (r) => jsonLines(r.stdout).find((l) => l.type === 'enqueued') as unknown as { added: number; skipped: number },
  );
  expect(enqueued[0]!.added + enqueued[1]!.added).toBe(rows - before);
  expect(await chunksQueued('halfway')).toBe(rows);

  const worker = await (await run(['worker', '--queue', redis.url, '--campaign', 'halfway', '--chunks', '8'], vendor))
    .done;
  expect(summaryOf(worker).summary).toMatchObject({ rows, accepted: rows, unknown: 0 });
  expect(vendor.twice()).toEqual([]);
  expect(vendor.received.size).toBe(rows);
}, 120_000);

it('a worker without --campaign serves every unfinished campaign on the queue, and only those', async () => {
  // Left by the tests above: bad-3 enqueued (50 rows) and never sent; the others are finished.
  const worker = await (await run(['worker', '--queue', redis.url], vendor)).done;
  expect(worker.code).toBe(0);
  expect(summaryOf(worker).summary).toMatchObject({ campaign: 'bad-3', rows: 50, accepted: 50 });
  expect(vendor.twice()).toEqual([]);
  expect([...vendor.received.keys()].sort()).toEqual(wire(50).sort());
  // Nothing left: a worker now has nothing to do (exit 2).
  expect((await (await run(['worker', '--queue', redis.url], vendor)).done).code).toBe(2);
}, 60_000);
