import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { UsageError } from './exit-codes.js';

export interface CsvRow {
  /** From 1; the header is not a row. */
  row: number;
  to: string;
  text: string;
  from?: string | undefined;
  id?: string | undefined;
}

const columns = ['to', 'text', 'from', 'id'];

/**
 * The rows of a `to,text[,from,id]` CSV as they stream in. csv-parse is a stream, and `for await`
 * pulls one record at a time: a row is read only when the sender asks for the next, so a
 * million-row file never sits in memory. Other columns are ignored.
 */
export async function* csvRows(source: Readable): AsyncGenerator<CsvRow> {
  const parser = source.pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim().toLowerCase());
        const missing = ['to', 'text'].filter((c) => !names.includes(c));
        if (missing.length)
          throw new UsageError(
            `the CSV header needs the columns ${columns.join(',')} (missing: ${missing.join(', ')})`,
          );
        return names;
      },
    }),
  );
  source.once('error', (error) => parser.destroy(error));
  let row = 0;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    row++;
    yield {
      row,
      to: record.to ?? '',
      text: record.text ?? '',
      from: record.from || undefined,
      id: record.id || undefined,
    };
  }
}

/** The rows in a file, counted by parsing it once (for the progress bar's total and ETA). */
export async function countRows(source: Readable): Promise<number> {
  let count = 0;
  for await (const _ of csvRows(source)) count++;
  return count;
}

/**
 * The row's idempotency key: its `id` column, or a hash of its row number, number and text. The
 * hash is stable across runs of the same file, which is what lets a run resume (and several
 * workers share a ledger); it changes when a row moves, so a file edited between runs is
 * partly a new campaign.
 */
export function rowKey(row: CsvRow): string {
  if (row.id) return row.id;
  const hash = createHash('sha256')
    .update(JSON.stringify([row.row, row.to, row.text]))
    .digest('hex');
  return `row-${row.row}-${hash.slice(0, 20)}`;
}
