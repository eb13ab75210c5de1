import { closeSync, fstatSync, fsync, ftruncateSync, openSync, readFileSync, write, writeSync } from 'node:fs';
import { swapIn, type ReportStore } from './report-store.js';

interface Pending {
  keys: readonly string[];
  expected: readonly (string | undefined)[];
  next: readonly (string | undefined)[];
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The report endpoint's store in a JSON-lines file, for one process at a time (there is no lock
 * on the file: two endpoint processes need the Redis store). Each applied change is one whole
 * line, and its swap resolves only once the line is flushed to disk (fsync), so a report the
 * endpoint answered 200 survives a crash. The changes that arrive while one fsync runs are
 * written and flushed together by the next (group commit): one fsync per batch, not per report,
 * which is what lets a disk whose fsync takes milliseconds record thousands of reports a second.
 * A key with a change not yet on disk is read only once it is, so no answer rests on one.
 * Reopening the file replays it; a torn last line (a crash mid-write) was never answered, and is
 * skipped.
 */
export function fileReportStore(path: string): ReportStore & { close(): Promise<void> } {
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
  /** The file's length after the last batch on disk: a failed batch is cut back to it. */
  let size = fstatSync(fd).size;
  /** Swaps applied in memory and not yet taken into a batch, in order. */
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;
  /** Keys with a change not yet on disk, and how many. */
  const dirty = new Map<string, number>();

  const settle = (batch: readonly Pending[]) => {
    for (const p of batch)
      for (const key of p.keys) {
        const n = dirty.get(key)! - 1;
        n ? dirty.set(key, n) : dirty.delete(key);
      }
  };

  const flush = async (): Promise<void> => {
    while (queue.length) {
      // Taken whole: swaps made while it is written wait for the next batch.
      const batch = queue;
      queue = [];
      const bytes = Buffer.from(batch.map((p) => p.line).join(''));
      try {
        await new Promise<void>((resolve, reject) =>
          write(fd, bytes, 0, bytes.length, null, (error, written) =>
            error ? reject(error) : written !== bytes.length ? reject(new Error('short write')) : resolve(),
          ),
        );
        await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
      } catch (error) {
        // Not on disk, so not applied: every swap not yet on disk (this batch and any made since,
        // which may rest on it) is undone in memory, newest first, and the file cut back.
        const undone = [...batch, ...queue];
        queue = [];
        for (const p of [...undone].reverse()) swapIn(values, p.keys, p.next, p.expected);
        settle(undone);
        try {
          ftruncateSync(fd, size);
        } catch {
          // The torn tail is skipped on reopen.
        }
        for (const p of undone) p.reject(error);
        return;
      }
      size += bytes.length;
      settle(batch);
      for (const p of batch) p.resolve();
    }
  };

  const kick = () => {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = undefined;
      // A swap made after the last batch was taken, before this ran.
      if (queue.length) kick();
    });
  };

  const durable = async (keys: readonly string[]) => {
    while (flushing && keys.some((key) => dirty.has(key))) await flushing;
  };

  return {
    async read(keys) {
      await durable(keys);
      return keys.map((key) => values.get(key));
    },
    swap(keys, expected, next) {
      if (!swapIn(values, keys, expected, next)) return Promise.resolve(false);
      const line = `${JSON.stringify(Object.fromEntries(keys.map((key, i) => [key, next[i] ?? null])))}\n`;
      for (const key of keys) dirty.set(key, (dirty.get(key) ?? 0) + 1);
      const done = new Promise<boolean>((resolve, reject) =>
        queue.push({ keys, expected, next, line, resolve: () => resolve(true), reject }),
      );
      kick();
      return done;
    },
    async close() {
      while (flushing) await flushing;
      closeSync(fd);
    },
  };
}
