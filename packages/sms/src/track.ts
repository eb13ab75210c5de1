import type { CallInit } from '@smswire/core';
import { HttpError, TimeoutError, TransportError, VendorError } from '@smswire/core/errors';
import type { Adapter } from './adapter.js';
import { appliedStatuses, type ReportStore } from './report-store.js';
import { status, type MessageStatus, type State } from './states.js';
import { abortableSleep } from './abort-signals.js';
import type { VendorId } from './vendors.js';

/** A message to follow: a `send` result, or a journal row with the state it last had. */
export interface TrackedMessage {
  vendor: VendorId;
  messageId: string;
  /** The state already known (a resumed campaign): only a change from it is yielded. */
  state?: State | undefined;
}

export interface TrackOptions {
  /**
   * When to stop asking. The messages still not final then are yielded once as `noFinalReport`.
   * Default: 48 hours from the start.
   */
  deadline?: Date | undefined;
  /** The wait before the first read, in ms (default 30 s); it doubles after each round. */
  interval?: number | undefined;
  /** The longest wait between rounds, in ms (default 10 minutes). */
  maxInterval?: number | undefined;
  /**
   * The report endpoint's store (`@smswire/sms/report-endpoint`): each round reads what it has
   * applied before asking any vendor, so a message its callback made final is never asked for.
   */
  reports?: ReportStore | undefined;
  /** Most one-message reads at once (DiniSoft, and sms365's last round); default 8. */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The clock, in ms since the epoch; tests pass their own. */
  now?: (() => number) | undefined;
  /** The wait between rounds; tests pass their own. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

export interface TrackContext {
  vendors: readonly Adapter[];
  /** Folds a report into what the `Sms` knows and returns the message's state after it. */
  remember(report: MessageStatus): MessageStatus;
  /** What the `Sms` already knows of a message (`report`, `status`). */
  known(vendor: VendorId, messageId: string): MessageStatus | undefined;
}

interface Entry {
  vendor: VendorId;
  messageId: string;
  state: State | undefined;
  vendorStatus: string;
}

const hour = 3_600_000;
/** The store is read in pieces of this many messages. */
const storeChunk = 1000;

/**
 * Follows messages until each is final, yielding every change of state. A round asks each vendor
 * the cheapest way it can: sms365 one `statusGet` poll for all its messages (the vendor hands each
 * change over once, and every message is asked by `statusSms` in the last round, so none is
 * given up on for a change handed to someone else), SMS Leads `dlr` for up to 1,000 IDs a
 * request, DiniSoft one read a message (it answers a message once: a message it can no longer
 * say anything about is `noFinalReport` at once). Rounds back off from `interval` to
 * `maxInterval`; at the deadline what is still open is `noFinalReport`.
 */
export async function* track(
  context: TrackContext,
  messages: Iterable<TrackedMessage>,
  options: TrackOptions = {},
  init: CallInit = {},
): AsyncGenerator<MessageStatus> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const signal = options.signal ?? init.signal ?? undefined;
  const deadline = options.deadline?.getTime() ?? now() + 48 * hour;
  const maxInterval = options.maxInterval ?? 600_000;
  const concurrency = options.concurrency ?? 8;
  let wait = options.interval ?? 30_000;
  const callInit: CallInit = signal ? { ...init, signal } : init;

  const open = new Map<string, Entry>();
  for (const m of messages) {
    if (m.state && status(m.vendor, m.messageId, m.state, '').final) continue;
    open.set(`${m.vendor}:${m.messageId}`, {
      vendor: m.vendor,
      messageId: m.messageId,
      state: m.state,
      vendorStatus: '',
    });
  }

  /** Applies reports to the open messages; returns the changes, each message's state after all. */
  const apply = (reports: Iterable<MessageStatus | undefined>): MessageStatus[] => {
    const changes = new Map<string, MessageStatus>();
    for (const report of reports) {
      if (!report) continue;
      const id = `${report.vendor}:${report.messageId}`;
      const entry = open.get(id);
      if (!entry) continue;
      const merged = context.remember(report);
      if (merged.state === entry.state || merged.state === 'noFinalReport') continue;
      entry.state = merged.state;
      entry.vendorStatus = merged.vendorStatus;
      changes.set(id, merged);
      if (merged.final) open.delete(id);
    }
    return [...changes.values()];
  };

  /** What arrived without asking any vendor: `sms.report`, `status`, the endpoint's store. */
  const received = async (): Promise<MessageStatus[]> => {
    const entries = [...open.values()];
    const changes = apply(entries.map((e) => context.known(e.vendor, e.messageId)));
    if (options.reports)
      for (let i = 0; i < entries.length; i += storeChunk) {
        const chunk = entries.slice(i, i + storeChunk).filter((e) => open.has(`${e.vendor}:${e.messageId}`));
        changes.push(...apply(await appliedStatuses(options.reports, chunk)));
      }
    return changes;
  };

  yield* await received();
  while (open.size > 0) {
    const last = now() + wait >= deadline;
    await sleep(Math.max(0, Math.min(wait, deadline - now())), signal);
    wait = Math.min(wait * 2, maxInterval);
    yield* await received();
    for (const adapter of context.vendors) {
      const entries = [...open.values()].filter((e) => e.vendor === adapter.vendor);
      if (entries.length > 0) yield* await ask(adapter, entries, last);
    }
    if (last) break;
  }
  for (const entry of open.values())
    yield status(
      entry.vendor,
      entry.messageId,
      'noFinalReport',
      entry.vendorStatus || 'no final report by the deadline',
    );

  async function ask(adapter: Adapter, entries: Entry[], last: boolean): Promise<MessageStatus[]> {
    const changes: MessageStatus[] = [];
    if (adapter.pollReports) {
      changes.push(...apply(await transient(() => adapter.pollReports!(callInit), [])));
      if (!last) return changes;
      entries = entries.filter((e) => open.has(`${e.vendor}:${e.messageId}`));
    }
    const batch = adapter.statusBatch;
    if (batch) {
      for (let i = 0; i < entries.length; i += batch.size) {
        const ids = entries.slice(i, i + batch.size).map((e) => e.messageId);
        changes.push(...apply(await transient(() => batch.read(ids, callInit), [])));
      }
      return changes;
    }
    if (!adapter.status) return changes;
    let next = 0;
    const worker = async () => {
      while (next < entries.length) {
        const entry = entries[next++]!;
        try {
          changes.push(...apply(await transient(async () => [await adapter.status!(entry.messageId, callInit)], [])));
        } catch (error) {
          if (!(error as { unreadable?: unknown }).unreadable) throw error;
          // The vendor will say nothing more of it (DiniSoft's one answer was not final).
          open.delete(`${entry.vendor}:${entry.messageId}`);
          changes.push(status(entry.vendor, entry.messageId, 'noFinalReport', entry.vendorStatus));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
    return changes;
  }
}

/** A read that failed for a passing reason (after the client's own retries) is asked again next round. */
async function transient<T>(read: () => Promise<T>, instead: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const passing =
      error instanceof TransportError ||
      error instanceof TimeoutError ||
      (error instanceof HttpError && (error.status >= 500 || error.status === 429)) ||
      (error instanceof VendorError && error.retryable);
    if (!passing) throw error;
    return instead;
  }
}
