import { homedir } from 'node:os';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { type Ledger, LockedError } from '@smswire/sms';
import { fileLedger } from '@smswire/sms/file-ledger';
import { UsageError } from './exit-codes.js';

export type ClosableLedger = Ledger & { close(): void | Promise<void> };

/** What `@smswire/sms/redis-ledger` exports (ioredis is its optional peer). */
type RedisLedgerModule = { redisLedger(url: string): ClosableLedger };

/**
 * `--ledger`: `redis://…` (or `rediss://…`) for an idempotency ledger several machines share,
 * `file:<path>` or a path for one kept in a file, locked by one process at a time (a second is
 * refused, exit 2, unless `waitMs` lets it wait its turn).
 */
export async function openLedger(value: string, waitMs = 0): Promise<ClosableLedger> {
  if (/^rediss?:\/\//.test(value)) {
    // A variable specifier: the Redis store is loaded only by the runs that ask for it.
    const specifier = '@smswire/sms/redis-ledger';
    let module: RedisLedgerModule;
    try {
      module = (await import(specifier)) as RedisLedgerModule;
    } catch (error) {
      throw new UsageError(
        `--ledger redis://…: cannot load ${specifier} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    return module.redisLedger(value);
  }
  const path = value.startsWith('file:') ? value.slice('file:'.length) : value;
  if (!path) throw new UsageError('--ledger takes redis://host:port or file:<path>');
  return waitFor(() => fileLedger(path), waitMs);
}

/**
 * `send`'s ledger when it has an idempotency key and no `--ledger`: a file ledger at
 * `$XDG_STATE_HOME/smswire/send-ledger.jsonl` (`~/.local/state/smswire/…`), so the key holds
 * across runs. It remembers a key 30 days (the file ledger's window).
 */
export function defaultLedgerPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  const dir = join(state, 'smswire');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return join(dir, 'send-ledger.jsonl');
}

/** `open()`, retried while another process holds its lock, for up to `waitMs`. */
async function waitFor<T>(open: () => T, waitMs: number): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return open();
    } catch (error) {
      if (!(error instanceof LockedError) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
