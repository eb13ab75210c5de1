import { SmswireError } from '@smswire/core/errors';
import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';
import { lockFile } from './file-lock.js';
import { pendingEntry, reclaimable, type Ledger, type LedgerEntry } from './ledger.js';

export interface FileLedgerOptions {
  /**
   * Forget a key this long after its last write (default 30 days): a send repeated within it is
   * not sent again, one repeated later is a new send. Forgotten lines leave the file when it is
   * compacted.
   */
  forgetAfterMs?: number | undefined;
  /**
   * Rewrite the file with only its live lines once it is more than twice their size and at least
   * this many bytes (default 1 MiB).
   */
  compactAtBytes?: number | undefined;
  /** The clock (ms since the epoch); `Date.now` by default. */
  now?: (() => number) | undefined;
  /** For tests: the file writes, as `node:fs` has them. */
  fs?: { writeSync?: WriteSync; fsyncSync?: (fd: number) => void } | undefined;
}

type WriteSync = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

/** A failure of the file ledger: a write that did not reach the disk whole, or a file it cannot use. */
export class FileLedgerError extends SmswireError {
  override name = 'FileLedgerError';
}

const thirtyDays = 30 * 24 * 60 * 60 * 1000;

/**
 * A ledger kept in a JSON-lines file, held by one process at a time (`lockFile`: a second
 * process, or a second ledger on the file, gets a `LockedError`). Every claim and outcome is
 * appended whole and flushed to disk (fsync) before the vendor is called or the result returned,
 * so a crash between the two leaves a `pending` key, which is never sent again. A line that
 * cannot be written whole (a full disk) is cut back off the file and its claim fails: nothing is
 * sent, and the key stays free. Reopening the file replays it; the last line of a key wins, and a
 * torn last line (a crash mid-write) is cut off. Keys are forgotten `forgetAfterMs` after their
 * last write, and the file is compacted (rewritten to a temporary file, then renamed over it)
 * once it has grown past twice its live lines.
 */
export function fileLedger(path: string, options: FileLedgerOptions = {}): Ledger & { close(): void } {
  const window = options.forgetAfterMs ?? thirtyDays;
  const compactAt = options.compactAtBytes ?? 1024 * 1024;
  const now = options.now ?? Date.now;
  const writeSync: WriteSync = options.fs?.writeSync ?? nodeFs.writeSync;
  const fsyncSync = options.fs?.fsyncSync ?? nodeFs.fsyncSync;
  const failure = (operation: string, detail: string) =>
    new FileLedgerError(`file ledger ${path}: ${operation} failed: ${detail}`, { vendor: 'file', operation });

  const lock = lockFile(path);
  /** Each key's entry, the time of its last line and that line's size. */
  const entries = new Map<string, { entry: LedgerEntry; at: number; bytes: number }>();
  let fd: number;
  /** Bytes in the file (all of them whole lines) and in its live lines. */
  let size = 0;
  let live = 0;
  /** Set once a torn line could not be cut off: no line may be appended after it. */
  let broken: string | undefined;
  /** The size from which the file is compacted (once it is over twice its live lines). */
  let compactFrom = compactAt;
  try {
    let text = '';
    try {
      text = nodeFs.readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // A torn last line (a crash mid-write) was never a decision: it goes.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const oldest = now() - window;
    for (const line of whole.split('\n')) {
      if (!line) continue;
      try {
        const { key, entry, at } = JSON.parse(line) as { key: string; entry: LedgerEntry; at?: number };
        // Lines from before `at` was written count as written now.
        const time = at ?? now();
        const bytes = Buffer.byteLength(line) + 1;
        live -= entries.get(key)?.bytes ?? 0;
        if (time <= oldest) entries.delete(key);
        else {
          entries.delete(key);
          entries.set(key, { entry, at: time, bytes });
          live += bytes;
        }
      } catch {
        // A torn line an older version left mid-file: never completed, so never returned.
      }
    }
    fd = nodeFs.openSync(path, 'a', 0o600);
    size = Buffer.byteLength(whole);
    if (size < Buffer.byteLength(text)) nodeFs.ftruncateSync(fd, size);
  } catch (error) {
    lock.release();
    throw error;
  }

  /** Appends whole lines, flushed; or cuts what was written of them back off, and throws. */
  const append = (operation: string, text: string) => {
    if (broken) throw failure(operation, broken);
    const bytes = Buffer.from(text);
    let written = 0;
    try {
      while (written < bytes.length) {
        const count = writeSync(fd, bytes, written, bytes.length - written);
        if (!(count > 0)) throw new Error(`the disk took ${written} of ${bytes.length} bytes`);
        written += count;
      }
      fsyncSync(fd);
    } catch (error) {
      try {
        nodeFs.ftruncateSync(fd, size);
      } catch (truncate) {
        broken = `a line it could not finish (${describe(error)}) could not be cut off the file (${describe(truncate)}); move the torn last line away by hand`;
      }
      throw failure(operation, `${describe(error)}; nothing of it is kept`);
    }
    size += bytes.length;
  };

  const lineOf = (key: string, entry: LedgerEntry, at: number) => `${JSON.stringify({ key, entry, at })}\n`;
  const write = (operation: string, key: string, entry: LedgerEntry) => {
    const at = now();
    const line = lineOf(key, entry, at);
    append(operation, line);
    const bytes = Buffer.byteLength(line);
    live += bytes - (entries.get(key)?.bytes ?? 0);
    entries.delete(key);
    entries.set(key, { entry, at, bytes });
    if (size >= compactFrom && size > 2 * live) compact();
  };

  /** Rewrites the file with its live lines; the old file stays whole until the rename replaces it. */
  const compact = () => {
    const oldest = now() - window;
    for (const [key, { at, bytes }] of entries) {
      if (at > oldest) break;
      entries.delete(key);
      live -= bytes;
    }
    const temporary = `${path}.compact`;
    let out: number | undefined;
    let total = 0;
    try {
      out = nodeFs.openSync(temporary, 'w', 0o600);
      for (const [key, { entry, at }] of entries) {
        const bytes = Buffer.from(lineOf(key, entry, at));
        for (let written = 0; written < bytes.length; ) {
          const count = writeSync(out, bytes, written, bytes.length - written);
          if (!(count > 0)) throw new Error('the disk is full');
          written += count;
        }
        total += bytes.length;
      }
      fsyncSync(out);
    } catch {
      // The file is intact: keep appending to it, and try again once it has doubled.
      if (out !== undefined) nodeFs.closeSync(out);
      nodeFs.rmSync(temporary, { force: true });
      compactFrom = size * 2;
      return;
    }
    nodeFs.closeSync(out);
    try {
      nodeFs.renameSync(temporary, path);
    } catch {
      nodeFs.rmSync(temporary, { force: true });
      compactFrom = size * 2;
      return;
    }
    // The rename made durable before a line goes to the new file (a power cut could otherwise
    // bring back the old one without it); not every system can open a directory (Windows).
    try {
      const dir = nodeFs.openSync(dirname(path), 'r');
      try {
        nodeFs.fsyncSync(dir);
      } finally {
        nodeFs.closeSync(dir);
      }
    } catch {
      // Best effort.
    }
    // Past the rename the old descriptor writes to a file no one reads: no line may go there.
    try {
      const next = nodeFs.openSync(path, 'a', 0o600);
      nodeFs.closeSync(fd);
      fd = next;
    } catch (error) {
      broken = `it could not reopen the file it compacted (${describe(error)})`;
      return;
    }
    size = total;
    live = total;
    compactFrom = compactAt;
  };

  const current = (key: string) => {
    const found = entries.get(key);
    return found && found.at > now() - window ? found.entry : undefined;
  };

  return {
    async claim(key, claim = {}) {
      const entry = current(key);
      if (!reclaimable(entry, claim)) return entry;
      write('claim', key, pendingEntry(now(), claim.fingerprint));
      return undefined;
    },
    async record(key, entry) {
      write('record', key, entry);
    },
    async get(key) {
      return current(key);
    },
    close() {
      try {
        nodeFs.closeSync(fd);
      } finally {
        lock.release();
      }
    },
  };
}

const describe = (error: unknown) =>
  (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));

export { LockedError } from './file-lock.js';
export type { ClaimOptions, Ledger, LedgerEntry } from './ledger.js';
