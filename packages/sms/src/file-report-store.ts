import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { swapIn, type ReportStore } from './report-store.js';

/**
 * The report endpoint's store in a JSON-lines file, for one process at a time (there is no lock
 * on the file: two endpoint processes need the Redis store). Each applied change is one whole
 * line, written and flushed to disk (fsync) before the endpoint answers, so a report it answered
 * 200 survives a crash. Reopening the file replays it; a torn last line (a crash mid-write) was
 * never answered, and is skipped.
 */
export function fileReportStore(path: string): ReportStore & { close(): void } {
  const values = new Map<string, string>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const changes = JSON.parse(line) as Record<string, string | null>;
      for (const [key, value] of Object.entries(changes)) value === null ? values.delete(key) : values.set(key, value);
    } catch {
      // A line cut short by a crash.
    }
  }
  const fd = openSync(path, 'a', 0o600);
  if (text && !text.endsWith('\n')) writeSync(fd, '\n');
  return {
    async read(keys) {
      return keys.map((key) => values.get(key));
    },
    async swap(keys, expected, next) {
      const line = `${JSON.stringify(Object.fromEntries(keys.map((key, i) => [key, next[i] ?? null])))}\n`;
      if (!swapIn(values, keys, expected, next)) return false;
      try {
        writeSync(fd, line);
        fsyncSync(fd);
      } catch (error) {
        // Not on disk, so not applied: the memory copy goes back to what the file holds.
        swapIn(values, keys, next, expected);
        throw error;
      }
      return true;
    },
    close() {
      closeSync(fd);
    },
  };
}
