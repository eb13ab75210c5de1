import type { CallInit, Logger } from '@smswire/core';
import { AbortError, type SmswireError, ValidationError } from '@smswire/core/errors';
import pLimit, { type LimitFunction } from 'p-limit';
import { aborted, abortOn, type RunSignal } from './abort-signals.js';
import type { Adapter, BatchItem } from './adapter.js';
import {
  acceptedResult,
  type CheckedMessage,
  claimFailure,
  failedEntry,
  outgoing,
  recordOutcome,
  replay,
  sentEntry,
} from './checked-message.js';
import { classify } from './classify.js';
import { SendError, UnsupportedError } from './errors.js';
import type { Ledger } from './ledger.js';
import { decided } from './observe.js';
import type { SendInput, SendManyOptions, SendManyProgress, SendManyResult, SendResult } from './send-types.js';
import { groupRequests, type Job, type VendorRequest } from './vendor-requests.js';

export interface SendManyContext {
  vendors: readonly Adapter[];
  ledger: Ledger;
  /** `send`'s checks: the message checked and costed for each vendor, or a `ValidationError` or `UnsupportedError`. */
  check(input: SendInput, key: string): CheckedMessage;
  /** `createSms`'s: each failover decision is logged (and published) as `send`'s are. */
  logger?: Logger | undefined;
}

/**
 * `sendMany` stopped early: its signal fired, or, once messages had gone out, `onProgress` or the
 * input threw (that error is the `cause`, and `results` holds the messages sent before it). It
 * stopped taking messages; the requests already under way ended as they did (one aborted on the
 * way is `unknown`, never sent again). `results` is in input order, like a finished `sendMany`'s,
 * and nothing after it in the input was sent. On the signal it has one entry per message read
 * from the input: the ones never handed to a vendor are `rejected` with reason `canceled`, and
 * their keys may be sent again. Not enumerable, so logging the error does not print every result.
 */
export class SendManyAbortError extends AbortError {
  override name = 'AbortError';
  declare readonly results: SendManyResult[];

  constructor(results: SendManyResult[], cause?: unknown) {
    super({ vendor: 'sms', operation: 'sendMany' });
    Object.defineProperty(this, 'results', { value: results, enumerable: false });
    if (cause !== undefined) {
      this.message = 'sms sendMany stopped early: onProgress or the input threw (the cause)';
      Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
    }
  }
}

/**
 * Requests under way at once. Batches of 100 at 8 requests left 20 ms round trips setting the
 * pace of 100,000 messages; at 16 the client's CPU does (docs/benchmarks.md). Still half the
 * connections of the usual hand-written loop around `send` (32); no vendor documents a limit.
 */
export const defaultConcurrency = 16;

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
    // The run's own, on its signal: every result, not only the windows it had not yielded. One the
    // caller's `onProgress` or input threw is a cause like any other.
    if (error instanceof SendManyAbortError && runAborts.has(error)) throw new SendManyAbortError(results);
    // Messages went out before it: their results (accepted IDs among them) go with the error.
    if (results.length > 0) throw new SendManyAbortError(results, error);
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
  yield* new SendRun(context, messages, options, init).results();
}

/** Messages checked between two turns of the event loop. */
const checkSlice = 64;

/**
 * A window of messages, from its read to its yield: read and checked as one, claimed and handed to
 * the request slots as one, its results yielded (or, on abort, canceled) as one, and then dropped.
 * A message's `index` is its position in the whole input; `first` places the window in it.
 */
class Window {
  /** Its results, in input order, as they come in; a gap is a message not yet answered. */
  readonly results: SendManyResult[] = [];
  /** Claimed and not yet answered, by index: on abort, these were never handed to a vendor. */
  readonly claimed = new Map<number, Job>();

  constructor(
    /** The index of its first message. */
    readonly first: number,
    /** Its messages as read: one never sent is answered from its input. */
    readonly inputs: readonly SendInput[],
  ) {}

  /** The message at `index` has its result. */
  answer(index: number, result: SendManyResult): void {
    this.claimed.delete(index);
    this.results[index - this.first] = result;
  }

  /**
   * Its results, one a message read, by position: a message without one would show as a gap in
   * what is yielded, never be dropped from it (`flatMap` and spreads skip the holes of an array).
   */
  settled(): SendManyResult[] {
    return Array.from(this.inputs, (_, i) => this.results[i]!);
  }
}

/** A window claimed and handed to the request slots. */
interface UnderWay {
  window: Window;
  /** Resolves once the first of its requests is answered and recorded, or it ended without one. */
  firstAnswer: Promise<void>;
  /** Resolves once every message of it has its result. */
  delivered: Promise<void>;
}

/** A window read and checked, not yet claimed. */
interface Checked {
  window: Window;
  jobs: Job[];
}

/** The `SendManyAbortError`s a run throws on its signal, told from one the caller's code threw. */
const runAborts = new WeakSet<SendManyAbortError>();

/**
 * One `sendEach` run. Its state is the fields; its stages are the methods, in the order a message
 * goes through them: `results` (the loop over windows), then `read`, `check`, `claimAndDeliver`
 * (`claim`, `deliver`, `callVendor` in a request slot), `recordOrFailOver` (with `setResult`,
 * `setFailure`, `failJob`, `report`), and the end (`takeOldest`, `close`, `cancel`). Each stage
 * takes the `Window` it works on: a window holds its own messages, results and claims, so no
 * stage counts positions across windows.
 */
class SendRun {
  private readonly context: SendManyContext;
  private readonly ledger: Ledger;
  private readonly onProgress: SendManyOptions['onProgress'];
  /** The signals given, as one; `callInit` hands it to every vendor call. */
  private readonly stop: RunSignal;
  private readonly callInit: CallInit | undefined;
  /** The request slots, `concurrency` of them, shared by the windows. */
  private readonly slots: LimitFunction;
  private readonly windowSize: number;
  // A key for each message without one: the run's UUID and the message's position. A UUID each
  // was a tree of 20 string pieces that lived as long as the result: half of a large run's heap.
  private readonly runId = globalThis.crypto.randomUUID();

  private readonly input: AsyncIterator<SendInput>;
  /** How many messages have been read: the index of the next one. */
  private readCount = 0;
  private exhausted = false;
  // Two windows under way at most: the next one is read and checked while the one before it is
  // under way, and claimed and handed to the request slots as that one's answers come in, so a
  // window's CPU work overlaps the round trips and the slots never wait for a window to end. The
  // oldest is yielded once it has ended, and dropped. A key repeated while its first message is
  // under way meets `pending` (unknown, never sent twice), as within a window.
  private readonly underWay: UnderWay[] = [];
  private readonly progress: SendManyProgress;
  /**
   * What stopped the run early (`onProgress` threw, the input failed): nothing more is read or
   * claimed, the windows under way end and are yielded, and then the run throws it.
   */
  private stopping: { error: unknown } | undefined;

  constructor(
    context: SendManyContext,
    messages: Iterable<SendInput> | AsyncIterable<SendInput>,
    options: SendManyOptions,
    init: CallInit | undefined,
  ) {
    const concurrency = options.concurrency ?? defaultConcurrency;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw badConcurrency(concurrency);
    this.context = context;
    this.ledger = context.ledger;
    this.onProgress = options.onProgress;
    this.stop = abortOn(options.signal, init?.signal);
    this.callInit = this.stop.signal ? { ...init, signal: this.stop.signal } : init;
    this.slots = pLimit(concurrency);
    this.windowSize = concurrency * Math.max(1, ...context.vendors.map((a) => a.batch?.size ?? 1));
    this.input = inputOf(messages);
    this.progress = {
      done: 0,
      ...(Array.isArray(messages) ? { total: messages.length } : {}),
      accepted: 0,
      rejected: 0,
      unknown: 0,
    };
  }

  /**
   * The run. Each turn reads and checks the next window while the latest one is under way, claims
   * it once that one has its first answer, and yields the oldest window's results once it has
   * ended. It ends when the input is read and every window yielded; or early, on the signal (the
   * abort path after the loop) or on an error that stops it (`stopping`: the windows under way
   * still end and are yielded, and then it is thrown).
   */
  async *results(): AsyncGenerator<SendManyResult, void, undefined> {
    // Read and checked, not yet claimed. Once the run is aborted or stopping it is never claimed:
    // on abort it is canceled and yielded after the windows under way.
    let next: Checked | undefined;
    try {
      for (;;) {
        if (this.going())
          try {
            const window = await this.read();
            next = { window, jobs: [] };
            await this.check(window, next.jobs);
          } catch (error) {
            // The windows under way were sent: their results are yielded before this is thrown.
            this.stopping = { error };
          }
        // Claimed once the latest window has its first answer recorded, as its slots free up:
        // a key claimed is `pending` until answered, so a crash lists it unknown; claiming a whole
        // window earlier would leave that many never-sent messages in doubt.
        await this.underWay.at(-1)?.firstAnswer;
        if (next && next.window.inputs.length > 0 && this.going()) {
          this.underWay.push(this.claimAndDeliver(next));
          next = undefined;
        }
        const oldest = this.underWay[0];
        // Nothing under way and nothing read: the input is done, or the run stopped.
        if (!oldest) break;
        // The window just claimed is the only one under way and there is more to read: read the
        // next while it is sent, rather than wait for it.
        if (this.underWay.length < 2 && !this.exhausted && this.going()) continue;
        await oldest.delivered;
        // Aborted: the windows not yet yielded are settled and yielded by the abort path below.
        if (this.stop.aborted()) break;
        yield* this.takeOldest();
      }
    } finally {
      await this.close();
    }
    if (this.stopping && !this.stop.aborted()) throw this.stopping.error;
    if (!this.stop.aborted()) return;
    const left = this.underWay.map((u) => u.window);
    if (next) left.push(next.window);
    await this.cancel(left);
    const results = left.flatMap((window) => window.settled());
    yield* results;
    const aborted = new SendManyAbortError(results);
    runAborts.add(aborted);
    throw aborted;
  }

  /** Neither aborted nor stopping: more may be read, claimed and sent. */
  private going(): boolean {
    return !this.stop.aborted() && !this.stopping;
  }

  /** The next window: up to `windowSize` messages, fewer when the input ends (then `exhausted`) or the signal fires. */
  private async read(): Promise<Window> {
    const inputs: SendInput[] = [];
    while (!this.exhausted && inputs.length < this.windowSize && !this.stop.aborted()) {
      const item = await this.stop.race(this.input.next());
      if (item === aborted) break;
      if (item.done) this.exhausted = true;
      else inputs.push(item.value);
    }
    const window = new Window(this.readCount, inputs);
    this.readCount += inputs.length;
    return window;
  }

  /** Checks and costs a window's messages into `jobs`; the ones that fail are answered at once, unsent. */
  private async check(window: Window, jobs: Job[]): Promise<void> {
    for (const [i, input] of window.inputs.entries()) {
      // A window's checks take milliseconds of CPU: the replies of the window under way are read
      // between slices of them, so its slots are handed on without waiting for the whole window.
      if (i % checkSlice === checkSlice - 1) await new Promise(setImmediate);
      if (this.stop.aborted()) break;
      const index = window.first + i;
      const key = this.keyOf(input, index);
      try {
        if (typeof input !== 'object' || input === null)
          throw new ValidationError({
            vendor: 'sms',
            operation: 'sendMany',
            issues: [{ path: String(index), message: 'must be a message object' }],
          });
        jobs.push({ index, message: this.context.check(input, key), step: 0 });
      } catch (error) {
        if (!(error instanceof ValidationError || error instanceof UnsupportedError)) throw error;
        this.setFailure(window, index, key, typeof input?.to === 'string' ? input.to : '', error);
      }
    }
  }

  /** Claims a checked window and delivers it. */
  private claimAndDeliver({ window, jobs: checked }: Checked): UnderWay {
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const delivered = this.claim(window, checked)
      .then((jobs) => this.deliver(window, jobs, answered))
      .finally(answered);
    return { window, firstAnswer, delivered };
  }

  /** Claims a window's checked messages in the ledger; the ones it already has are answered from it. */
  private async claim(window: Window, checked: readonly Job[]): Promise<Job[]> {
    // All claims of a window at once: a shared ledger (Redis) then answers them in one round
    // trip. They start in input order, so of two messages with one key the first still wins.
    const claims = await Promise.all(
      checked.map(({ message }) =>
        this.ledger
          .claim(message.key, { fingerprint: message.fingerprint, resendUnknown: message.input.resendUnknown })
          .then(
            (previous) => ({ previous }),
            (error: unknown) => ({ error: claimFailure(message.key, 'sendMany', error) }),
          ),
      ),
    );
    const jobs: Job[] = [];
    for (const [i, job] of checked.entries()) {
      const claim = claims[i]!;
      if ('error' in claim) {
        this.failJob(window, job, claim.error);
        continue;
      }
      if (claim.previous) {
        try {
          this.setResult(window, job.index, { status: 'accepted', ...replay(job.message, claim.previous) });
        } catch (error) {
          this.failJob(window, job, error as SendError);
        }
        continue;
      }
      window.claimed.set(job.index, job);
      jobs.push(job);
    }
    // Some were answered without a request (refused by the checks, or from the ledger): reported
    // now; the others are as their requests are recorded.
    if (jobs.length < window.inputs.length) this.report();
    return jobs;
  }

  /**
   * Sends a window's claimed jobs, moving certain refusals to their next vendor, until each has an
   * outcome. `answered` is called after each request is recorded; only its first call counts.
   * After an abort, the jobs not yet handed to a vendor stay in the window's `claimed`, where
   * `cancel` records them canceled.
   */
  private async deliver(window: Window, jobs: Job[], answered: () => void): Promise<void> {
    while (jobs.length > 0 && !this.stop.aborted()) {
      const failover = await Promise.all(
        groupRequests(jobs).map(async (request) => {
          // The slot is free again once the reply is in: the next request need not wait for
          // its outcomes to be recorded.
          const items = await this.slots(() => (this.stop.aborted() ? undefined : this.callVendor(request)));
          if (!items) return [];
          const refused = await this.recordOrFailOver(window, request, items);
          answered();
          return refused;
        }),
      );
      jobs = failover.flat().sort((a, b) => a.index - b.index);
    }
  }

  /** One vendor request: an item per job, the request's own failure copied to each. */
  private async callVendor({ adapter, jobs }: VendorRequest): Promise<BatchItem[]> {
    const messages = jobs.map((job) => outgoing(job.message, job.step));
    try {
      if (!adapter.batch) return [await adapter.send(messages[0]!, this.callInit)];
      const items = await adapter.batch.send(messages, this.callInit);
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

  /**
   * A request's answers: each job this vendor certainly refused that has a next vendor fails over
   * (returned, moved on to it, nothing recorded); every other outcome is recorded in the ledger,
   * all at once (a shared ledger, Redis, takes them in one round trip), then in the results, and
   * reported.
   */
  private async recordOrFailOver(
    window: Window,
    { adapter, jobs }: VendorRequest,
    items: readonly BatchItem[],
  ): Promise<Job[]> {
    const refused: Job[] = [];
    const answered: { job: Job; result: SendResult }[] = [];
    const failures: { job: Job; error: SendError }[] = [];
    const records: Promise<void>[] = [];
    for (const [i, job] of jobs.entries()) {
      const item = items[i]!;
      const { key } = job.message;
      if (!('error' in item)) {
        const result = acceptedResult(job.message, job.step, item.messageId);
        records.push(recordOutcome(this.ledger, key, sentEntry(job.message, result)));
        answered.push({ job, result });
        continue;
      }
      const operation = (item.error as { operation?: unknown }).operation;
      const error = classify(adapter, typeof operation === 'string' ? operation : 'send', item.error, key);
      // Only a certain refusal may go to the next vendor, as in `send`.
      const to = error.outcome === 'notAccepted' ? job.message.vendors[job.step + 1]?.adapter.vendor : undefined;
      decided(this.context.logger, 'sendMany', adapter.vendor, to, error);
      if (to) {
        refused.push({ ...job, step: job.step + 1 });
        continue;
      }
      records.push(recordOutcome(this.ledger, key, failedEntry(job.message, error)));
      failures.push({ job, error });
    }
    await Promise.all(records);
    for (const { job, result } of answered) this.setResult(window, job.index, { status: 'accepted', ...result });
    for (const { job, error } of failures) this.failJob(window, job, error);
    this.report();
    return refused;
  }

  /** A message's result, in its window; counted in the progress. */
  private setResult(window: Window, index: number, result: SendManyResult): void {
    window.answer(index, result);
    this.progress.done++;
    this.progress[result.status]++;
  }

  /** The result of a message that was not accepted: `unknown` when it may have been sent, else `rejected`. */
  private setFailure(window: Window, index: number, key: string, to: string, error: SmswireError): void {
    const reason = error instanceof SendError ? error.reason : 'validation';
    const status = error instanceof SendError && error.outcome === 'unknown' ? 'unknown' : 'rejected';
    const replayed = error instanceof SendError && error.replayed ? { replayed: true as const } : {};
    this.setResult(window, index, { status, id: key, to, reason, error, ...replayed });
  }

  /** `setFailure` for a checked message: its key and number are the checked ones. */
  private failJob(window: Window, job: Job, error: SendError): void {
    this.setFailure(window, job.index, job.message.key, job.message.e164, error);
  }

  /** `onProgress` with the counts so far; what it throws stops the run once the requests under way are recorded. */
  private report(): void {
    if (!this.onProgress || this.stopping) return;
    try {
      this.onProgress({ ...this.progress });
    } catch (error) {
      // Stop after the requests under way are recorded: throwing now would leave them unrecorded.
      this.stopping = { error };
    }
  }

  /** The oldest window's results, once it has ended; the window is dropped from the run's state. */
  private takeOldest(): SendManyResult[] {
    return this.underWay.shift()!.window.settled();
  }

  /** However the run ends (a consumer's `return`, a throw), no request is left unrecorded behind it. */
  private async close(): Promise<void> {
    await Promise.all(this.underWay.map((u) => u.delivered.catch(() => undefined)));
    this.stop.release();
    // Closes an input left part-read; not awaited: a generator stuck in an await would never return.
    if (!this.exhausted) Promise.resolve(this.input.return?.()).catch(() => undefined);
  }

  /**
   * After the signal fired, each window not yet yielded is settled: its messages claimed but never
   * handed to a vendor are certainly not sent, so recorded `canceled` and their keys free again;
   * the ones read but never claimed are `canceled` too.
   */
  private async cancel(windows: readonly Window[]): Promise<void> {
    const error = new AbortError({ vendor: 'sms', operation: 'sendMany' });
    for (const window of windows) {
      // `answer` deletes each entry as it is visited, which a Map's iteration allows.
      for (const job of window.claimed.values()) {
        const canceled = new SendError({
          vendor: 'sms',
          operation: 'sendMany',
          outcome: 'notAccepted',
          reason: 'canceled',
          key: job.message.key,
          message: 'sendMany was aborted before this message was sent',
          cause: error,
        });
        await recordOutcome(this.ledger, job.message.key, failedEntry(job.message, canceled));
        this.failJob(window, job, canceled);
      }
      for (const [i, given] of window.inputs.entries()) {
        if (window.results[i]) continue;
        this.setResult(window, window.first + i, {
          status: 'rejected',
          id: this.keyOf(given, window.first + i),
          to: typeof given?.to === 'string' ? given.to : '',
          reason: 'canceled',
          error,
        });
      }
    }
    this.report();
  }

  /** The message's idempotency key, or one made of the run's ID and its position. */
  private keyOf(input: SendInput | undefined, index: number): string {
    return input?.idempotencyKey ?? `${this.runId}:${index}`;
  }
}

const badConcurrency = (concurrency: unknown) =>
  new ValidationError({
    vendor: 'sms',
    operation: 'sendMany',
    issues: [{ path: 'concurrency', message: `must be a whole number, at least 1 (got ${String(concurrency)})` }],
  });

/** The input as an async iterator, whatever iterable it is. */
function inputOf(messages: Iterable<SendInput> | AsyncIterable<SendInput>): AsyncIterator<SendInput> {
  if (Symbol.asyncIterator in messages) return messages[Symbol.asyncIterator]();
  const sync = messages[Symbol.iterator]();
  return {
    next: async () => sync.next(),
    return: async () => sync.return?.() ?? { done: true, value: undefined },
  };
}
