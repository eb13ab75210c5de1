import { SmswireError } from '@smswire/core/errors';

/** Why a send failed, whatever the vendor called it. */
export type Reason =
  | 'auth'
  | 'balance'
  | 'number'
  | 'content'
  | 'throttled'
  | 'vendorDown'
  | 'validation'
  | 'ambiguous'
  /** Not sent because the caller aborted `sendMany` first: sending it again later is safe. */
  | 'canceled';

/**
 * `notAccepted`: the vendor certainly did not take the message (refused before sending, a code
 * that means no, HTTP 429), so another vendor may send it. `unknown`: it may have been taken (a
 * timeout, a reset after writing, a 5xx, an unreadable reply); the library never repeats it.
 */
export type Outcome = 'notAccepted' | 'unknown';

export class SendError extends SmswireError {
  override name = 'SendError';
  readonly outcome: Outcome;
  readonly reason: Reason;
  /** The idempotency key of the send. */
  readonly key: string | undefined;
  /** Answered from the ledger: the failure of an earlier send with this key, nothing sent now. */
  declare readonly replayed?: true;

  constructor(context: {
    vendor: string;
    operation?: string;
    outcome: Outcome;
    reason: Reason;
    message: string;
    cause?: unknown;
    key?: string;
    replayed?: boolean;
  }) {
    super(context.message, context);
    this.outcome = context.outcome;
    this.reason = context.reason;
    this.key = context.key;
    if (context.replayed) (this as { replayed?: true }).replayed = true;
    // The cause is a core error, which holds only redacted text; not enumerable, so JSON stays small.
    if (context.cause !== undefined)
      Object.defineProperty(this, 'cause', {
        value: context.cause,
        enumerable: false,
        configurable: true,
        writable: true,
      });
  }
}

/** The vendor has no operation for this (Unified has no status or balance read). */
export class UnsupportedError extends SmswireError {
  override name = 'UnsupportedError';
  readonly capability: string;

  constructor(vendor: string, capability: string, detail = '') {
    super(`${vendor} cannot ${capability}${detail ? `: ${detail}` : ''}`, { vendor, operation: capability });
    this.capability = capability;
  }
}

/** Who holds a lock: the process, its machine, and since when (ms since the epoch). */
export interface LockHolder {
  pid: number;
  host: string;
  since: number;
}

/** The file is locked by a process that is alive, or on another machine (whose PIDs cannot be checked). */
export class LockedError extends SmswireError {
  override name = 'LockedError';
  /** The file asked for. */
  readonly path: string;
  readonly holder: LockHolder;

  constructor(path: string, holder: LockHolder, detail = '') {
    const since = Number.isFinite(holder.since) ? new Date(holder.since).toISOString() : 'an unknown time';
    super(
      `${path} is locked by process ${holder.pid} on ${holder.host} since ${since}${detail}; ` +
        `if no such process runs, remove ${path}.lock`,
      { vendor: 'sms', operation: 'lockFile' },
    );
    this.path = path;
    this.holder = holder;
  }
}
