import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { MessageStatus, State } from '@smswire/sms';
import { lockFile } from '@smswire/sms/file-lock';
import { reportFileReader } from '@smswire/sms/report-endpoint';
import { exitCodes, UsageError } from './exit-codes.js';
import { openJournal } from './journal.js';
import type { Context } from './io.js';
import { reportsBeside } from './listen.js';
import { statusRecord } from './reads.js';
import { buildSms, settingsFor, vendorList, type VendorFlags } from './setup.js';
import { isVendor, type VendorId } from './vendors.js';

export interface TrackFlags extends VendorFlags {
  /** An ISO 8601 time, or a duration from now: `90s`, `30m`, `48h`, `2d`. */
  deadline?: string;
  /** The wait before the first round, in ms. */
  interval?: string;
  /** The report endpoint's store (`listen --store`); default `<journal>.reports.jsonl` when there is one. */
  store?: string;
}

/** One line of the state file: a row's state as last learnt. */
interface StateLine {
  key: string;
  row: number;
  vendor: VendorId;
  messageId: string;
  state: State;
  vendorStatus: string;
  at?: string;
}

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseDeadline(text: string | undefined, now: number): Date {
  if (text === undefined) return new Date(now + 48 * units.h!);
  const duration = /^(\d+)(s|m|h|d)$/.exec(text);
  if (duration) return new Date(now + Number(duration[1]) * units[duration[2]!]!);
  const time = new Date(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(time.getTime()))
    throw new UsageError(
      `--deadline ${text}: an ISO 8601 time (2026-12-06T18:00:00Z) or a duration (90s, 30m, 48h, 2d)`,
    );
  return time;
}

/** The state file beside a journal: `<journal>.states.jsonl`. */
export const statesPath = (journal: string) => `${journal}.states.jsonl`;

/** The last state of each row in the state file; a line cut short by a kill is skipped. */
function readStates(path: string): Map<string, StateLine> {
  const states = new Map<string, StateLine>();
  if (!existsSync(path)) return states;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    try {
      const parsed = JSON.parse(line) as StateLine;
      if (typeof parsed.key === 'string' && typeof parsed.state === 'string') states.set(parsed.key, parsed);
    } catch {}
  }
  return states;
}

/**
 * `smswire track <journal>`: follows every accepted row of a bulk journal until it is final or the
 * deadline passes, and appends each row's new state to `<journal>.states.jsonl` as it is learnt.
 * Each round first reads what the report endpoint applied (`smswire listen`'s store, re-read as it
 * grows), so a message a callback made final is never asked for.
 * The journal stays the bulk run's alone: it is read under its lock (so never while a run writes
 * it) and never written; the state file has its own lock. A second run resumes from the state
 * file: final rows are not asked again, `noFinalReport` ones are.
 */
export async function trackCommand(
  path: string,
  flags: TrackFlags,
  ctx: Context,
  clock: { sleep?: (ms: number) => Promise<void> } = {},
): Promise<number> {
  const { out } = ctx;
  if (!existsSync(path)) throw new UsageError(`${path}: no such journal`);
  const now = ctx.io.now;
  const deadline = parseDeadline(flags.deadline, now());
  const interval = flags.interval === undefined ? undefined : Number(flags.interval);
  if (interval !== undefined && !(Number.isInteger(interval) && interval > 0))
    throw new UsageError('--interval: a whole number of milliseconds above 0');

  // What `smswire listen` applied: a message its callback made final is not asked for.
  const storePath = flags.store ?? (existsSync(reportsBeside(path)) ? reportsBeside(path) : undefined);
  if (flags.store !== undefined && !existsSync(flags.store))
    throw new UsageError(`--store ${flags.store}: no such file`);
  const reports = storePath === undefined ? undefined : reportFileReader(storePath);

  const { previous, release } = await openJournal(path, out.redact);
  let rows: { key: string; row: number; vendor: VendorId; messageId: string }[];
  try {
    rows = [];
    for (const [key, p] of previous)
      if (p.status === 'accepted' && p.messageId && p.vendor && isVendor(p.vendor))
        rows.push({ key, row: p.row, vendor: p.vendor, messageId: p.messageId });
  } finally {
    release();
  }

  const file = statesPath(path);
  const lock = lockFile(file);
  try {
    const states = readStates(file);
    const vendors = flags.vendor ? vendorList(flags.vendor) : [...new Set(rows.map((r) => r.vendor))];
    const byMessage = new Map(rows.map((r) => [`${r.vendor}:${r.messageId}`, r]));
    const current = new Map(rows.map((r) => [r.key, states.get(r.key)?.state]));
    const count = () => {
      const tally = { delivered: 0, undelivered: 0, pending: 0, noReport: 0 };
      for (const state of current.values()) {
        if (state === 'delivered') tally.delivered++;
        else if (state === 'noFinalReport') tally.noReport++;
        else if (state && ['undelivered', 'rejected', 'failed', 'canceled'].includes(state)) tally.undelivered++;
        else tally.pending++;
      }
      return tally;
    };
    const line = (t: ReturnType<typeof count>) =>
      `delivered ${t.delivered} · undelivered ${t.undelivered} · pending ${t.pending} · no report ${t.noReport}`;

    if (vendors.length > 0 && rows.length > 0) {
      const sms = buildSms(settingsFor(vendors, flags, ctx), flags);
      const changes = sms.track(
        rows.map((r) => ({ vendor: r.vendor, messageId: r.messageId, state: states.get(r.key)?.state })),
        {
          deadline,
          reports,
          ...(interval ? { interval, maxInterval: Math.max(interval, 600_000) } : {}),
          now,
          ...(clock.sleep ? { sleep: clock.sleep } : {}),
        },
      );
      let shown = 0;
      for await (const change of changes) {
        const row = byMessage.get(`${change.vendor}:${change.messageId}`);
        if (!row) continue;
        record(file, row, change);
        current.set(row.key, change.state);
        if (out.json) {
          await out.drained();
          out.emit('state', { key: row.key, row: row.row, ...statusRecord(change) }, '');
        }
        // A person sees the tally, at most about once a second; a script sees every change.
        else if (now() - shown >= 1000) {
          shown = now();
          out.note(line(count()));
        }
      }
    }
    const tally = count();
    out.emit('summary', { rows: rows.length, ...tally }, line(tally));
    return tally.pending + tally.noReport > 0 ? exitCodes.unknown : exitCodes.done;
  } finally {
    lock.release();
  }
}

function record(file: string, row: { key: string; row: number }, change: MessageStatus): void {
  const line: StateLine = {
    key: row.key,
    row: row.row,
    vendor: change.vendor,
    messageId: change.messageId,
    state: change.state,
    vendorStatus: change.vendorStatus,
    ...(change.at ? { at: change.at.toISOString() } : {}),
  };
  // One whole line a change: a kill loses at most the change being written, which the next run asks for again.
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
