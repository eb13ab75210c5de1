import { advance, type MessageStatus } from './states.js';

/**
 * Where the report endpoint keeps what it applied, as plain text values under keys. `swap` is
 * the one atomic step: it writes `next` (a missing value deletes the key) only if every key still
 * holds `expected`, and says whether it did. That compare-and-set is all a backend provides;
 * which report wins is decided once, in `applyReport`, by the forward-only rule of states.ts.
 */
export interface ReportStore {
  read(keys: readonly string[]): Promise<(string | undefined)[]>;
  swap(
    keys: readonly string[],
    expected: readonly (string | undefined)[],
    next: readonly (string | undefined)[],
  ): Promise<boolean>;
}

/**
 * What became of a report: `applied` (a change: `onReport` hears of it), `duplicate` (the message
 * is already in that state), `stale` (it has moved past it: a late `sent`), `contradicts` (a
 * final state other than the final one applied, which the vendor never sends: a replayed URL
 * with its status changed), or `otherMessage` (its URL was made for another message).
 */
export type ApplyOutcome =
  | { outcome: 'applied'; status: MessageStatus; undo(): Promise<void> }
  | { outcome: 'duplicate' | 'stale'; status: MessageStatus }
  | { outcome: 'contradicts' | 'otherMessage' };

interface Stored {
  ref: string;
  status: Omit<MessageStatus, 'at'> & { at?: string };
}

/** `at` is written by its `toJSON` (ISO 8601) and left out when undefined: no copy of the status is made. */
function encode(ref: string, status: MessageStatus): string {
  return JSON.stringify({ ref, status });
}

function decode(text: string): Stored & { message: MessageStatus } {
  const stored = JSON.parse(text) as Stored;
  const { at, ...rest } = stored.status;
  return { ...stored, message: { ...rest, ...(at ? { at: new Date(at) } : {}) } };
}

/** Attempts at a swap before giving up: each lost one means another process applied a report of the message meanwhile. */
const maxAttempts = 16;

/**
 * Applies one report that came through the URL made for `ref`. The first report through a URL
 * binds it to that message ID both ways: afterwards the URL speaks for no other message, and the
 * message hears from no other URL. Applying is forward-only and idempotent, so the same report
 * twice is applied once and a late `sent` never replaces `delivered`.
 */
export async function applyReport(store: ReportStore, ref: string, report: MessageStatus): Promise<ApplyOutcome> {
  const keys = [`message:${report.vendor}:${report.messageId}`, `ref:${ref}`];
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const [messageText, boundId] = await store.read(keys);
    const current = messageText === undefined ? undefined : decode(messageText);
    if ((current && current.ref !== ref) || (boundId !== undefined && boundId !== report.messageId))
      return { outcome: 'otherMessage' };
    const next = advance(current?.message, report);
    if (current && next !== report) {
      if (current.message.state === report.state) return { outcome: 'duplicate', status: current.message };
      if (current.message.final && report.final) return { outcome: 'contradicts' };
      return { outcome: 'stale', status: current.message };
    }
    const before = [messageText, boundId];
    const after = [encode(ref, next), report.messageId];
    if (await store.swap(keys, before, after))
      return { outcome: 'applied', status: next, undo: async () => void (await store.swap(keys, after, before)) };
  }
  throw new Error('report store: the message kept changing under this report; try again');
}

/** The applied state of a message, as the endpoint last recorded it. */
export async function appliedStatus(store: ReportStore, vendor: string, messageId: string) {
  const [text] = await store.read([`message:${vendor}:${messageId}`]);
  return text === undefined ? undefined : decode(text).message;
}

/** The applied states of many messages in one read (one round trip for Redis), in the order given. */
export async function appliedStatuses(
  store: ReportStore,
  messages: readonly { vendor: string; messageId: string }[],
): Promise<(MessageStatus | undefined)[]> {
  const texts = await store.read(messages.map((m) => `message:${m.vendor}:${m.messageId}`));
  return texts.map((text) => (text === undefined ? undefined : decode(text).message));
}

/** A store for one process, forgotten on exit: tests, and an endpoint whose vendor never repeats a report. */
export function memoryReportStore(): ReportStore {
  const values = new Map<string, string>();
  return {
    async read(keys) {
      return keys.map((key) => values.get(key));
    },
    async swap(keys, expected, next) {
      return swapIn(values, keys, expected, next);
    },
  };
}

/** Applies a swap to `values` when it holds: shared by the stores that keep a copy in memory. */
export function swapIn(
  values: Map<string, string>,
  keys: readonly string[],
  expected: readonly (string | undefined)[],
  next: readonly (string | undefined)[],
): boolean {
  if (keys.some((key, i) => values.get(key) !== expected[i])) return false;
  for (const [i, key] of keys.entries()) {
    const value = next[i];
    if (value === undefined) values.delete(key);
    else values.set(key, value);
  }
  return true;
}
