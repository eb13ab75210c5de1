export { createSms } from './sms.js';
export type { PreparedMessage, Sms, SmsOptions } from './sms.js';
export type { TrackedMessage, TrackOptions } from './track.js';
export type { Inbound, InboundMessage, InboundOptions, InboundRead, InboundReader } from './inbound.js';
export type { SendInput, SendManyOptions, SendManyProgress, SendManyResult, SendResult } from './send-types.js';
export type {
  Adapter,
  AdapterOptions,
  Balance,
  BatchItem,
  BatchSender,
  Capabilities,
  CodeCatalog,
  OutgoingMessage,
  PreparedSend,
  SendFields,
  StatusBatch,
} from './adapter.js';
export { LockedError, SendError, UnsupportedError } from './errors.js';
export type { LockHolder } from './errors.js';
export type { FailoverEvent, SendEvent, StateEvent } from './observe.js';
export { SendManyAbortError } from './send-many.js';
export type { Outcome, Reason } from './errors.js';
export { memoryLedger, namespacePrefix } from './ledger.js';
export type { ClaimOptions, Ledger, LedgerEntry, MemoryLedgerOptions } from './ledger.js';
export { parseReport } from './reports.js';
export type { ReportRequest } from './reports.js';
export { advance, finalStates } from './states.js';
export type { MessageStatus, State } from './states.js';
export { gsm7Alphabet, isGsm7, segments } from './segments.js';
export type { Encoding, SegmentOptions, Segments } from './segments.js';
export { normalizeNumber, parseNumber, wireNumber } from './numbers.js';
export type { CountryCode, NumberOptions, NumberWarning } from './numbers.js';
export { vendorIds } from './vendors.js';
export type { VendorId } from './vendors.js';
// Every core error class, so users catch them without importing core.
export * from '@smswire/core/errors';
