import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UsageError } from './exit-codes.js';

/**
 * The campaign: the namespace of a run's idempotency keys in a ledger (`createSms`'s
 * `namespace`), so two campaigns that reuse row keys (customer IDs, row numbers) never answer
 * each other from a shared ledger. `--campaign <name>`, or by default the CSV's base name and a
 * short hash of its header and first row (`customers-3f9a0c12`): the same file resumes as the
 * same campaign, and next month's file of the same name, with other rows, is another. A CSV read
 * from stdin is named after its journal.
 */
export function campaignOf(given: string | undefined, file: string, journal: string): string {
  if (given !== undefined) {
    if (!/\S/.test(given)) throw new UsageError('--campaign takes a name');
    return given;
  }
  if (file === '-') return stem(journal.replace(/\.journal\.jsonl$/, ''));
  return `${stem(file)}-${createHash('sha256').update(firstLines(file, 2)).digest('hex').slice(0, 8)}`;
}

const stem = (path: string) => basename(path, extname(path)) || 'campaign';

/** The first `count` lines of a file (at most 64 KiB of it). */
function firstLines(path: string, count: number): string {
  const buffer = Buffer.alloc(64 * 1024);
  const fd = openSync(path, 'r');
  try {
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split(/\r?\n/).slice(0, count).join('\n');
  } finally {
    closeSync(fd);
  }
}
