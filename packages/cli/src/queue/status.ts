import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { exitCodes, UsageError } from '../exit-codes.js';
import type { Context } from '../io.js';
import type { Output } from '../output.js';
import { connectQueue } from './connect.js';
import { campaignKeys, type ChunkTally, prefix, queueName } from './keys.js';

/** A campaign as all its workers left it, read from Redis. */
export interface CampaignView {
  campaign: string;
  file: string;
  rows: number;
  chunks: number;
  /** Every chunk handed to the queue (the producer finished). */
  enqueued: boolean;
  chunksDone: number;
  /** Rows of chunks waiting for a worker, or taken and not finished. */
  queued: number;
  inFlight: number;
  /** Rows whose chunk is finished. */
  done: number;
  accepted: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  unknown: number;
  unknownRows: ChunkTally['unknownRows'];
  /** Rows finished a second, since the first chunk was taken. */
  rate: number;
  secondsLeft: number | null;
  finished: boolean;
}

export async function readCampaign(
  redis: Redis,
  campaign: string,
  now: () => number,
): Promise<CampaignView | undefined> {
  const keys = campaignKeys(campaign);
  const meta = await redis.hgetall(keys.meta);
  if (!meta.fingerprint) return undefined;
  const tallies = Object.values(await redis.hgetall(keys.tally)).map((t) => JSON.parse(t) as ChunkTally);
  const queue = new Queue(queueName(campaign), { connection: redis, prefix });
  const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
  await queue.close();
  const chunkSize = Number(meta.chunkSize);
  const rows = Number(meta.rows);
  const view: CampaignView = {
    campaign,
    file: meta.file ?? '',
    rows,
    chunks: Number(meta.chunks),
    enqueued: meta.enqueued !== undefined,
    chunksDone: tallies.length,
    queued: Math.min(rows, ((counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0)) * chunkSize),
    inFlight: Math.min(rows, (counts.active ?? 0) * chunkSize),
    done: 0,
    accepted: 0,
    rejected: 0,
    rejectedByReason: {},
    unknown: 0,
    unknownRows: [],
    rate: 0,
    secondsLeft: null,
    finished: false,
  };
  for (const t of tallies) {
    view.done += t.rows;
    view.accepted += t.accepted;
    view.unknown += t.unknown;
    for (const row of t.unknownRows) view.unknownRows.push(row);
    for (const [reason, n] of Object.entries(t.rejected)) {
      view.rejected += n;
      view.rejectedByReason[reason] = (view.rejectedByReason[reason] ?? 0) + n;
    }
  }
  view.unknownRows.sort((a, b) => a.row - b.row);
  view.finished = view.enqueued && view.chunksDone >= view.chunks;
  const started = meta.started ? Date.parse(meta.started) : Number.NaN;
  // A reduce, not Math.max(...): a campaign of chunks of one row has a tally a row, and a spread
  // of more than about 120,000 arguments overflows the stack.
  const until = view.finished ? tallies.reduce((last, t) => Math.max(last, Date.parse(t.at)), 0) : now();
  if (Number.isFinite(started) && until > started) {
    view.rate = Math.round((view.done * 1000) / (until - started));
    view.secondsLeft = view.finished ? 0 : view.rate > 0 ? Math.ceil((rows - view.done) / view.rate) : null;
  }
  return view;
}

/** A finished campaign's exit code: 0 every row accepted, 5 some not (the summary says which and why). */
export const campaignExitCode = (view: CampaignView) =>
  view.accepted === view.rows ? exitCodes.done : exitCodes.someNotAccepted;

const reasons = (view: CampaignView) =>
  Object.entries(view.rejectedByReason)
    .sort()
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');

export function progressLine(view: CampaignView): string {
  const left = view.secondsLeft === null ? '' : `, ${view.secondsLeft} s left`;
  return (
    `campaign ${view.campaign}: ${view.done} of ${view.rows} rows done (${view.accepted} accepted, ${view.rejected} rejected` +
    `${view.rejected ? ` (${reasons(view)})` : ''}, ${view.unknown} unknown); ${view.queued} queued, ${view.inFlight} in flight` +
    `${view.enqueued ? '' : ', still enqueueing'}; ${view.rate} rows/s${left}`
  );
}

/** The summary at the end: every row once, whichever worker sent it; the unknown ones listed. */
export function printSummary(view: CampaignView, out: Output): number {
  for (const row of view.unknownRows)
    out.emit(
      'row',
      { key: row.key, row: row.row, to: row.to, status: 'unknown', reason: 'ambiguous' },
      `row ${row.row} ${row.to}: unknown (ambiguous) — a worker stopped with it in flight; it may have been sent, and is not sent again`,
    );
  const { unknownRows: _rows, ...record } = view;
  out.emit(
    'summary',
    record,
    `${view.rows} rows: ${view.accepted} accepted, ${view.rejected} rejected${view.rejected ? ` (${reasons(view)})` : ''}, ` +
      `${view.unknown} unknown${view.unknown ? ' (may have been sent: not resent)' : ''}. Campaign: ${view.campaign}, ${view.rate} rows/s.`,
  );
  return campaignExitCode(view);
}

/** Polls the campaign until it is finished, a progress line a second for a person, then the summary. */
export async function waitForCampaign(
  redis: Redis,
  campaign: string,
  { io, out }: Context,
  everyMs = 1000,
): Promise<number> {
  let last = '';
  for (;;) {
    const view = await readCampaign(redis, campaign, io.now);
    if (!view) throw new UsageError(`no campaign "${campaign}" on this queue`);
    if (view.finished) return printSummary(view, out);
    const line = progressLine(view);
    if (line !== last) out.note(line);
    last = line;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `smswire campaign <name> --queue redis://…`: progress while it runs (exit 0), the summary once it is done. */
export async function campaignStatusCommand(
  campaign: string,
  flags: { queue: string; wait?: boolean },
  ctx: Context,
): Promise<number> {
  const { out } = ctx;
  const redis = await connectQueue(flags.queue, out);
  try {
    if (flags.wait) return await waitForCampaign(redis, campaign, ctx);
    const view = await readCampaign(redis, campaign, ctx.io.now);
    if (!view) throw new UsageError(`no campaign "${campaign}" on this queue`);
    if (view.finished) return printSummary(view, out);
    const { unknownRows: _rows, ...record } = view;
    out.emit('progress', record, progressLine(view));
    return exitCodes.done;
  } finally {
    redis.disconnect();
  }
}
