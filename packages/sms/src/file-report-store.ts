import { closeSync, fdatasync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { swapIn, type ReportStore } from './report-store.js';

interface Pending {
  keys: readonly string[];
  expected: readonly (string | undefined)[];
  next: readonly (string | undefined)[];
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** Changes written to the file together, and the file's length after them. */
interface Batch {
  changes: Pending[];
  end: number;
}

/**
 * Flushes under way at once. A flush covers everything written before it started, so several
 * may overlap; on ext4, where each is a journal commit, up to four measured no faster than one
 * (docs/benchmarks.md, "Report endpoint"), so one at a time.
 */
const maxSyncs = 1;

/** Applies a report file's lines to `values` in order; a line cut short by a crash is skipped. */
function applyLines(values: Map<string, string>, text: string): Map<string, string> {
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const changes = JSON.parse(line) as Record<string, string | null>;
      for (const [key, value] of Object.entries(changes)) value === null ? values.delete(key) : values.set(key, value);
    } catch {
      // A line cut short by a crash.
    }
  }
  return values;
}

/**
 * A file store another process writes (`smswire listen`), read and never written: each read first
 * takes in the whole lines added since the last, so a reader that runs for hours (`smswire
 * track`) sees reports as they arrive. A file cut back (a flush that failed) is read again whole.
 */
export function reportFileReader(path: string): ReportStore {
  let values = new Map<string, string>();
  let offset = 0;
  const refresh = () => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < offset) {
        values = new Map();
        offset = 0;
      }
      const bytes = Buffer.alloc(size - offset);
      const read = readSync(fd, bytes, 0, bytes.length, offset);
      // Up to the last whole line: the rest is still being written.
      const end = bytes.subarray(0, read).lastIndexOf(0x0a) + 1;
      applyLines(values, bytes.subarray(0, end).toString('utf8'));
      offset += end;
    } finally {
      closeSync(fd);
    }
  };
  return {
    async read(keys) {
      refresh();
      return keys.map((key) => values.get(key));
    },
    swap: () => Promise.reject(new Error(`${path}: a report file read by another process is not written here`)),
  };
}

/**
 * The report endpoint's store in a JSON-lines file, for one process at a time (there is no lock
 * on the file: two endpoint processes need the Redis store). Each applied change is one whole
 * line, and its swap resolves only once the line is flushed to disk (fdatasync), so a report the
 * endpoint answered 200 survives a crash. Changes are committed in groups: those that arrive while
 * a flush runs are written together (straight into the page cache, no thread) and share the next
 * flush, which is what lets a disk whose flush takes milliseconds record thousands of reports a
 * second. A key with a change not yet on disk is read only once it is, so no answer rests on one.
 * Reopening the file replays it; a torn last line (a crash mid-write) was never answered, and is
 * skipped.
 */
export function fileReportStore(path: string): ReportStore & { close(): Promise<void> } {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const values = applyLines(new Map(), text);
  const fd = openSync(path, 'a', 0o600);
  if (text && !text.endsWith('\n')) writeSync(fd, '\n');
  /** The file's length after the last change on disk: a failed flush cuts the file back to it. */
  let durableEnd = fstatSync(fd).size;
  /** The file's length after the last change written. */
  let writtenEnd = durableEnd;
  /** Swaps applied in memory and not yet written, in order. */
  let queue: Pending[] = [];
  /** Batches written and not yet known to be on disk, oldest first. */
  let unsynced: Batch[] = [];
  /** Bumped when a failure undoes what was not on disk, so that flushes started before it are ignored. */
  let generation = 0;
  /** Keys with a change not yet on disk, and how many. */
  const dirty = new Map<string, number>();
  /** Resolved, and replaced, each time changes reach the disk or are undone. */
  let wake = () => {};
  let settled = new Promise<void>((resolve) => (wake = resolve));
  const notify = () => {
    wake();
    settled = new Promise<void>((resolve) => (wake = resolve));
  };

  const clean = (changes: readonly Pending[]) => {
    for (const p of changes)
      for (const key of p.keys) {
        const n = dirty.get(key)! - 1;
        n ? dirty.set(key, n) : dirty.delete(key);
      }
  };

  /** Not on disk, so not applied: every change not yet on disk (any may rest on another) is undone, newest first. */
  const fail = (error: unknown) => {
    generation++;
    const undone = [...unsynced.flatMap((b) => b.changes), ...queue];
    unsynced = [];
    queue = [];
    for (const p of [...undone].reverse()) swapIn(values, p.keys, p.next, p.expected);
    clean(undone);
    try {
      ftruncateSync(fd, durableEnd);
    } catch {
      // The torn tail is skipped on reopen.
    }
    writtenEnd = durableEnd;
    for (const p of undone) p.reject(error);
    notify();
  };

  const synced = (batch: Batch) => {
    // A flush covers every change written before it started: this batch and all before it.
    const index = unsynced.indexOf(batch);
    if (index < 0) return;
    const done = unsynced.splice(0, index + 1);
    durableEnd = batch.end;
    for (const b of done) {
      clean(b.changes);
      for (const p of b.changes) p.resolve();
    }
    notify();
    kick();
  };

  const kick = () => {
    if (queue.length === 0 || unsynced.length >= maxSyncs) return;
    const changes = queue;
    queue = [];
    const bytes = Buffer.from(changes.map((p) => p.line).join(''));
    const batch: Batch = { changes, end: writtenEnd + bytes.length };
    unsynced.push(batch);
    try {
      // Into the page cache, at once: only the flush is worth a thread.
      if (writeSync(fd, bytes, 0, bytes.length) !== bytes.length) throw new Error('short write');
    } catch (error) {
      fail(error);
      return;
    }
    writtenEnd = batch.end;
    const started = generation;
    fdatasync(fd, (error) => {
      if (started !== generation) return;
      if (error) fail(error);
      else synced(batch);
    });
  };

  const durable = async (keys: readonly string[]) => {
    while (keys.some((key) => dirty.has(key))) await settled;
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
      // Written after this turn of the event loop, with every other change the turn brought.
      if (queue.length === 1) setImmediate(kick);
      return done;
    },
    async close() {
      while (queue.length || unsynced.length) await settled;
      closeSync(fd);
    },
  };
}
