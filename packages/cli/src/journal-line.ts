import type { Reason } from '@smswire/sms';

/**
 * One line of a bulk journal. Every line names the row's `key`; the last line of a key is its
 * state: `pending` (claimed, the request may be on its way) or a `status`.
 */
export interface JournalLine {
  key: string;
  /** The row's number in the CSV, from 1 (the header is not a row). */
  row: number;
  /** The number as the CSV gives it, or in E.164 once the send has read it. */
  to: string;
  state?: 'pending';
  status?: 'accepted' | 'rejected' | 'unknown';
  vendor?: string;
  messageId?: string;
  encoding?: string;
  parts?: number;
  reason?: Reason;
  message?: string;
  /** The outcome came from the shared ledger (an earlier send with this key), not from a send now. */
  replayed?: true;
  /** What `smswire reconcile` learnt from the vendor's status read. */
  reconciled?: string;
}

/** What an earlier run left for a key: only what resuming needs. */
export type Previous = Pick<JournalLine, 'row' | 'to' | 'status' | 'reason' | 'vendor' | 'messageId' | 'message'> & {
  status: NonNullable<JournalLine['status']>;
};
