import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { reclaimable, type Ledger, type LedgerEntry } from './ledger.js';

/**
 * A ledger kept in a JSON-lines file, for one process at a time: every claim and outcome is
 * appended and flushed to disk (fsync) before the vendor is called or the result returned, so a
 * crash between the two leaves a `pending` key, which is never sent again. Reopening the file
 * replays it; the last line of a key wins. A torn last line (a crash mid-write) is ignored.
 */
export function fileLedger(path: string): Ledger & { close(): void } {
  const entries = new Map<string, LedgerEntry>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const { key, entry } = JSON.parse(line) as { key: string; entry: LedgerEntry };
      entries.set(key, entry);
    } catch {
      // A line cut short by a crash: its write never completed, so its outcome was never returned.
    }
  }
  const fd = openSync(path, 'a', 0o600);
  // A torn last line would swallow the next record: start on a fresh line.
  if (text && !text.endsWith('\n')) writeSync(fd, '\n');
  const write = (key: string, entry: LedgerEntry) => {
    entries.set(key, entry);
    writeSync(fd, `${JSON.stringify({ key, entry })}\n`);
    fsyncSync(fd);
  };
  return {
    async claim(key) {
      const entry = entries.get(key);
      if (!reclaimable(entry)) return entry;
      write(key, { state: 'pending', since: Date.now() });
      return undefined;
    },
    async record(key, entry) {
      write(key, entry);
    },
    async get(key) {
      return entries.get(key);
    },
    close() {
      closeSync(fd);
    },
  };
}

export type { Ledger, LedgerEntry } from './ledger.js';
