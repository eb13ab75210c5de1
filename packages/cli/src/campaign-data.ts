import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseNumber } from '@smswire/sms';
import { appliedStatus, reportFileReader } from '@smswire/sms/report-endpoint';
import type { JournalLine } from './journal.js';
import { reportsBeside } from './listen.js';

/** Where a row of a campaign ended: the funnel's last steps. */
export type Outcome = 'delivered' | 'undelivered' | 'rejected' | 'unknown' | 'noReport';
export const outcomes: readonly Outcome[] = ['delivered', 'undelivered', 'rejected', 'unknown', 'noReport'];

export interface CampaignRow {
  key: string;
  vendor: string;
  /** ISO 3166 code of the number, or `??` when it is none the phone library knows. */
  country: string;
  outcome: Outcome;
  accepted: boolean;
  reason?: string;
  encoding?: string;
  parts?: number;
  /** When the final report came (the vendor's time, else when `listen` read it). */
  finalAt?: Date;
}

/** Counts by a label, in order of first appearance. */
export type Tally = Map<string, number>;

export interface Campaign {
  journal: string;
  rows: number;
  accepted: number;
  funnel: Record<Outcome, number>;
  byVendor: Map<string, Record<Outcome, number>>;
  byReason: Tally;
  byCountry: Map<string, Record<Outcome, number>>;
  encodings: Tally;
  parts: Tally;
  /** Final reports by time bucket: the bucket's start, delivered and undelivered counts. */
  overTime: { start: Date; delivered: number; undelivered: number }[];
  bucketMs: number;
}

const zero = (): Record<Outcome, number> => ({ delivered: 0, undelivered: 0, rejected: 0, unknown: 0, noReport: 0 });

/**
 * A bulk journal's rows, each with the state `smswire listen` recorded for it beside the journal
 * (`<journal>.reports.jsonl`): accepted rows without a final report are `noReport`.
 */
export async function readCampaign(journal: string): Promise<Campaign> {
  const lines = await readJournalLines(journal);
  const reportsPath = reportsBeside(journal);
  // Read only, never opened for writing: `listen` may be appending to it now.
  const store = existsSync(reportsPath) ? reportFileReader(reportsPath) : undefined;
  const rows: CampaignRow[] = [];
  for (const line of lines.values()) {
    const status = line.state === 'pending' ? 'unknown' : line.status;
    if (!status) continue;
    let outcome: Outcome = status === 'accepted' ? 'noReport' : status;
    let finalAt: Date | undefined;
    if (status === 'accepted' && store && line.vendor && line.messageId) {
      const report = await appliedStatus(store, line.vendor, line.messageId);
      if (report?.final) {
        outcome = report.state === 'delivered' ? 'delivered' : 'undelivered';
        finalAt = report.at;
      }
    }
    rows.push({
      key: line.key,
      vendor: line.vendor ?? 'none',
      country: countryOf(line.to),
      outcome,
      accepted: status === 'accepted',
      ...(line.reason && status === 'rejected' ? { reason: line.reason } : {}),
      ...(line.encoding ? { encoding: line.encoding } : {}),
      ...(line.parts ? { parts: line.parts } : {}),
      ...(finalAt ? { finalAt } : {}),
    });
  }
  return summarize(journal, rows);
}

/**
 * Each key's lines merged, the last one's state winning: an `unknown` line keeps the vendor,
 * encoding and parts an earlier line of the key recorded. A line cut short by a kill is skipped.
 */
async function readJournalLines(path: string): Promise<Map<string, JournalLine>> {
  const merged = new Map<string, JournalLine>();
  const input = createReadStream(path, { encoding: 'utf8' });
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue;
    }
    if (typeof line?.key !== 'string') continue;
    const { state, status, ...rest } = line;
    merged.set(line.key, {
      ...merged.get(line.key),
      ...rest,
      ...(state ? { state } : {}),
      ...(status ? { status, state: undefined } : {}),
    } as JournalLine);
  }
  return merged;
}

function countryOf(number: string): string {
  try {
    return parseNumber(number).country ?? '??';
  } catch {
    return '??';
  }
}

const count = (tally: Tally, label: string) => tally.set(label, (tally.get(label) ?? 0) + 1);

export function summarize(journal: string, rows: readonly CampaignRow[]): Campaign {
  const funnel = zero();
  const byVendor = new Map<string, Record<Outcome, number>>();
  const byCountry = new Map<string, Record<Outcome, number>>();
  const byReason: Tally = new Map();
  const encodings: Tally = new Map();
  const parts: Tally = new Map();
  for (const row of rows) {
    funnel[row.outcome]++;
    for (const [table, label] of [
      [byVendor, row.vendor],
      [byCountry, row.country],
    ] as const) {
      const counts = table.get(label) ?? zero();
      counts[row.outcome]++;
      table.set(label, counts);
    }
    if (row.reason) count(byReason, row.reason);
    if (row.accepted) {
      count(encodings, row.encoding ?? 'not recorded');
      count(parts, row.parts ? String(row.parts) : 'not recorded');
    }
  }
  const finals = rows.filter((r) => r.finalAt).map((r) => ({ at: r.finalAt!.getTime(), outcome: r.outcome }));
  const { buckets, bucketMs } = bucketize(finals);
  const byTotal = <V>(map: Map<string, V>, total: (v: V) => number) =>
    new Map([...map].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0])));
  const sum = (counts: Record<Outcome, number>) => outcomes.reduce((n, o) => n + counts[o], 0);
  return {
    journal,
    rows: rows.length,
    accepted: rows.filter((r) => r.accepted).length,
    funnel,
    byVendor: byTotal(byVendor, sum),
    byCountry: byTotal(byCountry, sum),
    byReason: byTotal(byReason, (n) => n),
    encodings: byTotal(encodings, (n) => n),
    parts: new Map([...parts].sort((a, b) => Number(a[0]) - Number(b[0]) || a[0].localeCompare(b[0]))),
    overTime: buckets,
    bucketMs,
  };
}

const steps = [60_000, 5 * 60_000, 15 * 60_000, 3600_000, 6 * 3600_000, 24 * 3600_000, 7 * 24 * 3600_000];

/** Final reports in at most 48 buckets of a round size (a minute … a week). */
function bucketize(finals: { at: number; outcome: Outcome }[]) {
  if (finals.length === 0) return { buckets: [], bucketMs: steps[0]! };
  const first = Math.min(...finals.map((f) => f.at));
  const last = Math.max(...finals.map((f) => f.at));
  const bucketMs = steps.find((step) => (last - first) / step < 48) ?? steps.at(-1)!;
  const start = Math.floor(first / bucketMs) * bucketMs;
  const buckets = Array.from({ length: Math.floor((last - start) / bucketMs) + 1 }, (_, i) => ({
    start: new Date(start + i * bucketMs),
    delivered: 0,
    undelivered: 0,
  }));
  for (const f of finals) {
    const bucket = buckets[Math.floor((f.at - start) / bucketMs)]!;
    if (f.outcome === 'delivered') bucket.delivered++;
    else bucket.undelivered++;
  }
  return { buckets, bucketMs };
}
