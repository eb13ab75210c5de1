import type { Adapter, OutgoingMessage } from './adapter.js';
import { SmswireError } from '@smswire/core/errors';
import { SendError } from './errors.js';
import type { Ledger, LedgerEntry } from './ledger.js';
import type { Segments } from './segments.js';
import type { SendInput, SendResult } from './send-types.js';

/** A message checked and costed for each vendor that can carry it, in the order to try them. */
export interface CheckedMessage {
  input: SendInput;
  key: string;
  e164: string;
  /** What the key stands for, stored with its claim (see `fingerprint.ts`). */
  fingerprint: string;
  vendors: { adapter: Adapter; cost: Segments }[];
}

/** The message for the vendor at `step` of its list. */
export function outgoing(message: CheckedMessage, step: number): OutgoingMessage {
  const { input, key, e164 } = message;
  return {
    to: e164,
    text: input.text,
    from: input.from,
    at: input.at,
    flash: input.flash === true,
    encoding: message.vendors[step]!.cost.encoding,
    key,
  };
}

/** The result of a message the vendor at `step` accepted. */
export function acceptedResult(message: CheckedMessage, step: number, messageId: string | undefined): SendResult {
  const { adapter, cost } = message.vendors[step]!;
  return {
    id: message.key,
    vendor: adapter.vendor,
    ...(messageId ? { messageId } : {}),
    to: message.e164,
    state: message.input.at ? 'scheduled' : 'accepted',
    encoding: cost.encoding,
    parts: cost.parts,
  };
}

/** The ledger entry of a message the vendor accepted. */
export function sentEntry(message: CheckedMessage, result: SendResult): LedgerEntry {
  return { state: 'sent', result, fingerprint: message.fingerprint };
}

/** The ledger entry of a send that failed. */
export function failedEntry(message: CheckedMessage, error: SendError): LedgerEntry {
  return {
    state: 'failed',
    outcome: error.outcome,
    reason: error.reason,
    vendor: error.vendor,
    message: error.message,
    fingerprint: message.fingerprint,
  };
}

/**
 * Records a send's outcome. A ledger that fails here cannot undo what the vendor did: the key
 * stays `pending` (never sent again; a later run reports it unknown), and the caller still gets
 * the result, so an accepted message's ID is never lost to a ledger outage.
 */
export async function recordOutcome(ledger: Ledger, key: string, entry: LedgerEntry): Promise<void> {
  try {
    await ledger.record(key, entry);
  } catch {
    // Deliberately dropped: see above. Throwing would lose the vendor's answer, not the send.
  }
}

/**
 * What a key the ledger already has answers: its result, or its failure thrown, marked
 * `replayed`. A key claimed for another message (another fingerprint) answers nothing: it is
 * refused, as a caller's mistake, and nothing is sent.
 */
export function replay(message: CheckedMessage, entry: LedgerEntry): SendResult {
  const { key } = message;
  if (entry.fingerprint !== undefined && entry.fingerprint !== message.fingerprint) {
    throw new SendError({
      vendor: 'sms',
      operation: 'send',
      outcome: 'notAccepted',
      reason: 'validation',
      key,
      message: `idempotency key ${key} was used before with another number or text (or sender or time); nothing was sent`,
    });
  }
  if (entry.state === 'sent') return { ...entry.result, replayed: true };
  if (entry.state === 'pending') {
    throw new SendError({
      vendor: 'sms',
      operation: 'send',
      outcome: 'unknown',
      reason: 'ambiguous',
      key,
      replayed: true,
      message: `a send with idempotency key ${key} is under way or ended without an answer; it is not sent again`,
    });
  }
  throw new SendError({
    vendor: entry.vendor,
    operation: 'send',
    outcome: entry.outcome,
    reason: entry.reason,
    key,
    replayed: true,
    message: entry.message,
  });
}

/**
 * A claim the ledger could not make (Redis unreachable, a disk error): the vendor was not called,
 * so the send is certainly not sent, and the key stays free. A ledger whose claim may have been
 * stored all the same (its error says `mayHold`: a reply lost, the claim not released) leaves the
 * key `pending`: that send's outcome is reported `unknown`, as a later send of the key will be.
 * Only a smswire error's text is kept: another ledger's raw error may hold its connection string.
 */
export function claimFailure(key: string, operation: string, error: unknown): SendError {
  const detail =
    error instanceof SmswireError ? `: ${error.message}` : error instanceof Error ? ` (${error.name})` : '';
  const cause = error instanceof SmswireError ? { cause: error } : {};
  if ((error as { mayHold?: unknown } | undefined)?.mayHold === true)
    return new SendError({
      vendor: 'sms',
      operation,
      outcome: 'unknown',
      reason: 'ambiguous',
      key,
      message: `the idempotency ledger's claim of key ${key} may be held though its answer was lost; nothing was sent, and the key answers as under way until sent again with resendUnknown${detail}`,
      ...cause,
    });
  return new SendError({
    vendor: 'sms',
    operation,
    outcome: 'notAccepted',
    reason: 'vendorDown',
    key,
    message: `the idempotency ledger could not claim key ${key}, so nothing was sent${detail}`,
    ...cause,
  });
}
