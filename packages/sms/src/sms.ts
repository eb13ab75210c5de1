import type { CallInit, Logger, PrepareInit } from '@smswire/core';
import { parentEvent, resolveLogger, traced } from '@smswire/core/internal';
import { ValidationError } from '@smswire/core/errors';
import type { Adapter, Balance, Capabilities, PreparedSend } from './adapter.js';
import { classify } from './classify.js';
import { type SendError, UnsupportedError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import { memoryLedger, namespaced, type Ledger } from './ledger.js';
import { parseNumber, type CountryCode, type NumberWarning } from './numbers.js';
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
import { decided, sendChannel, stateChannel, type SendEvent } from './observe.js';
import { noReportCallback, type ReportRequest } from './reports.js';
import { segments, type Encoding } from './segments.js';
import { sendEach, sendMany } from './send-many.js';
import type { SendInput, SendManyOptions, SendManyResult, SendResult } from './send-types.js';
import { advance, type MessageStatus } from './states.js';
import { inbound, type Inbound, type InboundOptions } from './inbound.js';
import type { track as Track, TrackedMessage, TrackOptions } from './track.js';
import type { VendorId } from './vendors.js';

export interface SmsOptions {
  /** Adapters in order of preference: `[sms365({ key }), dreams({ … })]`. */
  vendors: readonly Adapter[];
  /**
   * Which vendor a send tries next when one certainly did not take it (`notAccepted`):
   * `'sticky'` (default) always starts with the first, `'roundRobin'` starts each send with the
   * next vendor, `false` never tries another. An `unknown` outcome never moves on.
   */
  failover?: 'sticky' | 'roundRobin' | false;
  /**
   * Idempotency records; in memory by default (`@smswire/sms/file-ledger` keeps them on disk,
   * `@smswire/sms/redis-ledger` shares them between processes and machines).
   */
  ledger?: Ledger;
  /**
   * Keys of this namespace (a campaign) are apart from every other's in the ledger: stored as
   * `<namespace>:<key>` (a `%` or `:` in the namespace written `%25`, `%3A`), so two campaigns
   * reusing customer IDs as keys never answer each other. Results and errors show the key alone.
   */
  namespace?: string | undefined;
  /** Country of numbers written without their country code. */
  defaultCountry?: CountryCode;
  /** Most parts one send may cost (default 10); a longer text is refused before sending. */
  maxParts?: number;
  /**
   * Logs each failover decision and why (`info`), each send accepted and each delivery state
   * change (`debug`); never a number, a text or a key. Anything with `debug`/`info`/`warn`/`error`;
   * without it, `SMSWIRE_LOG=debug|info|warn` logs to `console.error`. The vendor clients take
   * their own `logger` option for their calls.
   */
  logger?: Logger | undefined;
  /** Called for numbers that are possible but in no known mobile range; they are still sent. */
  onWarning?: (warning: NumberWarning) => void;
}

export interface Sms {
  send(input: SendInput, init?: CallInit): Promise<SendResult>;
  /**
   * What `send` would do first, without doing it: the vendor it would try, that vendor's
   * operation and the request `fetch` would receive (credentials masked unless
   * `revealCredentials`), and the vendors a certain refusal would move on to. Bad input is
   * refused as `send` refuses it; the ledger is not read.
   */
  prepare(input: SendInput, init?: PrepareInit): Promise<PreparedMessage>;
  /**
   * Many messages, through each vendor's batch operation where it has one; one result per
   * message, in input order. An async iterable is read a window at a time.
   */
  sendMany(
    messages: Iterable<SendInput> | AsyncIterable<SendInput>,
    options?: SendManyOptions,
    init?: CallInit,
  ): Promise<SendManyResult[]>;
  /**
   * `sendMany`, one result at a time: each window's results, in input order, once it has ended,
   * with at most the next window read. For inputs too long to hold their results in memory (a
   * file of a million rows).
   */
  sendEach(
    messages: Iterable<SendInput> | AsyncIterable<SendInput>,
    options?: SendManyOptions,
    init?: CallInit,
  ): AsyncIterable<SendManyResult>;
  /** The delivery state; a final state is remembered and returned without asking again. */
  status(messageId: string, options?: { vendor?: VendorId }, init?: CallInit): Promise<MessageStatus>;
  /** A delivery-report callback, folded into what `status` remembers. */
  report(vendor: VendorId, request: ReportRequest): MessageStatus;
  /**
   * The polling counterpart of `report`: asks each vendor that can (sms365's `statusGet`), or the
   * one named, for the delivery states changed since the last poll, folds them into what `status`
   * remembers (states only move forward) and returns each message's state after that. The vendor
   * hands each change over once: the poll is never repeated by the library, so a reply lost on
   * the way loses those changes (read them with `status`).
   */
  pollReports(options?: { vendor?: VendorId }, init?: CallInit): Promise<MessageStatus[]>;
  balance(options?: { vendor?: VendorId }, init?: CallInit): Promise<Balance[]>;
  /**
   * Follows accepted messages until each is final, yielding every change of state (merged with
   * what `report`, `status` and the report endpoint's store received); at the deadline the rest
   * are yielded as `noFinalReport`. See docs/guides/delivery-reports.md, "Tracking until final".
   */
  track(messages: Iterable<TrackedMessage>, options?: TrackOptions, init?: CallInit): AsyncIterable<MessageStatus>;
  /**
   * The replies sent to your numbers, from every vendor that can read them (SMS Leads'
   * `incoming`), each once, window by window from the cursor you persisted; with `follow`, as
   * they arrive. See docs/guides/delivery-reports.md, "Replies".
   */
  inbound(options?: InboundOptions, init?: CallInit): Inbound;
  capabilities(): Partial<Record<VendorId, Capabilities>>;
}

/** `sms.prepare`'s answer. */
export interface PreparedMessage extends PreparedSend {
  vendor: VendorId;
  /** The number in E.164, as the send would take it. */
  to: string;
  encoding: Encoding;
  parts: number;
  /** The vendors tried next, in order, if this one certainly does not take the message. */
  failover: VendorId[];
}

export function createSms(options: SmsOptions): Sms {
  const adapters = [...options.vendors];
  if (adapters.length === 0)
    throw new ValidationError({
      vendor: 'sms',
      operation: 'createSms',
      issues: [{ path: 'vendors', message: 'needs at least one adapter' }],
    });
  if (options.namespace !== undefined && (typeof options.namespace !== 'string' || options.namespace === ''))
    throw new ValidationError({
      vendor: 'sms',
      operation: 'createSms',
      issues: [{ path: 'namespace', message: 'must be a non-empty string' }],
    });
  const base = options.ledger ?? memoryLedger();
  const ledger = underWayHere(options.namespace === undefined ? base : namespaced(base, options.namespace));
  const failover = options.failover ?? 'sticky';
  const maxParts = options.maxParts ?? 10;
  const logger = resolveLogger(options.logger);
  const known = new Map<string, MessageStatus>();
  /** Where `roundRobin` starts the next send's list of vendors. */
  let rotation = 0;
  // A key for each send without one: this Sms's UUID and a count. A UUID each is a tree of 20
  // string pieces that the ledger keeps as long as the key: twice the heap of a key of its own.
  const instance = globalThis.crypto.randomUUID();
  let sends = 0;

  const refuse = (path: string, message: string) =>
    new ValidationError({ vendor: 'sms', operation: 'send', issues: [{ path, message }] });
  const adapterFor = (vendor: VendorId | undefined, capability: string): Adapter => {
    const adapter = vendor
      ? adapters.find((a) => a.vendor === vendor)
      : adapters.length === 1
        ? adapters[0]
        : undefined;
    if (!adapter)
      throw refuse(
        'vendor',
        vendor ? `${vendor} is not configured` : `name the vendor: several are configured (${capability})`,
      );
    return adapter;
  };
  const remember = (report: MessageStatus) => {
    const id = `${report.vendor}:${report.messageId}`;
    const before = known.get(id);
    const merged = advance(before, report);
    known.set(id, merged);
    if (merged.state !== before?.state) {
      logger?.debug(`sms state: a ${merged.vendor} message is ${merged.state}`);
      stateChannel?.publish({ vendor: merged.vendor, state: merged.state, final: merged.final });
    }
    return merged;
  };

  /** The vendors to try, in order, that can carry this message at all. */
  function candidates(input: SendInput, country: CountryCode | undefined, turn = true): Adapter[] {
    const start = failover === 'roundRobin' ? (turn ? rotation++ : rotation) % adapters.length : 0;
    const ordered = [...adapters.slice(start), ...adapters.slice(0, start)];
    const able = ordered.filter(
      (a) =>
        (!input.at || a.capabilities.schedule) &&
        (!input.flash || a.capabilities.flash) &&
        (!a.capabilities.countries || (country !== undefined && a.capabilities.countries.includes(country))),
    );
    if (able.length === 0) {
      const wants = [input.at && 'scheduling', input.flash && 'flash SMS', 'this destination']
        .filter(Boolean)
        .join(', ');
      throw new UnsupportedError(
        adapters.map((a) => a.vendor).join(', '),
        'send',
        `no configured vendor supports ${wants}`,
      );
    }
    return failover === false ? able.slice(0, 1) : able;
  }

  /** A message checked and costed for each vendor that can carry it; throws before anything is sent. */
  function check(input: SendInput, key: string, turn?: boolean): CheckedMessage {
    if (typeof input.text !== 'string' || !/\S/.test(input.text)) throw refuse('text', 'must not be blank');
    if (input.at !== undefined && !(input.at instanceof Date && !Number.isNaN(input.at.getTime())))
      throw refuse('at', 'must be a valid Date');
    const { e164, country } = parseNumber(input.to, { country: options.defaultCountry, onWarning: options.onWarning });
    const limit = input.maxParts ?? maxParts;
    const vendors = candidates(input, country, turn).map((adapter) => ({
      adapter,
      cost: segments(input.text, { vendor: adapter.vendor, flash: input.flash }),
    }));
    const affordable = vendors.filter((v) => v.cost.parts <= limit);
    if (affordable.length === 0)
      throw refuse('text', `would cost ${vendors[0]!.cost.parts} parts, more than maxParts (${limit})`);
    return { input, key, e164, fingerprint: fingerprint(e164, input), vendors: affordable };
  }

  async function send(input: SendInput, init?: CallInit): Promise<SendResult> {
    const message = check(input, input.idempotencyKey ?? `${instance}:${++sends}`);
    // The event is only built for a subscriber (observe.ts).
    if (!sendChannel?.hasSubscribers) return deliver(message, input, init);
    const [{ cost }] = message.vendors as [CheckedMessage['vendors'][number]];
    const event: SendEvent = {
      vendors: message.vendors.map((v) => v.adapter.vendor),
      parts: cost.parts,
      encoding: cost.encoding,
      failovers: 0,
    };
    // Its attempts' `smswire:call` events name it as their parent.
    const traceInit = { ...init, [parentEvent]: event };
    return traced(sendChannel, event, () => deliver(message, input, traceInit, event));
  }

  async function deliver(
    message: CheckedMessage,
    input: SendInput,
    init: CallInit | undefined,
    event?: SendEvent,
  ): Promise<SendResult> {
    const previous = await ledger
      .claim(message.key, { fingerprint: message.fingerprint, resendUnknown: input.resendUnknown })
      .catch((error: unknown) => {
        throw claimFailure(message.key, 'send', error);
      });
    if (previous) {
      if (event) event.outcome = 'replayed';
      return replay(message, previous);
    }

    let last: SendError | undefined;
    for (const [step, { adapter }] of message.vendors.entries()) {
      let messageId: string | undefined;
      try {
        ({ messageId } = await adapter.send(outgoing(message, step), init));
      } catch (error) {
        const operation = (error as { operation?: unknown }).operation;
        last = classify(adapter, typeof operation === 'string' ? operation : 'send', error, message.key);
        // Only a certain refusal may go to the next vendor: anything else may already be on its way.
        const to = last.outcome === 'notAccepted' ? message.vendors[step + 1]?.adapter.vendor : undefined;
        decided(logger, 'send', adapter.vendor, to, last, event);
        if (to === undefined) break;
        continue;
      }
      // Outside the try: nothing after the vendor's acceptance may count as its refusal.
      const result = acceptedResult(message, step, messageId);
      await recordOutcome(ledger, message.key, sentEntry(message, result));
      logger?.debug(`sms send: accepted by ${adapter.vendor} (${result.parts} parts, ${result.encoding})`);
      if (event)
        Object.assign(event, {
          vendor: adapter.vendor,
          outcome: 'accepted',
          encoding: result.encoding,
          parts: result.parts,
        });
      return result;
    }
    await recordOutcome(ledger, message.key, failedEntry(message, last!));
    if (event) Object.assign(event, { vendor: last!.vendor, outcome: last!.outcome, reason: last!.reason });
    throw last!;
  }

  return {
    send,
    async prepare(input, init) {
      // Not the round-robin's turn: nothing is sent.
      const message = check(input, input.idempotencyKey ?? globalThis.crypto.randomUUID(), false);
      const [first, ...rest] = message.vendors;
      const { adapter, cost } = first!;
      if (!adapter.prepare)
        throw new UnsupportedError(adapter.vendor, 'prepare', 'the adapter cannot build a request unsent');
      return {
        vendor: adapter.vendor,
        to: message.e164,
        ...(await adapter.prepare(outgoing(message, 0), init)),
        encoding: cost.encoding,
        parts: cost.parts,
        failover: rest.map((v) => v.adapter.vendor),
      };
    },
    sendMany: (messages, manyOptions, init) =>
      sendMany({ vendors: adapters, ledger, check, logger }, messages, manyOptions, init),
    sendEach: (messages, manyOptions, init) =>
      sendEach({ vendors: adapters, ledger, check, logger }, messages, manyOptions, init),
    async status(messageId, statusOptions = {}, init) {
      const adapter = adapterFor(statusOptions.vendor, 'status');
      const cached = known.get(`${adapter.vendor}:${messageId}`);
      if (cached?.final) return cached;
      if (!adapter.status) throw new UnsupportedError(adapter.vendor, 'status', 'the vendor has no status read');
      return remember(await adapter.status(messageId, init));
    },
    report(vendor, request) {
      const adapter = adapterFor(vendor, 'report');
      if (!adapter.parseReport) throw noReportCallback(adapter.vendor);
      return remember(adapter.parseReport(request));
    },
    async pollReports(pollOptions = {}, init) {
      const pollers = pollOptions.vendor
        ? [adapterFor(pollOptions.vendor, 'pollReports')]
        : adapters.filter((a) => a.pollReports);
      if (!pollers[0]?.pollReports)
        throw new UnsupportedError(
          pollOptions.vendor ?? adapters.map((a) => a.vendor).join(', '),
          'pollReports',
          'no delivery-report poll (only sms365 has one, statusGet)',
        );
      const polled = await Promise.all(pollers.map((a) => a.pollReports!(init)));
      // A message reported twice in one reply is returned once, as it stands after both.
      const latest = new Map<string, MessageStatus>();
      for (const report of polled.flat()) latest.set(`${report.vendor}:${report.messageId}`, remember(report));
      return [...latest.values()];
    },
    async balance(balanceOptions = {}, init) {
      if (balanceOptions.vendor) {
        const adapter = adapterFor(balanceOptions.vendor, 'balance');
        if (!adapter.balance) throw new UnsupportedError(adapter.vendor, 'balance', 'the vendor has no balance read');
        return [await adapter.balance(init)];
      }
      return Promise.all(adapters.filter((a) => a.balance).map((a) => a.balance!(init)));
    },
    track: (messages, trackOptions, init) =>
      tracked(
        { vendors: adapters, remember, known: (vendor, messageId) => known.get(`${vendor}:${messageId}`) },
        messages,
        trackOptions,
        init,
      ),
    inbound(inboundOptions, init) {
      if (!adapters.some((a) => a.inbound))
        throw new UnsupportedError(
          adapters.map((a) => a.vendor).join(', '),
          'inbound',
          'no configured vendor reads replies (SMS Leads does, with incoming)',
        );
      return inbound(adapters, inboundOptions, init);
    },
    capabilities() {
      return Object.fromEntries(adapters.map((a) => [a.vendor, a.capabilities]));
    },
  };
}

/**
 * The ledger, knowing which keys this `Sms` has claimed and not yet recorded: those are under way
 * here, so `resendUnknown` never claims them again (it is for sends that ended without an answer).
 */
function underWayHere(ledger: Ledger): Ledger {
  const underWay = new Set<string>();
  return {
    async claim(key, claim = {}) {
      const here = underWay.has(key);
      underWay.add(key);
      try {
        const previous = await ledger.claim(key, { ...claim, resendUnknown: claim.resendUnknown === true && !here });
        if (previous !== undefined && !here) underWay.delete(key);
        return previous;
      } catch (error) {
        if (!here) underWay.delete(key);
        throw error;
      }
    },
    async record(key, entry) {
      try {
        await ledger.record(key, entry);
      } finally {
        underWay.delete(key);
      }
    },
    get: (key) => ledger.get(key),
  };
}

/**
 * `track`, loaded when a tracking first starts, so a sender that never tracks never loads it
 * (docs/ARCHITECTURE.md, "Packaging"). `track` is an async generator: its body runs on the first
 * `next()` as it did before, and so does this one's.
 */
async function* tracked(...args: Parameters<typeof Track>): AsyncGenerator<MessageStatus> {
  const { track } = await import('./track.js');
  yield* track(...args);
}
