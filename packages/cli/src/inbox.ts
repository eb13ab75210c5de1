import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { lockFile } from '@smswire/sms/file-lock';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Context } from './io.js';
import { buildSms, settingsFor, vendorList, type VendorFlags } from './setup.js';

export interface InboxFlags extends VendorFlags {
  follow?: boolean;
  /** The wait between reads when following, in ms. */
  interval?: string;
  /** Where the cursor is kept (default `$XDG_STATE_HOME/smswire/inbox-<vendors>.cursor`). */
  cursorFile?: string;
  /** Without a cursor: read replies from this ISO 8601 time on. */
  since?: string;
}

/** The cursor file: under `$XDG_STATE_HOME/smswire/` (`~/.local/state/smswire/`), one per vendor set. */
export function defaultCursorPath(vendors: readonly string[], env: Context['io']['env']): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'smswire', `inbox-${vendors.join('+')}.cursor`);
}

function readCursor(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Whole or not at all: a kill mid-write leaves the previous cursor, never half of one. */
function saveCursor(path: string, cursor: string): void {
  writeFileSync(`${path}.tmp`, cursor, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

/**
 * `smswire inbox [--follow]`: the replies sent to your numbers (SMS Leads' `incoming`), each
 * printed once: the cursor is saved after each reply's line reached stdout's reader, so the next
 * run starts after it (and a reply whose line did not, the reader gone, is printed next time).
 * With `--follow` it reads again every `--interval` until Ctrl-C.
 */
export async function inboxCommand(
  flags: InboxFlags,
  ctx: Context,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const { out } = ctx;
  const vendors = vendorList(flags.vendor ?? 'smsleads');
  const interval = flags.interval === undefined ? undefined : Number(flags.interval);
  if (interval !== undefined && !(Number.isInteger(interval) && interval > 0))
    throw new UsageError('--interval: a whole number of milliseconds above 0');
  const since = flags.since === undefined ? undefined : new Date(flags.since);
  if (since && (!/^\d{4}-\d\d-\d\d/.test(flags.since!) || Number.isNaN(since.getTime())))
    throw new UsageError(`--since ${flags.since}: an ISO 8601 time (2026-12-01T00:00:00Z)`);
  const path = flags.cursorFile ?? defaultCursorPath(vendors, ctx.io.env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // One reader a cursor: two would print the same replies.
  const lock = lockFile(path);
  const stop = new AbortController();
  const interrupt = () => stop.abort(new Error('interrupted'));
  signals.on('SIGINT', interrupt);
  signals.on('SIGTERM', interrupt);
  try {
    const sms = buildSms(settingsFor(vendors, flags, ctx), flags);
    const cursor = readCursor(path);
    const replies = sms.inbound({
      ...(cursor ? { cursor } : {}),
      ...(since ? { since } : {}),
      ...(flags.follow ? { follow: true } : {}),
      ...(interval ? { interval } : {}),
      signal: stop.signal,
    });
    try {
      for await (const reply of replies) {
        const { cursor: next, ...message } = reply;
        out.emit(
          'reply',
          { ...message, at: message.at.toISOString() },
          `${message.at.toISOString()} ${message.vendor} ${message.from} → ${message.to}: ${out.redact(message.text)}`,
        );
        // Printed once it reached the reader's pipe: a reply whose line did not (`… | head -1`
        // gone) keeps the cursor before it, so the next run prints it.
        if (!(await out.flushed())) return exitCodes.done;
        saveCursor(path, next);
      }
      saveCursor(path, replies.cursor);
    } catch (error) {
      if (!stop.signal.aborted) throw error;
    }
    return exitCodes.done;
  } finally {
    signals.off('SIGINT', interrupt);
    signals.off('SIGTERM', interrupt);
    lock.release();
  }
}
