import type { Outcome, Reason } from './errors.js';
import type { SendResult } from './send-types.js';

/**
 * What the ledger knows about a key: claimed and not yet answered (`pending`: the vendor may
 * have the message), sent, or failed.
 */
export type LedgerEntry =
  | { state: 'pending'; since: number }
  | { state: 'sent'; result: SendResult }
  | { state: 'failed'; outcome: Outcome; reason: Reason; vendor: string; message: string };

/**
 * Idempotency records. `claim` is the one atomic step: it stores `pending` for a key it has no
 * entry for (or whose send was certainly not accepted, so may be tried again) and returns
 * `undefined`; otherwise it returns the entry and stores nothing.
 */
export interface Ledger {
  claim(key: string): Promise<LedgerEntry | undefined>;
  record(key: string, entry: LedgerEntry): Promise<void>;
  get(key: string): Promise<LedgerEntry | undefined>;
}

/** Claimable again: nothing was sent for it. */
export const reclaimable = (entry: LedgerEntry | undefined) =>
  entry === undefined || (entry.state === 'failed' && entry.outcome === 'notAccepted');

/** The default: one process, forgotten on exit. */
export function memoryLedger(): Ledger {
  const entries = new Map<string, LedgerEntry>();
  return {
    async claim(key) {
      const entry = entries.get(key);
      if (!reclaimable(entry)) return entry;
      entries.set(key, { state: 'pending', since: Date.now() });
      return undefined;
    },
    async record(key, entry) {
      entries.set(key, entry);
    },
    async get(key) {
      return entries.get(key);
    },
  };
}
