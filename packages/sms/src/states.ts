import type { VendorId } from './vendors.js';

export type State =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'rejected'
  | 'failed'
  | 'canceled'
  | 'unknown'
  /**
   * Not the vendor's word: `track` gave up at its deadline (or the vendor can no longer be asked)
   * with no final report in hand. Not final: any later report of the vendor's replaces it.
   */
  | 'noFinalReport';

export const finalStates: ReadonlySet<State> = new Set(['delivered', 'undelivered', 'rejected', 'failed', 'canceled']);

export interface MessageStatus {
  vendor: VendorId;
  messageId: string;
  state: State;
  final: boolean;
  /** What the vendor said, as it said it (`DELIVRD`, `d`, `102`). */
  vendorStatus: string;
  /** When the vendor reports the change happened, if it says. */
  at?: Date | undefined;
}

/** Progress order: a report never moves a message back (a late `sent` after `delivered`). */
const rank: Record<State, number> = {
  noFinalReport: -2,
  unknown: -1,
  accepted: 0,
  scheduled: 1,
  queued: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  rejected: 4,
  failed: 4,
  canceled: 4,
};

export function status(
  vendor: VendorId,
  messageId: string,
  state: State,
  vendorStatus: string,
  at?: Date,
): MessageStatus {
  return { vendor, messageId, state, final: finalStates.has(state), vendorStatus, ...(at ? { at } : {}) };
}

/** The later of two reports of one message: the first final state stays, and nothing moves back. */
export function advance(previous: MessageStatus | undefined, next: MessageStatus): MessageStatus {
  if (!previous) return next;
  if (previous.final) return previous;
  return rank[next.state] > rank[previous.state] ? next : previous;
}
