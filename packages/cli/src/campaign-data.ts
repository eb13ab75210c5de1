import { existsSync } from 'node:fs';
import { parseNumber } from '@smswire/sms';
import { appliedStatus, reportFileReader } from '@smswire/sms/report-endpoint';
import { JournalIndex } from './journal-index.js';
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
 * (`<journal>.reports.jsonl`): accepted rows without a final report are `noReport`. Each row is
 * counted as it is read (the journal's index, file order), so a million rows are not held at once.
 */
export async function readCampaign(journal: string): Promise<Campaign> {
  const index = await JournalIndex.read(journal);
  const reportsPath = reportsBeside(journal);
  // Read only, never opened for writing: `listen` may be appending to it now.
  const store = existsSync(reportsPath) ? reportFileReader(reportsPath) : undefined;
  const tally = new CampaignTally(journal);
  try {
    for (const { line, state } of index.lines()) {
      const { status, vendor, messageId } = state;
      let outcome: Outcome = status === 'accepted' ? 'noReport' : status;
      let finalAt: Date | undefined;
      if (status === 'accepted' && store && vendor && messageId) {
        const report = await appliedStatus(store, vendor, messageId);
        if (report?.final) {
          outcome = report.state === 'delivered' ? 'delivered' : 'undelivered';
          finalAt = report.at;
        }
      }
      tally.add({
        key: line.key,
        vendor: vendor ?? 'none',
        country: countryOf(line.to),
        outcome,
        accepted: status === 'accepted',
        ...(line.reason && status === 'rejected' ? { reason: line.reason } : {}),
        ...(line.encoding ? { encoding: line.encoding } : {}),
        ...(line.parts ? { parts: line.parts } : {}),
        ...(finalAt ? { finalAt } : {}),
      });
    }
  } finally {
    index.close();
  }
  return tally.campaign();
}

function countryOf(number: string): string {
  try {
    return parseNumber(number).country ?? '??';
  } catch {
    return '??';
  }
}

const count = (tally: Tally, label: string) => tally.set(label, (tally.get(label) ?? 0) + 1);

/** A campaign's counts, a row at a time: what is kept is counts, and the time of each final report. */
export class CampaignTally {
  private rows = 0;
  private accepted = 0;
  private readonly funnel = zero();
  private readonly byVendor = new Map<string, Record<Outcome, number>>();
  private readonly byCountry = new Map<string, Record<Outcome, number>>();
  private readonly byReason: Tally = new Map();
  private readonly encodings: Tally = new Map();
  private readonly parts: Tally = new Map();
  /** When each final report came, in milliseconds: delivered, and not. */
  private readonly finals = { delivered: [] as number[], undelivered: [] as number[] };

  constructor(private readonly journal: string) {}

  add(row: CampaignRow): void {
    this.rows++;
    this.funnel[row.outcome]++;
    for (const [table, label] of [
      [this.byVendor, row.vendor],
      [this.byCountry, row.country],
    ] as const) {
      const counts = table.get(label) ?? zero();
      counts[row.outcome]++;
      table.set(label, counts);
    }
    if (row.reason) count(this.byReason, row.reason);
    if (row.accepted) {
      this.accepted++;
      count(this.encodings, row.encoding ?? 'not recorded');
      count(this.parts, row.parts ? String(row.parts) : 'not recorded');
    }
    if (row.finalAt) this.finals[row.outcome === 'delivered' ? 'delivered' : 'undelivered'].push(row.finalAt.getTime());
  }

  campaign(): Campaign {
    const { buckets, bucketMs } = bucketize(this.finals);
    const byTotal = <V>(map: Map<string, V>, total: (v: V) => number) =>
      new Map([...map].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0])));
    const sum = (counts: Record<Outcome, number>) => outcomes.reduce((n, o) => n + counts[o], 0);
    return {
      journal: this.journal,
      rows: this.rows,
      accepted: this.accepted,
      funnel: this.funnel,
      byVendor: byTotal(this.byVendor, sum),
      byCountry: byTotal(this.byCountry, sum),
      byReason: byTotal(this.byReason, (n) => n),
      encodings: byTotal(this.encodings, (n) => n),
      parts: new Map([...this.parts].sort((a, b) => Number(a[0]) - Number(b[0]) || a[0].localeCompare(b[0]))),
      overTime: buckets,
      bucketMs,
    };
  }
}

const steps = [60_000, 5 * 60_000, 15 * 60_000, 3600_000, 6 * 3600_000, 24 * 3600_000, 7 * 24 * 3600_000];

/** Final reports in at most 48 buckets of a round size (a minute … a week). */
function bucketize(finals: { delivered: readonly number[]; undelivered: readonly number[] }) {
  // A loop, not Math.min(...times): a spread of a million arguments overflows the stack.
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const times of [finals.delivered, finals.undelivered])
    for (const at of times) {
      if (at < first) first = at;
      if (at > last) last = at;
    }
  if (first > last) return { buckets: [], bucketMs: steps[0]! };
  const bucketMs = steps.find((step) => (last - first) / step < 48) ?? steps.at(-1)!;
  const start = Math.floor(first / bucketMs) * bucketMs;
  const buckets = Array.from({ length: Math.floor((last - start) / bucketMs) + 1 }, (_, i) => ({
    start: new Date(start + i * bucketMs),
    delivered: 0,
    undelivered: 0,
  }));
  for (const outcome of ['delivered', 'undelivered'] as const)
    for (const at of finals[outcome]) buckets[Math.floor((at - start) / bucketMs)]![outcome]++;
  return { buckets, bucketMs };
}
