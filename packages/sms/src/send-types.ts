import type { SmswireError } from '@smswire/core/errors';
import type { Reason } from './errors.js';
import type { Encoding } from './segments.js';
import type { VendorId } from './vendors.js';

export interface SendInput {
  /** The recipient as people write it: `+966…`, `00880…`, or `054-123-4567` with `defaultCountry`. */
  to: string;
  text: string;
  /** The sender; the adapter's `from` when left out. */
  from?: string | undefined;
  /** Send later, where the vendor can schedule. */
  at?: Date | undefined;
  /**
   * A second send with the same key returns the first result (marked `replayed`) and sends
   * nothing; a send with a key used before for another number, text, sender or time is refused
   * (`notAccepted`, reason `validation`). Generated when left out.
   */
  idempotencyKey?: string | undefined;
  /**
   * Send it even if its key's outcome is unknown (a send under way elsewhere, or one that ended
   * without an answer: it may have reached the phone, so this may send it twice). Only the same
   * message (fingerprint) is sent again; a key this `Sms` has under way, or one that was sent,
   * never is.
   */
  resendUnknown?: boolean | undefined;
  flash?: boolean | undefined;
  /** Refuse the send if the text would cost more parts (default: createSms's `maxParts`). */
  maxParts?: number | undefined;
}

export interface SendResult {
  /** The idempotency key. */
  id: string;
  vendor: VendorId;
  /** The vendor's message ID, when its reply has one (Dreams' has none). */
  messageId?: string | undefined;
  /** E.164. */
  to: string;
  state: 'accepted' | 'scheduled';
  encoding: Encoding;
  parts: number;
  /** Answered from the ledger: the result of an earlier send with this key; nothing was sent now. */
  replayed?: true | undefined;
}

/**
 * The outcome of one message of `sendMany`: accepted (the send's result), `rejected` (certainly
 * not sent: bad input, or every vendor tried refused it) or `unknown` (it may have been sent;
 * it is never sent again by the library).
 */
export type SendManyResult =
  | ({ status: 'accepted' } & SendResult)
  | {
      status: 'rejected' | 'unknown';
      /** The idempotency key. */
      id: string;
      /** E.164 once the number was read, else as given. */
      to: string;
      reason: Reason;
      /** A `SendError`, or the `ValidationError` or `UnsupportedError` that stopped it before sending. */
      error: SmswireError;
      /** Answered from the ledger: the failure of an earlier send with this key; nothing was sent now. */
      replayed?: true | undefined;
    };

export interface SendManyProgress {
  /** Messages with a final result so far. */
  done: number;
  /** The number of messages, when the input is an array. */
  total?: number | undefined;
  accepted: number;
  rejected: number;
  unknown: number;
}

export interface SendManyOptions {
  /** Vendor requests under way at once (default 16). */
  concurrency?: number | undefined;
  /**
   * Called as results come in, at least once per request. What it throws stops the run: nothing
   * more is sent, the requests under way end and are recorded, and `sendMany` rejects with a
   * `SendManyAbortError` holding their results, with what was thrown as its `cause`.
   */
  onProgress?: ((progress: SendManyProgress) => void) | undefined;
  /**
   * Stops the run: no more messages are read or sent, the requests under way end (one aborted on
   * the way is `unknown`), and `sendMany` rejects with a `SendManyAbortError` whose `results` hold
   * every message read so far, those never sent as `rejected` with reason `canceled`.
   */
  signal?: AbortSignal | undefined;
}
