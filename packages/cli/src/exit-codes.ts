import {
  AbortError,
  HttpError,
  LockedError,
  ParseError,
  SendError,
  SmswireError,
  TimeoutError,
  TransportError,
  UnsupportedError,
  ValidationError,
  VendorError,
} from '@smswire/sms';

/** What a script can act on. */
export const exitCodes = {
  /** Done. */
  done: 0,
  /** Bad usage or input (a `ValidationError`): nothing was sent. */
  usage: 2,
  /** Not sent: the vendor refused (or, for a read, did not answer). */
  notSent: 3,
  /** The outcome is unknown: it may have been sent. Do not resend blindly. */
  unknown: 4,
  /** A bulk run in which some recipients were not accepted (see its summary). */
  someNotAccepted: 5,
  /** Stopped by Ctrl-C (SIGINT), after writing every outcome it knew. */
  interrupted: 130,
} as const;

export const exitCodeHelp = `Exit codes:
  0  done
  2  bad usage or validation, or another run holds the journal or ledger: nothing was sent
  3  not sent: the vendor refused (for a read: refused or unreachable)
  4  outcome unknown: the message may have been sent; do not resend blindly
  5  bulk: some recipients were not accepted (the summary says which and why)
  130  bulk: stopped by Ctrl-C; the summary counts what was done, and the rows not sent are sent by the next run`;

/** A mistake in how the command was called: exit 2, nothing sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The exit code of a failure. A send's is its outcome; any other call that failed at the vendor
 * or on the way there left nothing undone that a retry could double, so it is "not sent".
 */
export function exitCodeOf(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof ValidationError ||
    error instanceof UnsupportedError ||
    // Another run holds the journal or ledger: nothing was sent.
    error instanceof LockedError
  )
    return exitCodes.usage;
  if (error instanceof SendError)
    return error.outcome === 'unknown'
      ? exitCodes.unknown
      : // Refused for what it is (say, a key used before for another message): fix the input.
        error.reason === 'validation'
        ? exitCodes.usage
        : exitCodes.notSent;
  if (
    error instanceof VendorError ||
    error instanceof HttpError ||
    error instanceof TransportError ||
    error instanceof TimeoutError ||
    error instanceof ParseError ||
    error instanceof AbortError ||
    error instanceof SmswireError
  )
    return exitCodes.notSent;
  return 1;
}

/** A failure as JSON: stable field names, only what the error classes already redacted. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const fields = error as unknown as Record<string, unknown>;
  for (const key of ['vendor', 'operation', 'outcome', 'reason', 'code', 'status', 'capability'] as const)
    if (fields[key] !== undefined && typeof fields[key] !== 'object') out[key] = fields[key];
  if (error instanceof ValidationError) out.issues = error.issues;
  return out;
}
