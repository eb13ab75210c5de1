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
  /** A second send with the same key returns the first result and sends nothing. Generated when left out. */
  idempotencyKey?: string | undefined;
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
}
