import { SmswireError } from '@smswire/core/errors';
import { createRedactor } from '@smswire/core/internal';
import type { Redis } from 'ioredis';
import type { ReportStore } from './report-store.js';

export interface RedisReportStoreOptions {
  /** Put before every key (default `smswire:reports:`). */
  prefix?: string;
  /** Forget a message this many seconds after its last report; none by default. */
  ttlSeconds?: number;
}

/** A failure of the Redis report store; its text never holds the Redis password. */
export class RedisReportStoreError extends SmswireError {
  override name = 'RedisReportStoreError';
}

/**
 * The compare-and-set, as one script so that no other endpoint process runs between the check
 * and the write. ARGV holds each key's expected value, then its next one, each as `=` and the
 * value, or empty for none; then the expiry in seconds, or empty.
 */
const swapScript = `
local n = #KEYS
for i = 1, n do
  local current = redis.call('GET', KEYS[i])
  local expected = ARGV[i]
  if current then
    if expected ~= ('=' .. current) then return 0 end
  elseif expected ~= '' then
    return 0
  end
end
local ttl = ARGV[2 * n + 1]
for i = 1, n do
  local next = ARGV[n + i]
  if next == '' then
    redis.call('DEL', KEYS[i])
  elseif ttl == '' then
    redis.call('SET', KEYS[i], string.sub(next, 2))
  else
    redis.call('SET', KEYS[i], string.sub(next, 2), 'EX', ttl)
  end
end
return 1
`;

type SwappingRedis = Redis & { smswireReportSwap(...args: (string | number)[]): Promise<number> };

const marked = (value: string | undefined) => (value === undefined ? '' : `=${value}`);

/**
 * The report endpoint's store in Redis, which several endpoint processes behind a load
 * balancer share: each change is one atomic compare-and-set script. Takes your ioredis client,
 * which it never closes. A single Redis (or a replicated primary), not Redis Cluster: a report's
 * two keys may hash to different slots.
 */
export function redisReportStore(client: Redis, options: RedisReportStoreOptions = {}): ReportStore {
  const prefix = options.prefix ?? 'smswire:reports:';
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && !(Number.isInteger(ttl) && ttl > 0))
    throw new RedisReportStoreError('redis report store: ttlSeconds must be a whole number of seconds, at least 1', {
      vendor: 'redis',
      operation: 'redisReportStore',
    });
  const redis = client as SwappingRedis;
  if (!redis.smswireReportSwap) redis.defineCommand('smswireReportSwap', { lua: swapScript });
  // Core's redactor, as for vendor credentials: every spelling of the password, not only as typed.
  const redact = createRedactor([client.options.password ?? '']);
  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error));
      throw new RedisReportStoreError(`redis report store ${operation} failed: ${message}`, {
        vendor: 'redis',
        operation,
      });
    }
  };
  return {
    read: (keys) =>
      call('read', async () => (await client.mget(keys.map((key) => prefix + key))).map((value) => value ?? undefined)),
    swap: (keys, expected, next) =>
      call('swap', async () => {
        const args = [...expected.map(marked), ...next.map(marked), ttl ? String(ttl) : ''];
        return (await redis.smswireReportSwap(keys.length, ...keys.map((key) => prefix + key), ...args)) === 1;
      }),
  };
}

export type { ReportStore } from './report-store.js';
