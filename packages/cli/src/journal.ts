import { closeSync, createReadStream, fstatSync, fsync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Ledger, LedgerEntry, Reason } from '@smswire/sms';

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
  /** Lines written, and how many of them an fsync has completed for. */
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | undefined;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly redact: (text: string) => string,
  ) {}

  /**
   * Opens (or creates, mode 0600) the journal and reads what earlier runs left, a line at a time.
   * A line's `message` (free text that may quote a vendor) goes through `redact`, the output's;
   * keys, numbers and IDs are data, written as they are, or a resumed run would not know its rows.
   */
  static async open(
    path: string,
    redact: (text: string) => string,
  ): Promise<{ journal: Journal; previous: Map<string, Previous> }> {
    const previous = await readJournal(path);
    const fd = openSync(path, 'a+', 0o600);
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
  write(line: JournalLine | Record<string, unknown>): void {
    if (this.buffered.length === 0) queueMicrotask(() => this.flush());
    const safe = typeof line.message === 'string' ? { ...line, message: this.redact(line.message) } : line;
    this.buffered.push(`${JSON.stringify(safe)}\n`);
    this.written++;
  }

  private flush(): void {
    if (this.buffered.length === 0) return;
    writeSync(this.fd, this.buffered.join(''));
    this.buffered = [];
  }

  /**
   * Resolves once every line written so far is on disk. The fsync runs off the event loop, so
   * requests already under way are answered meanwhile, and callers that arrive during one
   * share the next: one fsync per group of requests, not per line.
   */
  async sync(): Promise<void> {
    this.flush();
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
            throw error;
          },
        );
      }
      await this.syncing;
    }
  }

  close(): void {
    this.flush();
    if (this.synced < this.written) fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

/** Each key's last state; a line cut short by a kill is skipped (it was never followed by a send). */
export async function readJournal(path: string): Promise<Map<string, Previous>> {
  const previous = new Map<string, Previous>();
  let stream: ReturnType<typeof createReadStream>;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return previous;
    throw error;
  }
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue;
    }
    if (typeof line?.key !== 'string') continue;
    const status = line.state === 'pending' ? 'unknown' : line.status;
    if (!status) continue;
    previous.set(line.key, {
      row: line.row,
      to: line.to,
      status,
      ...(line.reason ? { reason: line.reason } : line.state === 'pending' ? { reason: 'ambiguous' as const } : {}),
      ...(line.vendor ? { vendor: line.vendor } : {}),
      ...(line.messageId ? { messageId: line.messageId } : {}),
      ...(status === 'unknown'
        ? { message: line.message ?? 'sent, no reply recorded: the run stopped before the vendor answered' }
        : {}),
    });
  }
  return previous;
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

/**
 * The ledger `sendEach` claims and records through: a `pending` line when a row is claimed
 * (before its request), its outcome when recorded (after the reply). An idempotency ledger given
 * with `--ledger` (shared by several machines) is asked first and has the last word on a claim.
 */
export function journalLedger(
  journal: Journal,
  rows: ReadonlyMap<string, { row: number; to: string }>,
  shared?: Ledger,
): Ledger & { recorded: Set<string> } {
  const recorded = new Set<string>();
  const rowOf = (key: string) => rows.get(key) ?? { row: 0, to: '' };
  return {
    recorded,
    async claim(key) {
      const previous = shared ? await shared.claim(key) : undefined;
      if (previous) return previous;
      journal.write({ key, ...rowOf(key), state: 'pending' });
      return undefined;
    },
    async record(key, entry) {
      await shared?.record(key, entry);
      journal.write(outcomeLine(key, rowOf(key), entry));
      recorded.add(key);
    },
    async get(key) {
      return shared?.get(key);
    },
  };
}
