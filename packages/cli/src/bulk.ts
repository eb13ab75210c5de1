import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FetchLike } from '@smswire/core';
import type { Reason, SendInput, SendManyResult } from '@smswire/sms';
import { type CsvRow, countRows, csvRows, rowKey } from './csv-rows.js';
import { exitCodes, UsageError } from './exit-codes.js';
import { KeySet } from './key-set.js';
import { type Journal, journalLedger, openJournal, type JournalLine, outcomeLine, type Previous } from './journal.js';
import { type ClosableLedger, openLedger } from './ledger-option.js';
import type { Context } from './io.js';
import type { Output } from './output.js';
import { createProgress, type Progress } from './progress.js';
import { openNamed } from './paths.js';
import { RunStop } from './stop.js';
import { campaignOf } from './campaign.js';
import { buildSms, positive, requireCredentials, settingsFor, vendorList, type VendorFlags } from './setup.js';

export interface BulkFlags extends VendorFlags {
  journal?: string;
  campaign?: string;
  ledger?: string;
  resendUnknown?: boolean;
  concurrency?: string;
  batchSize?: string;
  /** Commander's `--no-progress`. */
  progress?: boolean;
}

/** One row's result as the command prints it (`--json`: `{"type":"row",…}`). */
export type RowResult = Omit<JournalLine, 'state'> & { status: NonNullable<JournalLine['status']>; previous?: true };

/**
 * `smswire bulk <file.csv>`: the rows streamed through `sendEach`, each claimed in the journal
 * before its request and recorded after; rows an earlier run accepted are skipped, rows it
 * certainly did not send are sent, and rows it left without an outcome are listed as unknown,
 * not sent again (unless `--resend-unknown`). Ctrl-C or a journal the disk stops taking ends the
 * run early (see `RunStop`), with every outcome it knows written and a summary.
 */
export async function bulkCommand(file: string, flags: BulkFlags, ctx: Context): Promise<number> {
  const { io, out } = ctx;
  const settings = settingsFor(vendorList(flags.vendor), flags, ctx);
  requireCredentials(settings);
  if (file !== '-' && !existsSync(file)) throw new UsageError(`${file}: no such file`);
  const journalPath = flags.journal ?? (file === '-' ? undefined : `${file}.journal.jsonl`);
  if (!journalPath) throw new UsageError('reading the CSV from stdin: name the journal with --journal <file>');
  if (file !== '-' && sameFile(file, journalPath))
    throw new UsageError(`--journal ${journalPath} is the CSV itself: the command never writes into its input`);
  const concurrency = flags.concurrency === undefined ? undefined : positive('--concurrency', flags.concurrency);
  const batchSize = flags.batchSize === undefined ? undefined : positive('--batch-size', flags.batchSize);

  let shared: ClosableLedger | undefined;
  const campaign = campaignOf(flags.campaign, file, journalPath);
  // One run on a journal at a time: two would each read it once and send every row twice.
  const { journal, previous, release } = await openNamed('--journal', journalPath, () =>
    openJournal(journalPath, out.redact),
  );
  const stop = new RunStop();
  const removeHandler = stop.onInterrupt(
    () => out.note('\nstopping: no more rows are sent; the requests under way finish (Ctrl-C again exits at once)'),
    () => {
      try {
        journal.close();
      } finally {
        io.exit(exitCodes.interrupted);
      }
    },
  );
  const unwatch = out.whenClosed(() => stop.stop('output'));
  try {
    shared = flags.ledger ? await openLedger(flags.ledger) : undefined;
    journal.write({
      type: 'run',
      started: new Date(io.now()).toISOString(),
      vendors: settings.map((s) => s.vendor),
      campaign,
    });
    const inflight = new Map<string, { row: number; to: string }>();
    const ledger = journalLedger(journal, inflight, shared, campaign);
    const fetch: FetchLike = stop.detach(async (input, init) => {
      await journal.sync();
      return globalThis.fetch(input, init);
    });
    // A message ID made before the request (SMS Leads) is journaled with the claim it belongs to,
    // on disk before the request leaves (`fetch` syncs): `reconcile` can then ask about the row.
    const onMessageIds = (vendor: string, ids: { key: string; messageId: string }[]) => {
      for (const { key, messageId } of ids) {
        const row = inflight.get(key);
        if (row) journal.write({ key, ...row, state: 'pending', vendor, messageId });
      }
    };
    const sms = buildSms(settings, flags, {
      fetch,
      batchSize,
      ledger,
      out,
      env: ctx.io.env,
      namespace: campaign,
      onMessageIds,
    });

    const tty = !out.json && flags.progress !== false && io.stdout.isTTY === true;
    const total = tty && file !== '-' ? await countRows(createReadStream(file), file) : undefined;
    const progress = tty ? createProgress(total, io.stdout) : undefined;
    const summary = new Summary(io.now);
    const unknownShown: RowResult[] = [];
    const show = (result: RowResult) => {
      summary.add(result);
      progress?.advance(summary.rows, summary.line());
      if (progress) {
        if (result.status === 'unknown' && unknownShown.length < 20) unknownShown.push(result);
        return;
      }
      out.emit('row', result, describeRow(result));
    };

    // A key's fingerprint, not the key: the run holds what is under way, not every row it read.
    const seen = new KeySet();
    let reading = true;
    async function* inputs(): AsyncGenerator<SendInput> {
      const source = file === '-' ? io.stdin : createReadStream(file);
      for await (const row of csvRows(source, file === '-' ? 'stdin' : file)) {
        // Rows an earlier run settled are printed here, as fast as the CSV is read.
        await out.drained();
        // sendEach does not wait for its input to end when the run stops: nothing more is read
        // (or printed) once it has, and the journal's index is not asked after it is closed.
        if (!reading || stop.signal.aborted) return;
        const key = rowKey(row);
        // A key the journal names is marked met there; only the others are kept in `seen`.
        const before = previous.take(key);
        if (before === 'again' || (!before && !seen.add(key))) {
          show({
            key,
            row: row.row,
            to: row.to,
            status: 'rejected',
            reason: 'validation',
            message: `duplicate key ${key}: not sent twice`,
          });
          continue;
        }
        // A rejected row was certainly not sent (refused, or never handed over): it is sent again.
        if (before && (before.status === 'accepted' || (before.status === 'unknown' && !flags.resendUnknown))) {
          show(resumed(key, row, before));
          continue;
        }
        inflight.set(key, { row: row.row, to: row.to });
        yield {
          to: row.to,
          text: row.text,
          from: row.from,
          idempotencyKey: key,
          // With a shared ledger the key may be `pending` there too (a worker that died): sent again as asked.
          ...(flags.resendUnknown ? { resendUnknown: true } : {}),
        };
      }
    }

    let stopped: unknown;
    try {
      for await (const result of sms.sendEach(inputs(), { concurrency, signal: stop.signal })) {
        const row = inflight.get(result.id) ?? { row: 0, to: result.to };
        inflight.delete(result.id);
        const line = lineOf(result, row, out.redact);
        // Rows refused before a claim (bad input), or answered by a shared ledger, have no line yet.
        if (!ledger.recorded.delete(result.id)) journal.write(line);
        // A row is printed only once its outcome is on disk (or the journal is known to have failed).
        if (!journal.failure) await journal.sync().catch(() => undefined);
        if (journal.failure) stop.stop('journal');
        show(line as RowResult);
        await out.drained();
      }
    } catch (error) {
      if (!stop.cause) stopped = error;
    }
    reading = false;
    await journal.sync().catch(() => undefined);
    if (stopped && summary.rows === 0) {
      progress?.stop(0, 'stopped');
      throw stopped;
    }
    progress?.stop(summary.rows, summary.line());
    if (progress) for (const result of unknownShown) out.emit('row', result, describeRow(result));
    if (progress && summary.unknown > unknownShown.length)
      out.note(`…and ${summary.unknown - unknownShown.length} more unknown: see ${journalPath}`);
    out.emit(
      'summary',
      { ...summary.record(), campaign, journal: journalPath, ...(stop.cause ? { stopped: stop.cause } : {}) },
      summary.text(journalPath, campaign),
    );
    if (journal.failure) return unrecorded(journal, out);
    if (stop.cause === 'interrupted' || stop.cause === 'output') {
      out.note(
        `${stop.cause === 'output' ? 'stopped: the output was closed' : 'interrupted'}: the rows not sent are sendable; run the same command again to send them`,
      );
      return exitCodes.interrupted;
    }
    if (stopped) {
      if (summary.sent === 0) throw stopped;
      out.fail(
        { name: (stopped as Error).name, message: (stopped as Error).message },
        `stopped: ${(stopped as Error).message}; the rows before it are in ${journalPath}, and a run with the same file and journal resumes`,
      );
      // Bad input met on the way (a malformed CSV line): the rows before it were sent; fix the file and resume.
      return stopped instanceof UsageError ? exitCodes.usage : exitCodes.someNotAccepted;
    }
    return summary.accepted === summary.rows ? exitCodes.done : exitCodes.someNotAccepted;
  } finally {
    unwatch();
    removeHandler();
    try {
      await shared?.close();
    } finally {
      release();
    }
  }
}

/**
 * The journal stopped taking lines: every outcome it does not hold, listed (`unrecorded`), so
 * an accepted row's message ID is not lost with it. The next run reads those rows as unknown.
 */
function unrecorded(journal: Journal, out: Output): number {
  const lines = new Map<string, JournalLine>();
  for (const line of journal.unwritten) if (typeof line.key === 'string') lines.set(line.key, line as JournalLine);
  const doubt = [...lines.values()].filter((line) => line.status !== undefined || line.state === 'pending');
  for (const line of doubt)
    out.emit(
      'unrecorded',
      { ...line },
      `not in the journal: row ${line.row} ${line.to}: ${line.status ?? 'claimed, no outcome'}${line.messageId ? ` as ${line.messageId}` : ''}${line.reason ? ` (${line.reason})` : ''}`,
    );
  out.fail(
    { name: journal.failure!.name, message: journal.failure!.message, unrecorded: doubt.length },
    `stopped: ${journal.failure!.message}. The outcomes of ${doubt.length} row${doubt.length === 1 ? '' : 's'} are not in it (listed above); ` +
      'the next run lists those rows as unknown and does not send them again.',
  );
  return exitCodes.unknown;
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return resolve(a) === resolve(b);
  }
}

function lineOf(
  result: SendManyResult,
  row: { row: number; to: string },
  redact: (text: string) => string,
): JournalLine {
  const line = outcomeOf(result, row, redact);
  // Answered from the shared ledger: an earlier send's outcome, nothing sent now.
  return result.replayed ? { ...line, replayed: true } : line;
}

function outcomeOf(
  result: SendManyResult,
  row: { row: number; to: string },
  redact: (text: string) => string,
): JournalLine {
  if (result.status === 'accepted') {
    const { id, vendor, messageId, to, encoding, parts } = result;
    return {
      key: id,
      row: row.row,
      to,
      status: 'accepted',
      vendor,
      ...(messageId ? { messageId } : {}),
      encoding,
      parts,
    };
  }
  const { error } = result;
  return outcomeLine(
    result.id,
    { row: row.row, to: result.to || row.to },
    {
      state: 'failed',
      outcome: result.status === 'unknown' ? 'unknown' : 'notAccepted',
      reason: result.reason,
      vendor: error.vendor,
      // The one field here that may quote a vendor: the rest is data, never rewritten.
      message: redact(error.message),
    },
  );
}

function resumed(key: string, row: CsvRow, before: Previous): RowResult {
  return { key, ...before, row: row.row, previous: true };
}

/**
 * A row as text. A row from an earlier run carries what its journal line held: an older
 * journal's line may lack the reason or the message, which are then left out, not printed empty.
 */
export function describeRow(r: RowResult): string {
  const head = `row ${r.row} ${r.to}: ${r.status}`;
  const earlier = r.previous ? ' (earlier run)' : r.replayed ? ' (replayed: sent before with this key, not now)' : '';
  if (r.status === 'accepted') return `${head}${earlier} by ${r.vendor}${r.messageId ? ` as ${r.messageId}` : ''}`;
  const hint = r.status === 'unknown' ? ' — may have been sent; not sent again' : '';
  const reason = r.reason ? ` (${r.reason})` : ' (no reason recorded)';
  return `${head}${earlier}${reason}${hint}${r.message ? `: ${r.message}` : ''}`;
}

class Summary {
  rows = 0;
  accepted = 0;
  unknown = 0;
  /** Rows whose outcome an earlier run recorded. */
  resumed = 0;
  /** Rows whose request went out in this run. */
  sent = 0;
  readonly rejected = new Map<Reason, number>();
  private readonly started: number;

  constructor(private readonly now: () => number) {
    this.started = now();
  }

  add(result: RowResult) {
    this.rows++;
    if (result.previous) this.resumed++;
    else if (result.reason !== 'validation') this.sent++;
    if (result.status === 'accepted') this.accepted++;
    else if (result.status === 'unknown') this.unknown++;
    else this.rejected.set(result.reason ?? 'ambiguous', (this.rejected.get(result.reason ?? 'ambiguous') ?? 0) + 1);
  }

  get rejectedCount() {
    return [...this.rejected.values()].reduce((a, b) => a + b, 0);
  }

  record() {
    return {
      rows: this.rows,
      accepted: this.accepted,
      rejected: this.rejectedCount,
      rejectedByReason: Object.fromEntries([...this.rejected].sort()),
      unknown: this.unknown,
      retry: this.rejectedCount,
      resumed: this.resumed,
      seconds: Math.round((this.now() - this.started) / 100) / 10,
    };
  }

  line() {
    return `${this.accepted} accepted, ${this.rejectedCount} rejected, ${this.unknown} unknown`;
  }

  text(journal: string, campaign: string) {
    const reasons = [...this.rejected].map(([reason, n]) => `${reason} ${n}`).join(', ');
    return (
      `${this.rows} rows: ${this.accepted} accepted, ${this.rejectedCount} rejected${reasons ? ` (${reasons})` : ''}, ` +
      `${this.unknown} unknown${this.unknown ? ' (may have been sent: not resent; see `smswire reconcile`)' : ''}` +
      `${this.rejectedCount ? `; ${this.rejectedCount} not sent, to be tried again by the next run` : ''}` +
      `${this.resumed ? `; ${this.resumed} from an earlier run` : ''}. Campaign: ${campaign}. Journal: ${journal}`
    );
  }
}

export type { Progress };
