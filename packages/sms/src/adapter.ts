import type { CallInit, PreparedRequest, PrepareInit } from '@smswire/core';
import type { ParamSchema, VendorDefinition } from '@smswire/core/internal';
import { ValidationError } from '@smswire/core/errors';
import type { Reason } from './errors.js';
import type { Encoding } from './segments.js';
import type { ReportRequest } from './reports.js';
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
  /** `pollReports()` asks the vendor for the delivery states changed since the last poll. */
  pollReports: boolean;
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

/** A send's first request: the operation it calls and what `fetch` would receive. */
export interface PreparedSend {
  operation: string;
  request: PreparedRequest;
}

export interface Balance {
  vendor: VendorId;
  amount: number;
  /** No vendor documents its unit: it is the account's credit as the vendor counts it. */
  unit: 'credits';
}

/**
 * A vendor package's generated `errorCatalog` (from its spec's `x-smswire-codes`): per operation,
 * each code's outcome and, for an error, its `reason` and whether the message may exist anyway.
 */
export type CodeCatalog = Readonly<
  Record<
    string,
    Readonly<
      Record<string, { readonly outcome: 'success' | 'error'; readonly reason?: Reason; readonly mayExist?: boolean }>
    >
  >
>;

/**
 * One vendor behind the neutral interface. Adapters throw the vendor package's own errors;
 * `createSms` turns them into `SendError`s with the operation they name.
 */
export interface Adapter {
  readonly vendor: VendorId;
  readonly capabilities: Capabilities;
  /**
   * The vendor package's `errorCatalog`: what each code its errors carry means. Without it every
   * vendor code is `unknown`, so nothing moves on to the next vendor after one.
   */
  readonly codes?: CodeCatalog | undefined;
  send(message: OutgoingMessage, init?: CallInit): Promise<{ messageId?: string | undefined }>;
  /** The request `send` would make for this message, built by the vendor client and not sent. */
  prepare?(message: OutgoingMessage, init?: PrepareInit): Promise<PreparedSend>;
  /**
   * The delivery state. An error with `unreadable: true` says the vendor will never tell more of
   * the message (DiniSoft answers once), so `track` stops asking.
   */
  status?(messageId: string, init?: CallInit): Promise<MessageStatus>;
  /** A status read of many messages in one request (SMS Leads' `dlr`); `track` prefers it to `status`. */
  readonly statusBatch?: StatusBatch | undefined;
  balance?(init?: CallInit): Promise<Balance>;
  /**
   * The delivery states changed since the last poll, each message as the vendor reports it. The
   * vendor hands each change over once, so the adapter never repeats the call.
   */
  pollReports?(init?: CallInit): Promise<MessageStatus[]>;
  /** The replies sent to your numbers, read by date range (SMS Leads' `incoming`); `inbound()` reads them. */
  readonly inbound?: InboundReader | undefined;
  /** The vendor's delivery-report callback, read by the vendor package's own parser. */
  parseReport?(request: ReportRequest): MessageStatus;
  /** The vendor's native batch send, used by `sendMany`; vendors without one send one by one. */
  readonly batch?: BatchSender | undefined;
}

/**
 * What a batch reply says about one of its messages, in the order they were given: accepted
 * (with the vendor's message ID when it names one), or refused with an error `createSms`
 * classifies like a single send's (a `SendError` with `outcome: 'unknown'` where the reply
 * does not say what became of the message).
 */
export type BatchItem = { messageId?: string | undefined } | { error: unknown };

export interface BatchSender {
  /** Most messages in one request. */
  readonly size: number;
  /**
   * Messages with the same key may share a request: the text, sender, time and encoding where
   * the vendor takes one text for many numbers, less where each number has its own text.
   */
  key(message: OutgoingMessage): string;
  /**
   * A number may appear only once in a request: the reply names recipients by number, so two
   * messages to one number could not be told apart.
   */
  readonly distinctNumbers: boolean;
  /** One reply item per message. Throws when the request as a whole failed: every message shares that error. */
  send(messages: readonly OutgoingMessage[], init?: CallInit): Promise<BatchItem[]>;
}

/** A reply as an adapter reads it, before it is named and deduplicated. */
export interface InboundRead {
  from: string;
  to: string;
  text: string;
  at: Date;
}

export interface InboundReader {
  /** The longest date range one read may ask for, in ms. */
  readonly window: number;
  /** The replies received from `from` to `to`, both whole minutes and both included. */
  read(range: { from: Date; to: Date }, init?: CallInit): Promise<InboundRead[]>;
}

export interface StatusBatch {
  /** Most message IDs in one request: the vendor's limit, from its spec. */
  readonly size: number;
  /** One status per ID given (`unknown` for one the reply leaves out), in no particular order. */
  read(messageIds: readonly string[], init?: CallInit): Promise<MessageStatus[]>;
}

/**
 * The vendor's request fields that carry a message's sender and text (DiniSoft's `callerID` and
 * `messageContent`): the command tells an issue about one of them as the flag the user typed.
 */
export interface SendFields {
  from: string;
  text: string;
}

/** Every adapter option besides the vendor client's: the sender used when a send names none. */
export interface AdapterOptions {
  from?: string | undefined;
  /**
   * Most messages `sendMany` puts in one request of a vendor with a batch operation: by default,
   * and at most, the limit in the vendor's spec (the `maxItems` of its batch operation's list).
   */
  batchSize?: number | undefined;
  /**
   * Called, just before a request leaves, with the message IDs a vendor that names them itself
   * (SMS Leads) made for its messages: recorded, they let `status` settle a send whose reply
   * never came. Other vendors name theirs only in the reply, and never call it.
   */
  onMessageIds?: ((ids: { key: string; messageId: string }[]) => void) | undefined;
}

/**
 * The most items a list parameter of an operation takes, read from the generated definition: the
 * list's `maxItems`, or that of the list form of a comma-joined parameter. `path` names the list
 * inside the parameter: `to`, `messages[].destinations.phone`. The spec is the only place the
 * number is written, so a spec without it is a bug here, not a default.
 */
export function specLimit(definition: VendorDefinition, operation: string, path: string): number {
  const [param, ...inside] = path.split('.') as [string, ...string[]];
  const bare = (part: string) => part.replace(/\[\]$/, '');
  let schema: ParamSchema | undefined = definition.operations[operation]?.params[bare(param)]?.schema;
  for (const [i, part] of [param, ...inside].entries()) {
    if (i > 0) schema = schema?.properties?.[bare(part)];
    if (part.endsWith('[]')) schema = schema?.items;
  }
  const limit = schema?.maxItems ?? schema?.anyOf?.find((s) => s.type === 'array')?.maxItems;
  if (limit === undefined) throw new Error(`${definition.vendor} ${operation}: ${path} has no maxItems in the spec`);
  return limit;
}

/** A batch size option, checked: a whole number from 1 to the spec's limit, which is the default. */
export function batchSize(vendor: string, value: number | undefined, limit: number): number {
  if (value === undefined) return limit;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new ValidationError({
      vendor,
      operation: 'createClient',
      issues: [
        {
          path: 'batchSize',
          message: `must be a whole number from 1 to ${limit}, the most one request of ${vendor} takes (its spec)`,
        },
      ],
    });
  }
  return value;
}

/** What a one-text batch must share: text, sender, time, flash and encoding. */
export const oneTextKey = (message: OutgoingMessage, from: string | undefined) =>
  JSON.stringify([
    message.text,
    message.from ?? from ?? '',
    message.at?.getTime() ?? null,
    message.flash,
    message.encoding,
  ]);
