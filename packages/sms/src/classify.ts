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
import type { Adapter, CodeCatalog } from './adapter.js';
import { SendError, type Outcome, type Reason, UnsupportedError } from './errors.js';

/**
 * What a vendor code means, as the vendor package's generated catalog says (specs/<vendor>.yaml
 * `x-smswire-codes`: `reason`, `mayExist`). A code it does not list for the operation (SMPP codes
 * from Unified, a word such as `Error` from Dreams, `constructor`), or a catalog-less adapter, says
 * nothing of the message: `unknown`. The tables are looked up by the vendor's text, own keys only.
 */
export function codeMeaning(
  codes: CodeCatalog | undefined,
  operation: string,
  code: string,
): { outcome: Outcome; reason: Reason } {
  const table = codes && Object.hasOwn(codes, operation) ? codes[operation] : undefined;
  const entry = table && Object.hasOwn(table, code) ? table[code] : undefined;
  if (entry?.outcome !== 'error' || entry.reason === undefined) return { outcome: 'unknown', reason: 'ambiguous' };
  return { outcome: entry.mayExist ? 'unknown' : 'notAccepted', reason: entry.reason };
}

/**
 * Any failure of a vendor call as a `SendError`. Only what proves the vendor did not take the
 * message is `notAccepted`: our own validation, a refused connection, a code whose catalog entry
 * means no, HTTP 429 and the other 4xx refusals. A timeout, a reset after writing, a 5xx, a
 * redirect, an unreadable reply, or a code the catalog does not list or says the vendor failed
 * on, may hide an accepted message: `unknown`.
 */
export function classify(
  adapter: Pick<Adapter, 'vendor' | 'codes'>,
  operation: string,
  error: unknown,
  key?: string,
): SendError {
  const { vendor } = adapter;
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
  // Our own refusal before any request, like an adapter's send the vendor cannot do yet.
  if (error instanceof ValidationError || error instanceof UnsupportedError)
    return make('notAccepted', 'validation', error.message);
  if (error instanceof VendorError) {
    const meaning = codeMeaning(adapter.codes, operation, error.code);
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
