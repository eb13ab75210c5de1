import type { CallInit } from '@smswire/core';
import { AbortError, type SmswireError, ValidationError } from '@smswire/core/errors';
import type { Adapter, BatchItem, OutgoingMessage } from './adapter.js';
import { classify } from './classify.js';
import { SendError, UnsupportedError } from './errors.js';
import type { Ledger } from './ledger.js';
import { accepted, failed, outgoing, replay, sent, settle, unclaimed, type Prepared } from './prepared.js';
import type { SendInput, SendManyOptions, SendManyProgress, SendManyResult, SendResult } from './send-types.js';

export interface SendManyContext {
  vendors: readonly Adapter[];
  ledger: Ledger;
  prepare(input: SendInput, key: string): Prepared;
}

/** A claimed message on its way, `step` indexing the vendor it goes to next. */
interface Job {
  index: number;
  message: Prepared;
  step: number;
}

/** Messages for one vendor request. */
interface Request {
  adapter: Adapter;
  jobs: Job[];
}

/**
 * `sendMany`'s signal fired. It stopped taking messages; the requests already under way ended
 * as they did (one aborted on the way is `unknown`, never sent again). `results` has one entry
 * per message read from the input, in input order, like a finished `sendMany`: the ones never
 * handed to a vendor are `rejected` with reason `canceled`, and their keys may be sent again.
 * Not enumerable, so logging the error does not print every result.
 */
export class SendManyAbortError extends AbortError {
  override name = 'AbortError';
  declare readonly results: SendManyResult[];

  constructor(results: SendManyResult[]) {
    super({ vendor: 'sms', operation: 'sendMany' });
    Object.defineProperty(this, 'results', { value: results, enumerable: false });
  }
}

/**
 * Requests under way at once. Batches of 100 at 8 requests left 20 ms round trips setting the
 * pace of 100,000 messages; at 16 the client's CPU does (docs/benchmarks.md). Still half the
 * connections of the usual hand-written loop around `send` (32); no vendor documents a limit.
 */
export const defaultConcurrency = 16;

const refused = (concurrency: unknown) =>
  new ValidationError({
    vendor: 'sms',
    operation: 'sendMany',
    issues: [{ path: 'concurrency', message: `must be a whole number, at least 1 (got ${String(concurrency)})` }],
  });

/**
 * `sendMany`: every result of `sendEach`, collected in input order. When aborted it rejects with a
 * `SendManyAbortError` holding every result, not just the last window's.
 */
export async function sendMany(
  context: SendManyContext,
  messages: Iterable<SendInput> | AsyncIterable<SendInput>,
  options: SendManyOptions = {},
  init?: CallInit,
): Promise<SendManyResult[]> {
  const results: SendManyResult[] = [];
  try {
    for await (const result of sendEach(context, messages, options, init)) results.push(result);
  } catch (error) {
    if (error instanceof SendManyAbortError) throw new SendManyAbortError(results);
    throw error;
  }
  return results;
}

/**
 * `sendEach`: messages are read a window at a time (the largest batch times the concurrency),
 * checked, claimed in the ledger, grouped into vendor requests and sent with at most
 * `concurrency` requests under way; the next window is read and checked while a window's
 * requests are under way and claimed once its first answer is recorded, and a window's results
 * are yielded, in input order, once it has ended, so memory stays two windows however long the
 * input. A message a vendor certainly refused goes to its next vendor, as `send` does; one whose
 * outcome is unknown never moves on. When the signal fires, nothing more is read or handed to a
 * vendor; the requests under way end (aborted, so `unknown`, or as they ended first), the
 * results of the windows not yet yielded are (the messages never handed to a vendor `rejected`,
 * reason `canceled`, their keys free again) and it throws a `SendManyAbortError` holding them.
 */
export async function* sendEach(
  context: SendManyContext,
  messages: Iterable<SendInput> | AsyncIterable<SendInput>,
  options: SendManyOptions = {},
  init?: CallInit,
): AsyncGenerator<SendManyResult, void, undefined> {
  const concurrency = options.concurrency ?? defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw refused(concurrency);
  const { ledger } = context;
  // A key for each message without one: the run's UUID and the message's position. A UUID each
  // was a tree of 20 string pieces that lived as long as the result: half of a large run's heap.
  const run = globalThis.crypto.randomUUID();
  const keyOf = (input: SendInput | undefined, index: number) => input?.idempotencyKey ?? `${run}:${index}`;
  const stop = abortOn(options.signal, init?.signal);
  const callInit: CallInit | undefined = stop.signal ? { ...init, signal: stop.signal } : init;
  // The results of the windows not yet yielded, indexed from the first one's position, `offset`.
  const results: SendManyResult[] = [];
  let offset = 0;
  /** Claimed and not yet answered: on abort, these were never handed to a vendor. */
  const claimed = new Map<number, Job>();
  const progress: SendManyProgress = {
    done: 0,
    ...(Array.isArray(messages) ? { total: messages.length } : {}),
    accepted: 0,
    rejected: 0,
    unknown: 0,
  };
  let progressError: { error: unknown } | undefined;
  const report = () => {
    if (!options.onProgress || progressError) return;
    try {
      options.onProgress({ ...progress });
    } catch (error) {
      // Stop after the requests under way are recorded: throwing now would leave them unrecorded.
      progressError = { error };
    }
  };
  const finish = (index: number, result: SendManyResult) => {
    claimed.delete(index);
    results[index - offset] = result;
    progress.done++;
    progress[result.status]++;
  };
  const notSent = (index: number, key: string, to: string, error: SmswireError) => {
    const reason = error instanceof SendError ? error.reason : 'validation';
    const status = error instanceof SendError && error.outcome === 'unknown' ? 'unknown' : 'rejected';
    const replayed = error instanceof SendError && error.replayed ? { replayed: true as const } : {};
    finish(index, { status, id: key, to, reason, error, ...replayed });
  };

  async function request({ adapter, jobs }: Request): Promise<BatchItem[]> {
    const outgoingMessages: OutgoingMessage[] = jobs.map((job) => outgoing(job.message, job.step));
    try {
      if (!adapter.batch) return [await adapter.send(outgoingMessages[0]!, callInit)];
      const items = await adapter.batch.send(outgoingMessages, callInit);
      if (items.length === jobs.length) return items;
      const error = new SendError({
        vendor: adapter.vendor,
        operation: 'sendMany',
        outcome: 'unknown',
        reason: 'ambiguous',
        message: `${adapter.vendor}: the batch reply does not match the request`,
      });
      return jobs.map(() => ({ error }));
    } catch (error) {
      // The request as a whole failed: a refusal refuses all of it, a timeout leaves all of it unknown.
      return jobs.map(() => ({ error }));
    }
  }

  /** Sends the claimed jobs, moving certain refusals to their next vendor, until each has an outcome. */
  async function deliver(jobs: Job[], replied: () => void) {
    while (jobs.length > 0 && !stop.aborted()) {
      const retry: Job[] = [];
      const send = async (one: Request) => {
        await slots.acquire();
        let items: BatchItem[];
        try {
          if (stop.aborted()) return;
          items = await request(one);
        } finally {
          // The reply is in: the next request need not wait for its outcomes to be recorded.
          slots.release();
        }
        // A request's outcomes recorded at once (a shared ledger, Redis, takes them in one round
        // trip), and reported once recorded.
        const answered: { job: Job; result: SendResult }[] = [];
        const failures: { job: Job; error: SendError }[] = [];
        const records: Promise<void>[] = [];
        for (const [i, job] of one.jobs.entries()) {
          const item = items[i]!;
          const { key } = job.message;
          if (!('error' in item)) {
            const result = accepted(job.message, job.step, item.messageId);
            records.push(settle(ledger, key, sent(job.message, result)));
            answered.push({ job, result });
            continue;
          }
          const operation = (item.error as { operation?: unknown }).operation;
          const error = classify(one.adapter, typeof operation === 'string' ? operation : 'send', item.error, key);
          if (error.outcome === 'notAccepted' && job.step + 1 < job.message.vendors.length) {
            retry.push({ ...job, step: job.step + 1 });
            continue;
          }
          records.push(settle(ledger, key, failed(job.message, error)));
          failures.push({ job, error });
        }
        await Promise.all(records);
        for (const { job, result } of answered) finish(job.index, { status: 'accepted', ...result });
        for (const { job, error } of failures) notSent(job.index, job.message.key, job.message.e164, error);
        report();
        replied();
      };
      await Promise.all(group(jobs).map(send));
      jobs = retry.sort((a, b) => a.index - b.index);
    }
  }

  /** Checks and prepares a window's messages; the ones that fail are answered at once, unsent. */
  async function check(window: readonly SendInput[], first: number): Promise<Job[]> {
    const checked: Job[] = [];
    for (const [i, input] of window.entries()) {
      // A window's checks take milliseconds of CPU: the replies of the window under way are read
      // between slices of them, so its slots are handed on without waiting for the whole window.
      if (i % checkSlice === checkSlice - 1) await new Promise(setImmediate);
      if (stop.aborted()) break;
      const index = first + i;
      const key = keyOf(input, index);
      try {
        if (typeof input !== 'object' || input === null)
          throw new ValidationError({
            vendor: 'sms',
            operation: 'sendMany',
            issues: [{ path: String(index), message: 'must be a message object' }],
          });
        checked.push({ index, message: context.prepare(input, key), step: 0 });
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof UnsupportedError)) throw error;
        notSent(index, key, typeof input?.to === 'string' ? input.to : '', error);
      }
    }
    return checked;
  }

  /** Claims a window's checked messages in the ledger; the ones it already has are answered from it. */
  async function claim(checked: readonly Job[], size: number): Promise<Job[]> {
    // All claims of a window at once: a shared ledger (Redis) then answers them in one round
    // trip. They start in input order, so of two messages with one key the first still wins.
    const claims = await Promise.all(
      checked.map(({ message }) =>
        ledger
          .claim(message.key, { fingerprint: message.fingerprint, resendUnknown: message.input.resendUnknown })
          .then(
            (previous) => ({ previous }),
            (error: unknown) => ({ error: unclaimed(message.key, 'sendMany', error) }),
          ),
      ),
    );
    const jobs: Job[] = [];
    for (const [i, job] of checked.entries()) {
      const claim = claims[i]!;
      const { key, e164 } = job.message;
      if ('error' in claim) {
        notSent(job.index, key, e164, claim.error);
        continue;
      }
      if (claim.previous) {
        try {
          finish(job.index, { status: 'accepted', ...replay(job.message, claim.previous) });
        } catch (error) {
          notSent(job.index, key, e164, error as SendError);
        }
        continue;
      }
      claimed.set(job.index, job);
      jobs.push(job);
    }
    if (jobs.length < size) report();
    return jobs;
  }

  /** Up to `windowSize` more messages, fewer when the input ends (then `exhausted`) or the signal fires. */
  async function readWindow(): Promise<SendInput[]> {
    const window: SendInput[] = [];
    while (!exhausted && window.length < windowSize && !stop.aborted()) {
      const next = await stop.race(input.next());
      if (next === aborted) break;
      if (next.done) exhausted = true;
      else window.push(next.value);
    }
    inputs.push(...window);
    return window;
  }

  const windowSize = concurrency * Math.max(1, ...context.vendors.map((a) => a.batch?.size ?? 1));
  const input = inputOf(messages);
  /** What was read and not yet yielded, indexed from `offset` like `results`: the input of a canceled message. */
  const inputs: SendInput[] = [];
  let exhausted = false;
  // Two windows under way at most: the next one is read and checked while the one before it is
  // under way, and claimed and handed to the request slots as that one's answers come in, so a
  // window's CPU work overlaps the round trips and the slots never wait for a window to end. The
  // oldest is yielded once it has ended. A key repeated while its first message is under way
  // meets `pending` (unknown, never sent twice), as within a window.
  const underWay: { size: number; replied: Promise<void>; delivered: Promise<void> }[] = [];
  /** Claims a checked window and sends it; `replied` once the first of its requests is answered and recorded. */
  const start = (checked: readonly Job[], size: number) => {
    let replied!: () => void;
    const first = new Promise<void>((resolve) => {
      replied = resolve;
    });
    const delivered = claim(checked, size)
      .then((jobs) => deliver(jobs, replied))
      .finally(replied);
    return { size, replied: first, delivered };
  };
  const slots = requestSlots(concurrency);
  try {
    for (;;) {
      const window = await readWindow();
      const checked = await check(window, offset + underWay.reduce((n, w) => n + w.size, 0));
      // Claimed once the window under way has its first answer recorded, as its slots free up:
      // a key claimed is `pending` until answered, so a crash lists it unknown; claiming a whole
      // window earlier would leave that many never-sent messages in doubt.
      await underWay.at(-1)?.replied;
      if (window.length > 0 && !stop.aborted()) underWay.push(start(checked, window.length));
      const oldest = underWay[0];
      if (!oldest) break;
      if (underWay.length < 2 && !exhausted && !stop.aborted()) continue;
      await oldest.delivered;
      if (stop.aborted()) break;
      if (progressError) throw progressError.error;
      underWay.shift();
      const done = results.splice(0, oldest.size);
      inputs.splice(0, oldest.size);
      offset += oldest.size;
      yield* done;
    }
  } finally {
    // A consumer's `return` or a throw above never leaves requests unrecorded behind it.
    await Promise.all(underWay.map((w) => w.delivered.catch(() => undefined)));
    stop.release();
    // Closes an input left part-read; not awaited: a generator stuck in an await would never return.
    if (!exhausted) Promise.resolve(input.return?.()).catch(() => undefined);
  }
  if (!stop.aborted()) return;
  const error = new AbortError({ vendor: 'sms', operation: 'sendMany' });
  // Claimed but never handed to a vendor: certainly not sent, so the key may be sent again.
  for (const [index, job] of claimed) {
    const canceled = new SendError({
      vendor: 'sms',
      operation: 'sendMany',
      outcome: 'notAccepted',
      reason: 'canceled',
      key: job.message.key,
      message: 'sendMany was aborted before this message was sent',
      cause: error,
    });
    await settle(ledger, job.message.key, failed(job.message, canceled));
    notSent(index, job.message.key, job.message.e164, canceled);
  }
  for (const [i, given] of inputs.entries()) {
    if (results[i]) continue;
    const key = keyOf(given, offset + i);
    finish(offset + i, {
      status: 'rejected',
      id: key,
      to: typeof given?.to === 'string' ? given.to : '',
      reason: 'canceled',
      error,
    });
  }
  report();
  yield* results;
  throw new SendManyAbortError(results);
}

const aborted = Symbol('aborted');

/** Messages checked between two turns of the event loop. */
const checkSlice = 64;

/** At most `size` holders at once; the others wait their turn, first come first served. */
function requestSlots(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    acquire: (): Promise<void> | void => {
      if (free > 0) {
        free--;
        return;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release: () => {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

/** The input as an async iterator, whatever iterable it is. */
function inputOf(messages: Iterable<SendInput> | AsyncIterable<SendInput>): AsyncIterator<SendInput> {
  if (Symbol.asyncIterator in messages) return messages[Symbol.asyncIterator]();
  const sync = messages[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}

/**
 * The signals `sendMany` obeys, as one: `aborted()`, `race(promise)` (the promise's value, or
 * `aborted` once a signal fires, for an input that never yields again) and the one signal handed
 * to every vendor call. Listeners, not `AbortSignal.any`, and released at the end: a long-lived
 * signal passed to many calls must not collect an entry per call (see core's transport).
 */
function abortOn(...signals: (AbortSignal | undefined)[]) {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length === 0) {
    return { signal: undefined, aborted: () => false, race: <T>(p: Promise<T>) => p, release: () => undefined };
  }
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  const onAbort = () => {
    controller.abort();
    wake?.();
  };
  for (const signal of given) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  const fired = new Promise<typeof aborted>((resolve) => {
    wake = () => resolve(aborted);
    if (controller.signal.aborted) resolve(aborted);
  });
  return {
    signal: controller.signal,
    aborted: () => controller.signal.aborted,
    race: <T>(promise: Promise<T>) => Promise.race([promise, fired]),
    release: () => {
      for (const signal of given) signal.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Jobs grouped into requests: for a vendor with a batch operation, those sharing its key, up to
 * its size, each number at most once where the reply names recipients by number; one message a
 * request otherwise.
 */
function group(jobs: readonly Job[]): Request[] {
  const requests: Request[] = [];
  const open = new Map<string, { request: Request; numbers: Set<string> }[]>();
  for (const job of jobs) {
    const { adapter } = job.message.vendors[job.step]!;
    const batch = adapter.batch;
    if (!batch) {
      requests.push({ adapter, jobs: [job] });
      continue;
    }
    const key = `${adapter.vendor}\u0000${batch.key(outgoing(job.message, job.step))}`;
    const candidates = open.get(key) ?? [];
    open.set(key, candidates);
    let target = candidates.find(
      (c) => c.request.jobs.length < batch.size && !(batch.distinctNumbers && c.numbers.has(job.message.e164)),
    );
    if (!target) {
      target = { request: { adapter, jobs: [] }, numbers: new Set() };
      candidates.push(target);
      requests.push(target.request);
    }
    target.request.jobs.push(job);
    target.numbers.add(job.message.e164);
  }
  return requests;
}
