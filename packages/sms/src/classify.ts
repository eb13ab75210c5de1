import {
  AbortError,
  HttpError,
  ParseError,
  SmswireError,
  TimeoutError,
  TransportError,
  ValidationError,
  VendorError,
} from '@smswire/core/errors';
import { SendError, type Outcome, type Reason } from './errors.js';
import { lookupCode } from './reasons.js';
import type { VendorId } from './vendors.js';

/**
 * Any failure of a vendor call as a `SendError`. Only what proves the vendor did not take the
 * message is `notAccepted`: our own validation, a refused connection, a code that means no,
 * HTTP 429 and the other 4xx refusals. A timeout, a reset after writing, a 5xx, a redirect or an
 * unreadable reply may hide an accepted message: `unknown`.
 */
export function classify(vendor: VendorId, operation: string, error: unknown, key?: string): SendError {
  if (error instanceof SendError) {
    // An adapter's own verdict on one message of a batch, which does not know the key.
    if (error.key !== undefined || key === undefined) return error;
    return new SendError({
      vendor: error.vendor,
      operation: error.operation ?? operation,
      outcome: error.outcome,
      reason: error.reason,
      message: error.message,
      cause: error.cause,
      key,
    });
  }
  const make = (outcome: Outcome, reason: Reason, message: string) =>
    new SendError({
      vendor,
      operation,
      outcome,
      reason,
      message,
      ...(error instanceof SmswireError ? { cause: error } : {}),
      ...(key === undefined ? {} : { key }),
    });
  if (error instanceof ValidationError) return make('notAccepted', 'validation', error.message);
  if (error instanceof VendorError) {
    const meaning = lookupCode(vendor, operation, error.code) ?? {
      outcome: 'notAccepted' as const,
      reason: 'ambiguous' as const,
    };
    return make(meaning.outcome, meaning.reason, error.message);
  }
  if (error instanceof HttpError) {
    if (error.status === 429) return make('notAccepted', 'throttled', error.message);
    if (error.status === 401 || error.status === 403) return make('notAccepted', 'auth', error.message);
    if (error.status >= 400 && error.status < 500 && error.status !== 408)
      return make('notAccepted', 'validation', error.message);
    return make('unknown', error.status >= 500 ? 'vendorDown' : 'ambiguous', error.message);
  }
  if (error instanceof TransportError) {
    return error.sent === false
      ? make('notAccepted', 'vendorDown', error.message)
      : make('unknown', 'ambiguous', error.message);
  }
  if (error instanceof TimeoutError || error instanceof AbortError || error instanceof ParseError)
    return make('unknown', 'ambiguous', error.message);
  if (error instanceof SmswireError) return make('unknown', 'ambiguous', error.message);
  // A bug or a thrown non-error: the call may have gone out.
  return make(
    'unknown',
    'ambiguous',
    `${vendor} ${operation} failed: ${error instanceof Error ? error.name : typeof error}`,
  );
}
