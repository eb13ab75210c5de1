/**
 * Where a queued campaign lives in Redis. Its BullMQ queue (`smswire:campaign-<name>:…`) holds
 * the chunks; beside it, `smswire:campaign:<name>:…` holds what the queue does not:
 *
 * - `meta`: a hash of the file's fingerprint and name, its rows, chunks and chunk size, when
 *   enqueueing ended (`enqueued`) and when the first chunk was taken (`started`);
 * - `chunks`: a hash, chunk index → the JSON of its rows, until the chunk is done (a job carries
 *   only its index, so BullMQ's job, its fetch and its events stay a few bytes);
 * - `staging:<run>`: the chunks a producer run is writing as it reads and checks the file, renamed
 *   to `chunks` only once every row passed (a file with a bad row leaves no chunk and no job);
 * - `enqueued`: a bitmap, bit i set once chunk i was handed to the queue;
 * - `tally`: a hash, chunk ID → the JSON tally of its rows' outcomes, written by the worker that
 *   finished it (a chunk done twice overwrites its own field: counted once);
 * - `rows`: the campaign's ledger, a hash of row key → ledger entry (each row's outcome).
 *
 * `smswire:campaigns` is the set of campaign names, for `worker` without `--campaign`.
 * Campaign names are written URI-encoded, so no `:` of theirs splits a key.
 */
export const prefix = 'smswire';
export const campaignsKey = `${prefix}:campaigns`;

export const queueName = (campaign: string) => `campaign-${encodeURIComponent(campaign)}`;

export function campaignKeys(campaign: string) {
  const base = `${prefix}:campaign:${encodeURIComponent(campaign)}`;
  return {
    meta: `${base}:meta`,
    chunks: `${base}:chunks`,
    staging: (run: string) => `${base}:staging:${run}`,
    enqueued: `${base}:enqueued`,
    tally: `${base}:tally`,
    rows: `${base}:rows`,
  };
}

/** A campaign's rows and their outcomes are kept this long in Redis (7 days, as the Redis ledger's). */
export const keptSeconds = 7 * 24 * 60 * 60;

/** The deterministic job ID of chunk `index`: a re-run or a second producer adds the same job, which BullMQ keeps once. */
export const chunkId = (index: number) => `chunk-${index}`;

/** A row as a chunk carries it. */
export interface QueuedRow {
  /** The CSV row number. */
  r: number;
  /** The row's idempotency key (its `id` column, or a hash of row, number and text). */
  k: string;
  to: string;
  text: string;
  from?: string;
}

/** A chunk's job: its rows are in the campaign's `chunks` hash under `index`. */
export interface ChunkData {
  campaign: string;
  index: number;
}

/** What the worker that finished a chunk found for its rows. */
export interface ChunkTally {
  /** When the chunk was finished (ISO 8601). */
  at: string;
  rows: number;
  accepted: number;
  /** Rows accepted by an earlier take of the chunk (a worker that died, a 429 retried). */
  replayed: number;
  rejected: Record<string, number>;
  unknown: number;
  /** The rows whose outcome is unknown: a worker died with them in flight. */
  unknownRows: { row: number; to: string; key: string }[];
  worker: string;
}
