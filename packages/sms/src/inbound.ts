import type { CallInit } from '@smswire/core';
import { ValidationError } from '@smswire/core/errors';
import type { Adapter, InboundRead } from './adapter.js';

export type { InboundRead, InboundReader } from './adapter.js';
import { abortableSleep } from './abort-signals.js';
import type { VendorId } from './vendors.js';

/** A reply (an SMS sent to one of your numbers), as `inbound()` yields it. */
export interface InboundMessage {
  vendor: VendorId;
  /** The sender's number, as the vendor wrote it. */
  from: string;
  /** Your number it was sent to, as the vendor wrote it. */
  to: string;
  text: string;
  /** When the vendor received it (SMS Leads: to the minute). */
  at: Date;
  /**
   * Stable across reads: the vendor names none, so it is made of the minute, a hash of the
   * sender, number and text, and which of identical messages in that minute it is.
   */
  id: string;
  /** The cursor to persist once this message is handled: a restart from it never yields it again. */
  cursor: string;
}

export interface InboundOptions {
  /** Where an earlier `inbound()` stopped (the last message's `cursor`, or the iterable's `cursor`). */
  cursor?: string | undefined;
  /** Without a cursor, the first replies read are from this time on (default: one window back, 7 days for SMS Leads). */
  since?: Date | undefined;
  /** Keep reading as replies arrive, every `interval` ms (default 60 s), until `signal` aborts. */
  follow?: boolean | undefined;
  interval?: number | undefined;
  /**
   * How far each read goes back before the end of the previous one, in ms (default 10 minutes):
   * a reply the vendor lists a little after its date is read then, and the ones already yielded
   * are known by their ID.
   */
  overlap?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The clock, in ms since the epoch; tests pass their own. */
  now?: (() => number) | undefined;
  /** The wait between reads when following; tests pass their own. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** The replies, read window by window; `cursor` is where reading stands after the last one yielded. */
export interface Inbound extends AsyncIterable<InboundMessage> {
  readonly cursor: string;
}

/** Per vendor: the minute the next read starts at, and the IDs from then on already yielded. */
type Position = { since: number; seen: string[] };
type Positions = Partial<Record<VendorId, Position>>;

const minute = 60_000;
const floorMinute = (ms: number) => Math.floor(ms / minute) * minute;
/** The minute a reply's ID names (its first part), in ms. */
const minuteOf = (id: string) => Number(id.split('-', 1)[0]) * minute;

function parseCursor(cursor: string): Positions {
  const invalid = () =>
    new ValidationError({
      vendor: 'sms',
      operation: 'inbound',
      issues: [{ path: 'cursor', message: 'is not a cursor inbound() made' }],
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) throw invalid();
  const positions: Positions = {};
  for (const [vendor, position] of Object.entries((parsed as { at?: unknown }).at ?? {})) {
    const { since, seen } = (position ?? {}) as Partial<Position>;
    if (!Number.isSafeInteger(since) || !Array.isArray(seen) || !seen.every((s) => typeof s === 'string'))
      throw invalid();
    positions[vendor as VendorId] = { since: since!, seen: [...seen] };
  }
  return positions;
}

const formatCursor = (positions: Positions) => JSON.stringify({ v: 1, at: positions });

/** FNV-1a, 32 bits twice (two offsets): names a message by its content, the same on every read. */
function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/**
 * The replies of every vendor that can read them, each once. A read covers `[since, end]`, whole
 * minutes, and the next read starts `overlap` before `end`: a reply dated in that stretch (the
 * boundary minute above all) but listed after the read is not skipped, and the ones already
 * yielded, which the cursor names, are not yielded again.
 */
export function inbound(vendors: readonly Adapter[], options: InboundOptions = {}, init: CallInit = {}): Inbound {
  const readers = vendors.filter((a) => a.inbound);
  const positions: Positions = options.cursor === undefined ? {} : parseCursor(options.cursor);
  const now = options.now ?? Date.now;
  const signal = options.signal ?? init.signal ?? undefined;
  const callInit: CallInit = signal ? { ...init, signal } : init;
  const sleep = options.sleep ?? abortableSleep;
  const overlap = options.overlap ?? 10 * minute;

  async function* replies(): AsyncGenerator<InboundMessage> {
    for (;;) {
      for (const adapter of readers) {
        const reader = adapter.inbound!;
        const vendor = adapter.vendor;
        positions[vendor] ??= { since: floorMinute(options.since?.getTime() ?? now() - reader.window), seen: [] };
        for (;;) {
          const start = positions[vendor]!.since;
          const caughtUp = floorMinute(now());
          if (caughtUp < start) break;
          const end = Math.min(caughtUp, start + reader.window - minute);
          const read = await reader.read({ from: new Date(start), to: new Date(end) }, callInit);
          const named = name(
            vendor,
            read.filter((r) => r.at.getTime() >= start && r.at.getTime() <= end),
          );
          const position: Position = positions[vendor]!;
          const seen = new Set(position.seen);
          for (const message of named) {
            if (seen.has(message.id)) continue;
            seen.add(message.id);
            position.seen.push(message.id);
            yield { ...message, cursor: formatCursor(positions) };
          }
          // The next read goes back `overlap` before this one's end: a reply the vendor lists late is still read.
          const since = Math.max(start, floorMinute(end - overlap));
          positions[vendor] = { since, seen: position.seen.filter((id) => minuteOf(id) >= since) };
          if (end >= caughtUp) break;
        }
      }
      if (!options.follow) return;
      await sleep(options.interval ?? 60_000, signal);
    }
  }

  const iterable = replies();
  return {
    [Symbol.asyncIterator]: () => iterable,
    get cursor() {
      return formatCursor(positions);
    },
  };
}

/** Names each reply of one read, in time order: identical replies of one minute are told apart by their order. */
function name(vendor: VendorId, read: InboundRead[]): Omit<InboundMessage, 'cursor'>[] {
  const counts = new Map<string, number>();
  return read
    .map((r) => {
      const base = `${Math.floor(r.at.getTime() / minute)}-${contentHash(`${r.from}\n${r.to}\n${r.text}`)}`;
      const n = (counts.get(base) ?? 0) + 1;
      counts.set(base, n);
      return { vendor, from: r.from, to: r.to, text: r.text, at: r.at, id: `${base}-${n}` };
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
