import { Redis } from 'ioredis';
import { UsageError } from '../exit-codes.js';
import type { Output } from '../output.js';

/** The URL as it may be printed: its password replaced. */
export function shownUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/[^/@]*?:)[^/@]*@/, '$1[redacted]@');
}

/**
 * `--queue redis://…`: a client for the campaign's queue and store, after one PING answered
 * within `timeoutMs` (a URL that does not answer is bad input: exit 2, nothing sent). The client
 * returned waits for Redis while it is away (BullMQ's requirement, and the ledger's: a claim is
 * delayed, never dropped). Its password is hidden from every line the command prints.
 */
export async function connectQueue(url: string, out: Output, timeoutMs = 3000): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new UsageError('--queue takes redis://host:port (or rediss://…)');
  let probe: Redis;
  try {
    probe = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
  } catch {
    throw new UsageError(`--queue ${shownUrl(url)} is not a redis:// URL`);
  }
  const password = probe.options.password;
  if (password) out.hide([password, encodeURIComponent(password)]);
  let lastError = '';
  probe.on('error', (error: Error) => {
    lastError = error.message;
  });
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise((_resolve, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
  } catch (error) {
    throw new UsageError(
      `--queue ${shownUrl(url)} does not answer (${out.redact((error as Error).message || lastError)}): nothing was sent`,
    );
  } finally {
    probe.disconnect();
  }
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // A Redis that goes away is waited for; its errors are not each printed.
  client.on('error', () => undefined);
  return client;
}
