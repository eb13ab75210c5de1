import { channel, tracingChannel } from '@smswire/core/internal';
import type { Outcome, Reason } from './errors.js';
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
  error?: unknown;
}

/** What `smswire:failover` publishes when a vendor's answer decides whether the next one is tried. */
export interface FailoverEvent {
  from: VendorId;
  /** The next vendor, or undefined when the send stops here. */
  to: VendorId | undefined;
  outcome: Outcome;
  reason: Reason;
  /** Why, in words: the same as the log says. */
  why: string;
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
