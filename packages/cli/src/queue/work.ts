import { hostname } from 'node:os';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SendInput, SendManyResult, Sms } from '@smswire/sms';
import { exitCodes, UsageError } from '../exit-codes.js';
import type { Context } from '../io.js';
import type { Output } from '../output.js';
import { buildSms, positive, requireCredentials, settingsFor, vendorList, type VendorFlags } from '../setup.js';
import { campaignLedger } from './campaign-ledger.js';
import { connectQueue } from './connect.js';
import {
  type ChunkData,
  type ChunkTally,
  campaignKeys,
  campaignsKey,
  keptSeconds,
  prefix,
  type QueuedRow,
  queueName,
} from './keys.js';
import { printSummary, readCampaign } from './status.js';

export interface WorkerFlags extends VendorFlags {
  queue: string;
  campaign?: string;
  concurrency?: string;
  batchSize?: string;
  chunks?: string;
  lease?: string;
}

/** How long a 429 pauses the whole campaign, every worker. */
const throttlePauseMs = 1000;

/**
 * `smswire worker --queue redis://… [--campaign <name>]`: takes a campaign's chunks from its
 * BullMQ queue, each under a lease (a lock the worker renews while it sends; a worker that dies
 * loses it and the chunk goes to another), sends each chunk with `sendMany` through the
 * campaign's ledger in the same Redis, and records the chunk's tally. A chunk taken again finds
 * its rows there: sent ones are not sent again, and the ones its first worker had in flight are
 * unknown. A 429 pauses the campaign's queue, so every worker slows, not only the one that met
 * it. Runs until the campaigns it serves are finished, then prints the campaign's summary.
 */
export async function workerCommand(flags: WorkerFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  const settings = settingsFor(vendorList(flags.vendor), flags, ctx);
  requireCredentials(settings);
  const lease = flags.lease === undefined ? 30_000 : positive('--lease', flags.lease);
  const concurrency = flags.concurrency === undefined ? undefined : positive('--concurrency', flags.concurrency);
  const batchSize = flags.batchSize === undefined ? undefined : positive('--batch-size', flags.batchSize);
  const chunksAtOnce = flags.chunks === undefined ? 2 : positive('--chunks', flags.chunks);
  const redis = await connectQueue(flags.queue, out);
  const name = `${hostname()}:${process.pid}`;
  const workers: Worker<ChunkData>[] = [];
  try {
    const campaigns = flags.campaign !== undefined ? [flags.campaign] : await unfinished(redis, ctx.io.now);
    if (campaigns.length === 0) throw new UsageError('no unfinished campaign on this queue: name one with --campaign');
    let interrupted = false;
    const interrupt = () => {
      interrupted = true;
      out.note('\nstopping: the chunks under way finish; the rest stay queued for the other workers');
      for (const worker of workers) void worker.close();
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let warned = false;
    for (const campaign of campaigns) {
      await registered(redis, campaign, out);
      const keys = campaignKeys(campaign);
      const ledger = campaignLedger(redis, keys.rows, keptSeconds);
      const sms = buildSms(settings, flags, { batchSize, ledger, out, env: ctx.io.env });
      const worker: Worker<ChunkData> = new Worker<ChunkData>(
        queueName(campaign),
        (job: Job<ChunkData>) =>
          sendChunk(job, { sms, redis, keys, lease, concurrency, name, now: ctx.io.now }).catch(
            async (error: unknown) => {
              if (error instanceof Throttled) {
                await worker.rateLimit(throttlePauseMs);
                throw Worker.RateLimitError();
              }
              throw error;
            },
          ),
        {
          connection: redis,
          prefix,
          concurrency: chunksAtOnce,
          lockDuration: lease,
          stalledInterval: lease,
          // A chunk whose worker died is taken again however often that happens: the ledger keeps it from sending twice.
          maxStalledCount: 1000,
          // No limit of its own (the producer's --rate is the queue's, and wins), but a limiter
          // BullMQ checks, so that a 429's `rateLimit` pauses every worker of the campaign.
          limiter: { max: 2 ** 31, duration: 1000 },
        },
      );
      worker.on('error', (error) => {
        if (warned) return;
        warned = true;
        out.note(`worker: ${out.redact(error.message)}; waiting for Redis`);
      });
      worker.on('ready', () => {
        warned = false;
      });
      workers.push(worker);
    }
    // Finished when every chunk of every campaign served has its tally, whoever wrote it.
    for (;;) {
      if (interrupted) break;
      if ((await Promise.all(campaigns.map((c) => finished(redis, c)))).every(Boolean)) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, lease)));
    }
    await Promise.all(workers.map((w) => w.close()));
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    if (interrupted) return exitCodes.interrupted;
    let code: number = exitCodes.done;
    for (const campaign of campaigns) {
      const view = await readCampaign(redis, campaign, ctx.io.now);
      code = Math.max(code, printSummary(view!, out));
    }
    return code;
  } finally {
    await Promise.all(workers.map((w) => w.close().catch(() => undefined)));
    redis.disconnect();
  }
}

class Throttled extends Error {}

interface ChunkContext {
  sms: Sms;
  redis: Redis;
  keys: ReturnType<typeof campaignKeys>;
  lease: number;
  concurrency: number | undefined;
  name: string;
  now: () => number;
}

/**
 * One chunk: its rows through `sendMany`. A row the ledger holds `pending` is in flight on
 * another worker, or was on one that died: it is looked at again after a lease, and only if
 * still pending then counted unknown. A 429 among the answers throws `Throttled` (the chunk is
 * taken again later; its accepted rows are answered from the ledger then, nothing resent).
 */
async function sendChunk(job: Job<ChunkData>, context: ChunkContext): Promise<ChunkTally> {
  const { sms, redis, keys, lease, concurrency } = context;
  const field = String(job.data.index);
  const [[, stored]] = (await redis
    .multi()
    .hget(keys.chunks, field)
    .hsetnx(keys.meta, 'started', new Date(context.now()).toISOString())
    .exec()) as [[unknown, string | null], unknown];
  if (stored === null) {
    // Its rows go when its tally is written: a worker that died between the two left it done.
    const tally = await redis.hget(keys.tally, job.id!);
    if (tally !== null) return JSON.parse(tally) as ChunkTally;
    throw new Error(`chunk ${field} of the campaign has no rows in Redis (was Redis restarted without persistence?)`);
  }
  const rows = JSON.parse(stored) as QueuedRow[];
  const inputs: SendInput[] = rows.map((r) => ({ to: r.to, text: r.text, from: r.from, idempotencyKey: r.k }));
  const results = new Map<string, SendManyResult>();
  for (const result of await sms.sendMany(inputs, { concurrency })) results.set(result.id, result);
  const elsewhere = [...results.values()].filter((r) => r.status === 'unknown' && r.replayed).map((r) => r.id);
  if (elsewhere.length) {
    await new Promise((resolve) => setTimeout(resolve, lease));
    const again = new Set(elsewhere);
    const retried = await sms.sendMany(
      inputs.filter((input) => again.has(input.idempotencyKey!)),
      { concurrency },
    );
    for (const result of retried) results.set(result.id, result);
  }
  if ([...results.values()].some((r) => r.status === 'rejected' && r.reason === 'throttled')) throw new Throttled();

  const tally: ChunkTally = {
    at: '',
    rows: rows.length,
    accepted: 0,
    replayed: 0,
    rejected: {},
    unknown: 0,
    unknownRows: [],
    worker: context.name,
  };
  for (const row of rows) {
    const result = results.get(row.k);
    if (result?.status === 'accepted') {
      tally.accepted++;
      if (result.replayed) tally.replayed++;
    } else if (result?.status === 'unknown') {
      tally.unknown++;
      tally.unknownRows.push({ row: row.r, to: row.to, key: row.k });
    } else {
      const reason = result?.reason ?? 'ambiguous';
      tally.rejected[reason] = (tally.rejected[reason] ?? 0) + 1;
    }
  }
  tally.at = new Date(context.now()).toISOString();
  await redis.multi().hset(keys.tally, job.id!, JSON.stringify(tally)).hdel(keys.chunks, field).exec();
  return tally;
}

/** The campaigns on this Redis whose chunks are not all done. */
async function unfinished(redis: Redis, now: () => number): Promise<string[]> {
  const names = await redis.smembers(campaignsKey);
  const views = await Promise.all(names.map((n) => readCampaign(redis, n, now)));
  return names.filter((_n, i) => views[i] && !views[i]!.finished);
}

/** Every chunk enqueued and tallied: two commands, however large the campaign. */
async function finished(redis: Redis, campaign: string): Promise<boolean> {
  const keys = campaignKeys(campaign);
  const [[, meta], [, done]] = (await redis.multi().hmget(keys.meta, 'chunks', 'enqueued').hlen(keys.tally).exec()) as [
    [unknown, (string | null)[]],
    [unknown, number],
  ];
  return meta[1] !== null && done >= Number(meta[0]);
}

/** Waits for a producer to register the campaign (workers may start first). */
async function registered(redis: Redis, campaign: string, out: Output): Promise<void> {
  let noted = false;
  while (!(await redis.hexists(campaignKeys(campaign).meta, 'fingerprint'))) {
    if (!noted)
      out.note(
        `waiting for campaign ${campaign} to be enqueued (smswire bulk <file> --queue … --campaign ${campaign})`,
      );
    noted = true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
