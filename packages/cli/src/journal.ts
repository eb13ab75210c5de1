import { closeSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { type Ledger, type LedgerEntry, namespacePrefix, type Reason } from '@smswire/sms';
import { lockFile } from '@smswire/sms/file-lock';
import { JournalIndex } from './journal-index.js';

/**
 * One line of a bulk journal. Every line names the row's `key`; the last line of a key is its
 * state: `pending` (claimed, the request may be on its way) or a `status`.
 */
export interface JournalLine {
  key: string;
  /** The row's number in the CSV, from 1 (the header is not a row). */
  row: number;
  /** The number as the CSV gives it, or in E.164 once the send has read it. */
  to: string;
  state?: 'pending';
  status?: 'accepted' | 'rejected' | 'unknown';
  vendor?: string;
  messageId?: string;
  encoding?: string;
  parts?: number;
  reason?: Reason;
  message?: string;
  /** The outcome came from the shared ledger (an earlier send with this key), not from a send now. */
  replayed?: true;
  /** What `smswire reconcile` learnt from the vendor's status read. */
  reconciled?: string;
}

/** What an earlier run left for a key: only what resuming needs. */
export type Previous = Pick<JournalLine, 'row' | 'to' | 'status' | 'reason' | 'vendor' | 'messageId' | 'message'> & {
  status: NonNullable<JournalLine['status']>;
};

/**
 * An append-only JSON-lines file. Lines are written in order as they happen (a killed process
 * keeps every line written), and flushed to disk (fsync) by `sync`, which the bulk command awaits
 * before every vendor request and before printing results: no request leaves before the
 * `pending` line of each of its rows is on disk.
 */
export class Journal {
  /** Lines written in this turn of the event loop, not yet in the file. */
  private buffered: string[] = [];
  /** The same lines as given, kept in `unwritten` if their write fails. */
  private bufferedLines: (JournalLine | Record<string, unknown>)[] = [];
  /** Settles once the buffered lines are in the file (or could not be written). */
  private flushed: Deferred | undefined;
  /** Lines written, and how many of them an fsync has completed for. */
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;
  /** The file's length after the last whole write: a failed write is cut back to it. */
  private size: number;
  /** Why the journal stopped taking lines (a full disk): every later `write` and `sync` fails. */
  failure: JournalWriteError | undefined;
  /** Lines given after (or in) the write that failed: what the file does not say. */
  readonly unwritten: (JournalLine | Record<string, unknown>)[] = [];

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly redact: (text: string) => string,
  ) {
    this.size = fstatSync(fd).size;
  }

  /**
   * Opens (or creates, mode 0600) the journal and indexes what earlier runs left (`JournalIndex`:
   * where each key's last line is, read again when asked for; closed with the journal).
   * A line's `message` (free text that may quote a vendor) goes through `redact`, the output's;
   * keys, numbers and IDs are data, written as they are, or a resumed run would not know its rows.
   */
  static async open(
    path: string,
    redact: (text: string) => string,
  ): Promise<{ journal: Journal; previous: JournalIndex }> {
    const previous = await JournalIndex.read(path);
    let fd: number;
    try {
      fd = openSync(path, 'a+', 0o600);
    } catch (error) {
      previous.close();
      throw error;
    }
    // A torn last line (killed mid-write) would swallow the next one: start on a fresh line.
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last.toString() !== '\n') writeSync(fd, '\n');
    }
    return { journal: new Journal(path, fd, redact), previous };
  }

  /**
   * Lines written in one turn of the event loop (a window's claims, a request's outcomes) go to
   * the file in one write as the turn ends: a write each was a third of the command's time.
   * Written as the turn ends, as soon as a write each would have made them safe from a kill.
   */
  write(line: JournalLine | Record<string, unknown>): Promise<void> {
    if (this.failure) {
      this.unwritten.push(line);
      return this.failed();
    }
    if (this.buffered.length === 0) queueMicrotask(() => this.flush());
    const safe = typeof line.message === 'string' ? { ...line, message: this.redact(line.message) } : line;
    this.buffered.push(`${JSON.stringify(safe)}\n`);
    this.bufferedLines.push(line);
    this.written++;
    this.flushed ??= deferred();
    return this.flushed.promise;
  }

  /**
   * Writes the buffered lines whole or not at all: `writeSync` may write part of what it is given
   * (a full disk), and a line cut short would read as never claimed, so the row would go out
   * again. What a failed write left is cut off, and the journal takes no more lines.
   */
  private flush(): void {
    if (this.buffered.length === 0) return;
    const flushed = this.flushed;
    const lines = this.bufferedLines;
    const text = Buffer.from(this.buffered.join(''));
    this.buffered = [];
    this.bufferedLines = [];
    this.flushed = undefined;
    try {
      for (let done = 0; done < text.length; ) {
        const wrote = writeSync(this.fd, text, done, text.length - done);
        if (wrote <= 0) throw Object.assign(new Error('no space left on the device'), { code: 'ENOSPC' });
        done += wrote;
      }
      this.size += text.length;
      flushed?.resolve();
    } catch (error) {
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // The torn tail stays; reading skips a line that does not parse, and its row is unknown
        // (its claim is not on disk, but neither did its request leave: `sync` now fails).
      }
      this.failure = new JournalWriteError(this.path, error);
      // One at a time: a turn's lines may be more than a spread's arguments can be.
      for (const line of lines) this.unwritten.push(line);
      flushed?.reject(this.failure);
    }
  }

  private failed(): Promise<void> {
    const promise = Promise.reject(this.failure);
    promise.catch(() => undefined);
    return promise;
  }

  /**
   * Resolves once every line written so far is on disk. The fsync runs off the event loop, so
   * requests already under way are answered meanwhile, and callers that arrive during one
   * share the next: one fsync per group of requests, not per line.
   */
  async sync(): Promise<void> {
    this.flush();
    if (this.failure) throw this.failure;
    const target = this.written;
    while (this.synced < target) {
      if (!this.syncing) {
        const upTo = this.written;
        this.syncing = new Promise<void>((resolve, reject) =>
          fsync(this.fd, (error) => (error ? reject(error) : resolve())),
        ).then(
          () => {
            this.synced = Math.max(this.synced, upTo);
            this.syncing = undefined;
          },
          (error: unknown) => {
            this.syncing = undefined;
            // Lines the disk would not keep: the journal takes no more, as after a failed write.
            this.failure ??= new JournalWriteError(this.path, error);
            throw this.failure;
          },
        );
      }
      await this.syncing;
    }
  }

  close(): void {
    this.flush();
    try {
      if (!this.failure && this.synced < this.written) fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** The journal could not take a line (a full disk): the run stops, and what it did not record is listed. */
export class JournalWriteError extends Error {
  override name = 'JournalWriteError';
  constructor(path: string, cause: unknown) {
    const why = (cause as NodeJS.ErrnoException)?.code ?? (cause as Error)?.message ?? String(cause);
    super(`cannot write the journal ${path} (${why})`, { cause });
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller that does not wait for its line (an outcome) learns of a failure from `sync`.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * The journal, locked for this process (see `lockFile`: a second run on it is refused with who
 * holds it, a lock left by a dead process taken over) until `release`: two runs that each read
 * it once would each send every row.
 */
export async function openJournal(
  path: string,
  redact: (text: string) => string,
): Promise<{ journal: Journal; previous: JournalIndex; release(): void }> {
  const lock = lockFile(path);
  try {
    const { journal, previous } = await Journal.open(path, redact);
    return {
      journal,
      previous,
      release: () => {
        try {
          journal.close();
        } finally {
          previous.close();
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** A ledger entry as the journal line that records it. */
export function outcomeLine(key: string, row: { row: number; to: string }, entry: LedgerEntry): JournalLine {
  if (entry.state === 'pending') return { key, ...row, state: 'pending' };
  if (entry.state === 'sent') {
    const { vendor, messageId, to, encoding, parts } = entry.result;
    return { key, row: row.row, to, status: 'accepted', vendor, ...(messageId ? { messageId } : {}), encoding, parts };
  }
  return {
    key,
    ...row,
    status: entry.outcome === 'unknown' ? 'unknown' : 'rejected',
    reason: entry.reason,
    vendor: entry.vendor,
    message: entry.message,
  };
}

/** A shared ledger's claim given back: nothing was sent, so the key may be claimed again. */
const unwrittenClaim = (key: string, error: unknown): LedgerEntry => ({
  state: 'failed',
  outcome: 'notAccepted',
  reason: 'canceled',
  vendor: 'sms',
  message: `key ${key} was not sent: ${(error as Error).message}`,
});

/**
 * The ledger `sendEach` claims and records through: a `pending` line when a row is claimed
 * (before its request), its outcome when recorded (after the reply). An idempotency ledger given
 * with `--ledger` (shared by several machines) is asked first and has the last word on a claim.
 * `createSms` hands it the campaign's keys (`<campaign>:<key>`, its `namespace`): the shared
 * ledger stores them so; the journal, which is the campaign's own, the row's key alone.
 */
export function journalLedger(
  journal: Journal,
  rows: ReadonlyMap<string, { row: number; to: string }>,
  shared: Ledger | undefined,
  campaign: string,
): Ledger & { recorded: Set<string> } {
  const recorded = new Set<string>();
  // The prefix createSms puts before each key of its namespace.
  const prefix = namespacePrefix(campaign);
  const rowKey = (key: string) => (key.startsWith(prefix) ? key.slice(prefix.length) : key);
  const rowOf = (key: string) => rows.get(key) ?? { row: 0, to: '' };
  return {
    recorded,
    async claim(key, options) {
      const previous = shared ? await shared.claim(key, options) : undefined;
      if (previous) return previous;
      const row = rowKey(key);
      // The claim holds only once its line is in the file: a line the disk did not take fails
      // the claim, so the row is certainly not sent (and the shared claim, if any, is released).
      try {
        await journal.write({ key: row, ...rowOf(row), state: 'pending' });
      } catch (error) {
        await shared?.record(key, unwrittenClaim(row, error)).catch(() => undefined);
        throw error;
      }
      return undefined;
    },
    async record(key, entry) {
      await shared?.record(key, entry);
      const row = rowKey(key);
      journal.write(outcomeLine(row, rowOf(row), entry));
      recorded.add(row);
    },
    async get(key) {
      return shared?.get(key);
    },
  };
}
