import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { normalizeNumber } from '@smswire/sms';
import { campaignOf } from '../campaign.js';
import { type CsvRow, csvRows, rowKey } from '../csv-rows.js';
import { exitCodes, UsageError } from '../exit-codes.js';
import { KeySet } from '../key-set.js';
import type { Context } from '../io.js';
import type { Output } from '../output.js';
import { countryOf, positive, settingsFor, vendorList, type VendorFlags } from '../setup.js';
import { adapterFactory } from '../vendors.js';
import { connectQueue } from './connect.js';
import {
  type ChunkData,
  campaignKeys,
  campaignsKey,
  chunkId,
  keptSeconds,
  prefix,
  type QueuedRow,
  queueName,
} from './keys.js';
import { parseRate, type Rate } from './rate.js';
import { waitForCampaign } from './status.js';

export interface ProduceFlags extends VendorFlags {
  queue: string;
  campaign?: string;
  rate?: string;
  chunkSize?: string;
  wait?: boolean;
}

/** Rows a chunk holds by default, rounded to whole vendor requests: a worker's take costs BullMQ some 30 Redis commands. */
const defaultChunkRows = 1000;

/**
 * Registers the campaign, or finds it: its file's fingerprint, rows, chunk size. A campaign
 * name already holding another file is refused (its fingerprint returned); one holding this
 * file keeps the chunk size it was enqueued with, so a re-run makes the same chunks.
 */
const registerScript = `
local f = redis.call('HGET', KEYS[1], 'fingerprint')
if f and f ~= ARGV[1] then return {f, ''} end
if not f then
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'file', ARGV[2], 'rows', ARGV[3], 'chunks', ARGV[4], 'chunkSize', ARGV[5], 'created', ARGV[6], 'name', ARGV[7])
  redis.call('SADD', KEYS[2], ARGV[7])
end
return {ARGV[1], redis.call('HGET', KEYS[1], 'chunkSize')}
`;

/**
 * Publishes a producer run's staged chunks as the campaign's, unless another run of the same
 * file did first (its chunks are the same): then this run's are dropped.
 */
const publishScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return 1
`;

/**
 * `smswire bulk <file> --queue redis://…`: the producer. Reads the CSV once (a file or stdin),
 * checking every row, fingerprinting the bytes and writing its chunks to a staging hash of this
 * run as it goes; only when every row passed are they published as the campaign's chunks and a
 * BullMQ job added for each (its ID the chunk's index). A bad row is exit 2 with nothing
 * enqueued: its run's staging is deleted (and expires if the producer dies first). A producer
 * killed halfway and run again adds only the chunks not there yet, and two producers of one
 * campaign add each chunk once. `smswire worker` sends them; `--wait` waits for the end and
 * prints the summary.
 */
export async function produceCampaign(file: string, flags: ProduceFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  const stdin = file === '-';
  if (stdin && flags.campaign === undefined)
    throw new UsageError('reading the CSV from stdin with --queue: name the campaign with --campaign <name>');
  if (!stdin && !existsSync(file)) throw new UsageError(`${file}: no such file`);
  const settings = settingsFor(vendorList(flags.vendor), flags, ctx);
  const campaign = campaignOf(flags.campaign, file, `${file}.journal.jsonl`);
  const rate = flags.rate === undefined ? undefined : parseRate(flags.rate);
  const batch = batchLimit(settings[0]!.vendor, settings[0]!.options);
  let chunkSize =
    flags.chunkSize === undefined
      ? batch * Math.max(1, Math.round(defaultChunkRows / batch))
      : positive('--chunk-size', flags.chunkSize);
  // A chunk goes out at once: under a rate limit, no more than a second of it.
  if (rate) chunkSize = Math.max(1, Math.min(chunkSize, Math.floor((rate.max * 1000) / rate.ms)));

  const redis = await connectQueue(flags.queue, out);
  const keys = campaignKeys(campaign);
  // Made once the file passed: BullMQ writes the queue's own keys when it is made.
  let queue: Queue<ChunkData> | undefined;
  const staging = keys.staging(globalThis.crypto.randomUUID());
  try {
    // A campaign enqueued before keeps its chunk size, so this run stages the same chunks.
    const enqueuedSize = await redis.hget(keys.meta, 'chunkSize');
    if (enqueuedSize !== null) chunkSize = Number(enqueuedSize);
    const source = stdin ? ctx.io.stdin : createReadStream(file);
    const staged = await stage(
      source,
      stdin ? 'stdin' : file,
      { redis, staging, chunkSize },
      countryOf(flags.country),
      out,
    );
    if (staged.invalid > 0) {
      await redis.del(staging);
      out.fail(
        { name: 'ValidationError', message: `${staged.invalid} invalid rows`, invalid: staged.invalid },
        `${staged.invalid} of ${staged.rows} rows are invalid (listed above): nothing was enqueued or sent. Fix them and run again.`,
      );
      return exitCodes.usage;
    }
    if (staged.rows === 0) {
      await redis.del(staging);
      throw new UsageError(`${stdin ? 'stdin' : file} has no rows`);
    }

    const chunks = Math.ceil(staged.rows / chunkSize);
    const [fingerprint, stored] = (await redis.eval(
      registerScript,
      2,
      keys.meta,
      campaignsKey,
      staged.fingerprint,
      stdin ? 'stdin' : basename(file),
      String(staged.rows),
      String(chunks),
      String(chunkSize),
      new Date(ctx.io.now()).toISOString(),
      campaign,
    )) as [string, string];
    if (fingerprint !== staged.fingerprint || Number(stored) !== chunkSize) await redis.del(staging);
    if (fingerprint !== staged.fingerprint)
      throw new UsageError(
        `campaign "${campaign}" was enqueued from another file: nothing was enqueued. Name this one with --campaign <another name>.`,
      );
    // Another producer registered the campaign while this one read, with another --chunk-size.
    if (Number(stored) !== chunkSize)
      throw new UsageError(
        `campaign "${campaign}" was enqueued meanwhile in chunks of ${stored}: nothing more was enqueued. Run again to add what is missing.`,
      );
    await redis.eval(publishScript, 2, staging, keys.chunks, String(keptSeconds));
    queue = new Queue<ChunkData>(queueName(campaign), { connection: redis, prefix });
    if (rate) await queue.setGlobalRateLimit(1, Math.max(1, Math.ceil((chunkSize * rate.ms) / rate.max)));

    const finished = new Set(await redis.hkeys(keys.tally));
    // Chunks a run before this one finished need no rows (published again when all had been done).
    const finishedIndexes = Array.from({ length: chunks }, (_, i) => i).filter((i) => finished.has(chunkId(i)));
    if (finishedIndexes.length) await redis.hdel(keys.chunks, ...finishedIndexes.map(String));
    const bits = (await redis.getBuffer(keys.enqueued)) ?? Buffer.alloc(0);
    const enqueuedBefore = (index: number) => ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
    let added = 0;
    let skipped = 0;
    for (let index = 0; index < chunks; index++) {
      const id = chunkId(index);
      if (enqueuedBefore(index) || finished.has(id)) {
        skipped++;
        continue;
      }
      // An ID BullMQ already holds (another producer's, or ours before a kill) adds nothing.
      await queue.add(
        'chunk',
        { campaign, index },
        { jobId: id, removeOnComplete: true, attempts: 50, backoff: { type: 'fixed', delay: 1000 } },
      );
      // Counted by whichever producer set the bit first: two producers of one campaign count each chunk once.
      if ((await redis.setbit(keys.enqueued, index, 1)) === 0) added++;
      else skipped++;
    }
    await redis.hsetnx(keys.meta, 'enqueued', new Date(ctx.io.now()).toISOString());
    out.emit(
      'enqueued',
      { campaign, rows: staged.rows, chunks, chunkSize, added, skipped },
      `campaign ${campaign}: ${staged.rows} rows in ${chunks} chunks of ${chunkSize}; ${added} enqueued now` +
        `${skipped ? `, ${skipped} already there` : ''}. Start \`smswire worker --queue … --campaign ${campaign}\` on each machine.`,
    );
    if (!flags.wait) return exitCodes.done;
    return await waitForCampaign(redis, campaign, ctx);
  } catch (error) {
    await redis.del(staging).catch(() => undefined);
    throw error;
  } finally {
    await queue?.close();
    redis.disconnect();
  }
}

const queued = (row: CsvRow): QueuedRow => ({
  r: row.row,
  k: rowKey(row),
  to: row.to,
  text: row.text,
  ...(row.from ? { from: row.from } : {}),
});

/**
 * The one read of the file: every row checked (a number, a text, a key of its own), the bytes
 * fingerprinted, and each chunk written to `staging` as it fills, until a row fails (then only
 * checked, so every bad row is listed). Each write is awaited: the file is never in memory
 * beyond a chunk, whatever its size.
 */
async function stage(
  source: Readable,
  name: string,
  target: { redis: Redis; staging: string; chunkSize: number },
  defaultCountry: ReturnType<typeof countryOf>,
  out: Output,
) {
  const { redis, staging, chunkSize } = target;
  const hash = createHash('sha256');
  source.on('data', (data) => hash.update(data));
  // A fingerprint a key, not the key: a million keys in 16 MB at most, not 50 (key-set.ts).
  const seen = new KeySet();
  let rows = 0;
  let invalid = 0;
  let chunk: QueuedRow[] = [];
  let index = 0;
  const write = async () => {
    if (chunk.length === 0 || invalid > 0) return;
    await redis.hset(staging, String(index), JSON.stringify(chunk));
    // Set with the first chunk: a producer that dies leaves its staging to expire.
    if (index === 0) await redis.expire(staging, keptSeconds);
    index++;
    chunk = [];
  };
  for await (const row of csvRows(source, name)) {
    rows++;
    const key = rowKey(row);
    const first = seen.add(key);
    let problem: string | undefined;
    if (!row.text.trim()) problem = 'no text';
    else if (!first) problem = `duplicate key ${key}`;
    else
      try {
        normalizeNumber(row.to, { country: defaultCountry });
      } catch (error) {
        problem = (error as Error).message;
      }
    if (!problem) {
      if (invalid > 0) continue;
      chunk.push(queued(row));
      if (chunk.length === chunkSize) await write();
      continue;
    }
    invalid++;
    await out.drained();
    out.emit(
      'row',
      { key, row: row.row, to: row.to, status: 'rejected', reason: 'validation', message: problem },
      `row ${row.row} ${row.to}: invalid (${problem})`,
    );
  }
  await write();
  return { rows, invalid, fingerprint: hash.digest('hex') };
}

/** The vendor's batch limit (1 for a vendor without a batch operation). */
function batchLimit(vendor: Parameters<typeof adapterFactory>[0], options: Record<string, unknown>): number {
  try {
    return adapterFactory(vendor)(options).batch?.size ?? 1;
  } catch {
    return 1;
  }
}

export type { Rate };
