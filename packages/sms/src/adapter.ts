import type { CallInit } from '@smswire/core';
import type { Encoding } from './segments.js';
import type { MessageStatus } from './states.js';
import type { VendorId } from './vendors.js';

/** What a vendor can do through `@smswire/sms`; `capabilities()` and the README table show it. */
export interface Capabilities {
  /** A later send time (`at`). */
  schedule: boolean;
  /** Flash SMS (`flash: true`). */
  flash: boolean;
  /** `status(messageId)` reads the delivery state. */
  status: boolean;
  /** `balance()` reads the account balance. */
  balance: boolean;
  /** `parseReport` reads the vendor's delivery-report callback. */
  reports: boolean;
  /** The send reply carries a message ID. */
  messageId: boolean;
  /** Countries the vendor takes destinations in (ISO 3166-1 alpha-2); `undefined` for any. */
  countries?: readonly string[] | undefined;
}

/** A message ready for a vendor: the number is E.164 and the encoding is worked out. */
export interface OutgoingMessage {
  to: string;
  text: string;
  from?: string | undefined;
  at?: Date | undefined;
  flash: boolean;
  encoding: Encoding;
  /** The idempotency key of the send. */
  key: string;
}

export interface Balance {
  vendor: VendorId;
  amount: number;
  /** No vendor documents its unit: it is the account's credit as the vendor counts it. */
  unit: 'credits';
}

/**
 * One vendor behind the neutral interface. Adapters throw the vendor package's own errors;
 * `createSms` turns them into `SendError`s with the operation they name.
 */
export interface Adapter {
  readonly vendor: VendorId;
  readonly capabilities: Capabilities;
  send(message: OutgoingMessage, init?: CallInit): Promise<{ messageId?: string | undefined }>;
  status?(messageId: string, init?: CallInit): Promise<MessageStatus>;
  balance?(init?: CallInit): Promise<Balance>;
}

/** Every adapter option besides the vendor client's: the sender used when a send names none. */
export interface AdapterOptions {
  from?: string | undefined;
}
