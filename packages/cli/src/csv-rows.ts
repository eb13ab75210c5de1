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
export async function* csvRows(source: Readable, name = 'the CSV'): AsyncGenerator<CsvRow> {
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
  const records = (parser as AsyncIterable<Record<string, string>>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<Record<string, string>>;
      try {
        next = await records.next();
      } catch (error) {
        throw malformed(error, name);
      }
      if (next.done) return;
      const record = next.value;
      row++;
      yield {
        row,
        to: record.to ?? '',
        text: record.text ?? '',
        from: record.from || undefined,
        id: record.id || undefined,
      };
    }
  } finally {
    // A reader that stops early (Ctrl-C, a closed stdout) ends the parse and the file.
    await records.return?.();
  }
}

/**
 * csv-parse's refusal of a malformed line (a ragged row, an unclosed quote) as bad input, exit 2,
 * naming the file and the line (not its text: a row may hold anything).
 */
function malformed(error: unknown, name: string): unknown {
  const { code, lines, message } = error as { code?: unknown; lines?: unknown; message?: string };
  if (typeof code !== 'string' || !code.startsWith('CSV_')) return error;
  const why =
    code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || code === 'CSV_RECORD_INCONSISTENT_COLUMNS'
      ? 'a row with another number of fields than the header'
      : code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quote opened and never closed'
        : (message ?? code).replace(/:.*$/, '');
  return new UsageError(`${name}${typeof lines === 'number' ? `:${lines}` : ''}: malformed CSV: ${why}`);
}

/** The rows in a file, counted by parsing it once (for the progress bar's total and ETA). */
export async function countRows(source: Readable, name?: string): Promise<number> {
  let count = 0;
  for await (const _ of csvRows(source, name)) count++;
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
