import type { Ledger } from '@smswire/sms';
import { fileLedger } from '@smswire/sms/file-ledger';
import { UsageError } from './exit-codes.js';

export type ClosableLedger = Ledger & { close(): void | Promise<void> };

/** What `@smswire/sms/redis-ledger` exports (ioredis is its optional peer). */
type RedisLedgerModule = { redisLedger(url: string): ClosableLedger };

/**
 * `--ledger`: `redis://…` (or `rediss://…`) for an idempotency ledger several machines share,
 * `file:<path>` or a path for one kept in a file by one process at a time.
 */
export async function openLedger(value: string): Promise<ClosableLedger> {
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
  return fileLedger(path);
}
