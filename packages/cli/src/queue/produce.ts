import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename } from 'node:path';
import { Queue } from 'bullmq';
import { normalizeNumber } from '@smswire/sms';
import { campaignOf } from '../campaign.js';
import { type CsvRow, csvRows, rowKey } from '../csv-rows.js';
import { exitCodes, UsageError } from '../exit-codes.js';
import type { Context } from '../io.js';
import type { Output } from '../output.js';
import { countryOf, positive, settingsFor, vendorList, type VendorFlags } from '../setup.js';
import { adapterFactory } from '../vendors.js';
import { connectQueue } from './connect.js';
import { type ChunkData, campaignKeys, campaignsKey, chunkId, prefix, type QueuedRow, queueName } from './keys.js';
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
 * `smswire bulk <file> --queue redis://…`: the producer. Reads the CSV once to check every row
 * (a row that fails is exit 2, nothing enqueued) and fingerprint the file, then again to
 * enqueue it in chunks, each a BullMQ job whose ID is its index: a producer killed halfway and
 * run again adds only the chunks not there yet, and two producers of one campaign add each
 * chunk once. `smswire worker` sends them; `--wait` waits for the end and prints the summary.
 */
export async function produceCampaign(file: string, flags: ProduceFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  if (file === '-') throw new UsageError('--queue reads the CSV twice (check, then enqueue): give a file, not stdin');
  if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
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

  const checked = await check(file, countryOf(flags.country), out);
  if (checked.invalid > 0) {
    out.fail(
      { name: 'ValidationError', message: `${checked.invalid} invalid rows`, invalid: checked.invalid },
      `${checked.invalid} of ${checked.rows} rows are invalid (listed above): nothing was enqueued or sent. Fix them and run again.`,
    );
    return exitCodes.usage;
  }
  if (checked.rows === 0) throw new UsageError(`${file} has no rows`);

  const redis = await connectQueue(flags.queue, out);
  const keys = campaignKeys(campaign);
  const queue = new Queue<ChunkData>(queueName(campaign), { connection: redis, prefix });
  try {
    const chunks = Math.ceil(checked.rows / chunkSize);
    const [fingerprint, stored] = (await redis.eval(
      registerScript,
      2,
      keys.meta,
      campaignsKey,
      checked.fingerprint,
      basename(file),
      String(checked.rows),
      String(chunks),
      String(chunkSize),
      new Date(ctx.io.now()).toISOString(),
      campaign,
    )) as [string, string];
    if (fingerprint !== checked.fingerprint)
      throw new UsageError(
        `campaign "${campaign}" was enqueued from another file: nothing was enqueued. Name this one with --campaign <another name>.`,
      );
    chunkSize = Number(stored);
    if (rate) await queue.setGlobalRateLimit(1, Math.max(1, Math.ceil((chunkSize * rate.ms) / rate.max)));

    const done = new Set(await redis.hkeys(keys.tally));
    const bits = (await redis.getBuffer(keys.enqueued)) ?? Buffer.alloc(0);
    const enqueuedBefore = (index: number) => ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
    let added = 0;
    let skipped = 0;
    const enqueue = async (index: number, rows: QueuedRow[]) => {
      const id = chunkId(index);
      if (enqueuedBefore(index) || done.has(id)) {
        skipped++;
        return;
      }
      // An ID BullMQ already holds (another producer's, or ours before a kill) adds nothing.
      await queue.add(
        'chunk',
        { campaign, index, rows },
        { jobId: id, removeOnComplete: true, attempts: 50, backoff: { type: 'fixed', delay: 1000 } },
      );
      // Counted by whichever producer set the bit first: two producers of one campaign count each chunk once.
      if ((await redis.setbit(keys.enqueued, index, 1)) === 0) added++;
      else skipped++;
    };
    let rows: QueuedRow[] = [];
    let index = 0;
    for await (const row of csvRows(createReadStream(file))) {
      rows.push(queued(row));
      if (rows.length === chunkSize) {
        await enqueue(index++, rows);
        rows = [];
      }
    }
    if (rows.length) await enqueue(index++, rows);
    await redis.hsetnx(keys.meta, 'enqueued', new Date(ctx.io.now()).toISOString());
    out.emit(
      'enqueued',
      { campaign, rows: checked.rows, chunks, chunkSize, added, skipped },
      `campaign ${campaign}: ${checked.rows} rows in ${chunks} chunks of ${chunkSize}; ${added} enqueued now` +
        `${skipped ? `, ${skipped} already there` : ''}. Start \`smswire worker --queue … --campaign ${campaign}\` on each machine.`,
    );
    if (!flags.wait) return exitCodes.done;
    return await waitForCampaign(redis, campaign, ctx);
  } finally {
    await queue.close();
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

/** Every row checked (a number, a text, a key of its own), and the file's fingerprint. */
async function check(file: string, defaultCountry: ReturnType<typeof countryOf>, out: Output) {
  const hash = createHash('sha256');
  const source = createReadStream(file);
  source.on('data', (data) => hash.update(data));
  const seen = new Set<string>();
  let rows = 0;
  let invalid = 0;
  for await (const row of csvRows(source)) {
    rows++;
    const key = rowKey(row);
    let problem: string | undefined;
    if (!row.text.trim()) problem = 'no text';
    else if (seen.has(key)) problem = `duplicate key ${key}`;
    else
      try {
        normalizeNumber(row.to, { country: defaultCountry });
      } catch (error) {
        problem = (error as Error).message;
      }
    seen.add(key);
    if (!problem) continue;
    invalid++;
    out.emit(
      'row',
      { key, row: row.row, to: row.to, status: 'rejected', reason: 'validation', message: problem },
      `row ${row.row} ${row.to}: invalid (${problem})`,
    );
  }
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
