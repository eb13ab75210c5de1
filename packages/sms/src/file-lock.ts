import { closeSync, fsyncSync, linkSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { LockedError, type LockHolder } from './errors.js';

export { LockedError, type LockHolder } from './errors.js';

/** Locks this process holds, released on exit (best effort: a `kill -9` leaves a stale lock, which the next run takes over). */
const held = new Map<string, string>();
let exitHook = false;

/**
 * An exclusive lock on `path` for this process: the sibling file `${path}.lock`, created whole
 * and exclusively (its content written to a temporary file created with `wx`, then hard-linked
 * into place, which fails if the lock exists: no reader ever sees a half-written lock), holding
 * `{ pid, host, since }`. A lock whose holder is on this machine and no longer runs is stale and
 * taken over; one whose holder runs, or is on another machine, throws a `LockedError`. The lock
 * is released by `release()` and, best effort, when the process exits.
 */
export function lockFile(path: string): { release(): void } {
  const lock = `${path}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() } satisfies LockHolder);
  // A few tries: a stale lock taken over, or one released between our attempt and our read of it.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(lock, mine)) {
      hold(lock, mine);
      return { release: () => release(lock, mine) };
    }
    const found = read(lock);
    if (found === undefined) continue;
    const holder = parseHolder(found);
    if (!holder)
      throw new LockedError(path, { pid: 0, host: 'unknown', since: Number.NaN }, ' (the lock file is unreadable)');
    if (!isStale(holder)) throw new LockedError(path, holder);
    takeOver(lock, found);
  }
  const holder = parseHolder(read(lock) ?? '');
  throw new LockedError(path, holder ?? { pid: 0, host: 'unknown', since: Number.NaN }, ' (taken over meanwhile)');
}

/** Creates `lock` holding `text`, unless it exists. */
function create(lock: string, text: string): boolean {
  const temporary = `${lock}.${process.pid}.${globalThis.crypto.randomUUID()}`;
  try {
    writeNew(temporary, text);
    try {
      linkSync(temporary, lock);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    }
  } finally {
    rmSync(temporary, { force: true });
  }
  // A file system without hard links: created exclusively in place, so for a moment it may read empty.
  try {
    writeNew(lock, text);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Creates `path` exclusively (`wx`) with `text`, flushed; nothing is left of it if that fails. */
function writeNew(path: string, text: string) {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const bytes = Buffer.from(text);
    if (writeSync(fd, bytes) !== bytes.length) throw new Error(`could not write ${path} whole`);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
}

function read(lock: string): string | undefined {
  try {
    return readFileSync(lock, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.since === 'number')
      return { pid: value.pid!, host: value.host, since: value.since };
  } catch {
    // Not a lock we wrote.
  }
  return undefined;
}

/** On this machine and no longer running. A PID in use by another user (EPERM) runs. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes the stale lock whose text is `stale`, if it is still that one. Done holding a second,
 * short-lived lock, `${lock}.takeover`: a lock changes only by its holder's release (a stale
 * holder runs no more) or by a takeover, so under it the check and the removal cannot be split by
 * another process removing a lock it just made. A takeover lock left by a process that died in
 * those microseconds is itself stale, and removed.
 */
function takeOver(lock: string, stale: string) {
  const guard = `${lock}.takeover`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() } satisfies LockHolder);
  if (!create(guard, mine)) {
    const found = read(guard) ?? '';
    const holder = parseHolder(found);
    if (holder && isStale(holder)) rmIfSame(guard, found);
    return;
  }
  try {
    if (read(lock) === stale) unlinkSync(lock);
  } finally {
    unlinkSync(guard);
  }
}

function rmIfSame(path: string, text: string) {
  try {
    if (read(path) === text) unlinkSync(path);
  } catch {
    // Removed by another process meanwhile.
  }
}

function hold(lock: string, text: string) {
  held.set(lock, text);
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const [path, mine] of held) release(path, mine);
  });
}

/** Removes the lock if it is still ours. */
function release(lock: string, mine: string) {
  if (held.get(lock) !== mine) return;
  held.delete(lock);
  try {
    if (read(lock) === mine) unlinkSync(lock);
  } catch {
    // Gone already, or the directory with it: nothing is held.
  }
}
