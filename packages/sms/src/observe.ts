import type { Logger } from '@smswire/core';
import { channel, tracingChannel } from '@smswire/core/internal';
import type { Outcome, Reason, SendError } from './errors.js';
import type { Encoding } from './segments.js';
import type { State } from './states.js';
import type { VendorId } from './vendors.js';

/**
 * What `smswire:send` (a tracing channel) publishes about one `send`: the vendors it may try, then
 * how it ended. Never the number, the text or the idempotency key.
 */
export interface SendEvent {
  /** The vendors the send may try, in order. */
  vendors: VendorId[];
  parts: number;
  encoding: Encoding;
  /** The vendor that took the message, or the last one tried. */
  vendor?: VendorId | undefined;
  /** `accepted`, `replayed` (the ledger held the key), or the failure's `notAccepted`/`unknown`. */
  outcome?: 'accepted' | 'replayed' | Outcome | undefined;
  reason?: Reason | undefined;
  /** How many times the send moved on to another vendor. */
  failovers: number;
  /** The failure, set before `error` is published. */
  error?: unknown;
}

/**
 * What `smswire:failover` publishes when a vendor's answer decides whether the next one is tried,
 * for each message: from `send` and from `sendMany`/`sendEach` alike.
 */
export interface FailoverEvent {
  from: VendorId;
  /** The next vendor, or undefined when the send stops here. */
  to: VendorId | undefined;
  outcome: Outcome;
  reason: Reason;
  /** Why, in words: the same as the log says. */
  why: string;
  /** The `smswire:send` event of the `send` that decided, when it published one; none from `sendMany`. */
  parent: SendEvent | undefined;
}

/** What `smswire:state` publishes when a message's delivery state moves. */
export interface StateEvent {
  vendor: VendorId;
  state: State;
  final: boolean;
}

export const sendChannel = tracingChannel<SendEvent>('smswire:send');
export const failoverChannel = channel<FailoverEvent>('smswire:failover');
export const stateChannel = channel<StateEvent>('smswire:state');

/**
 * A vendor's failure decides whether the message moves on to `to` (undefined: it stops there):
 * logged, published and counted on the send's event, each only when someone wants it. `send` and
 * `sendMany` (and `sendEach`) both decide through here.
 */
export function decided(
  logger: Logger | undefined,
  operation: 'send' | 'sendMany',
  from: VendorId,
  to: VendorId | undefined,
  error: SendError,
  send?: SendEvent,
): void {
  const published = failoverChannel?.hasSubscribers === true;
  if (!logger && !published && !send) return;
  const why = to
    ? `${from} certainly did not take it (${error.reason}): trying ${to}`
    : error.outcome === 'unknown'
      ? `${from} may have taken it (${error.reason}): never sent to another vendor`
      : `${from} did not take it (${error.reason}) and no other vendor is left to try`;
  logger?.info(`sms ${operation}: ${why}`);
  if (published)
    failoverChannel?.publish({ from, to, outcome: error.outcome, reason: error.reason, why, parent: send });
  if (to && send) send.failovers++;
}
