import { SmswireError } from '@smswire/core/errors';
import { createRedactor } from '@smswire/core/internal';
import { Redis, type RedisOptions } from 'ioredis';
import { pendingEntry, type ClaimOptions, type Ledger, type LedgerEntry } from './ledger.js';

export interface RedisLedgerOptions {
  /** Put before every key (default `smswire:ledger:`), so one Redis can hold other data and campaigns. */
  prefix?: string;
  /**
   * Forget entries this many seconds after their last write (default 7 days, set with every
   * claim and record): a send repeated within it is not sent again, one repeated later is a new
   * send. A `pending` key that expires may be sent again, so choose a time past any campaign and
   * its retries.
   */
  ttlSeconds?: number;
  /**
   * A claim unanswered this long (default 10 s) fails: it is released, and the message is not
   * sent (or, if it cannot be released, reported `unknown`).
   */
  claimTimeoutMs?: number;
}

/** A failure of the Redis ledger; its text never holds the Redis password. */
export class RedisLedgerError extends SmswireError {
  override name = 'RedisLedgerError';
  /** A claim that may be stored though its reply was lost (and could not be released): the key answers `pending`. */
  declare readonly mayHold?: true;
}

/**
 * The claim, as one script so no other worker runs between the read and the write. It mirrors
 * `reclaimable`: no entry, or a `failed` one whose outcome is `notAccepted`, is claimed, and with
 * `resendUnknown` (ARGV[3] = '1') a `pending` or `failed` one whose fingerprint is this claim's
 * (ARGV[4]) or absent; any other entry is returned. An entry equal to this very claim (unique by
 * its `claim` field) is ours: ioredis resends a command whose reply a dropped connection lost,
 * and that resend must win.
 */
const claimScript = `
local current = redis.call('GET', KEYS[1])
if current and current ~= ARGV[1] then
  local ok, entry = pcall(cjson.decode, current)
  local free = ok and type(entry) == 'table' and entry.state == 'failed' and entry.outcome == 'notAccepted'
  if not free and ARGV[3] == '1' and ok and type(entry) == 'table' and entry.state ~= 'sent' then
    free = entry.fingerprint == nil or entry.fingerprint == ARGV[4]
  end
  if not free then
    return current
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
`;

/** Undoes a claim whose reply was lost: deletes the key if it still holds that very claim. */
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const sevenDays = 7 * 24 * 60 * 60;

type ClaimingRedis = Redis & {
  smswireLedgerClaim(
    key: string,
    pending: string,
    ttl: string,
    resend: string,
    fingerprint: string,
  ): Promise<string | null>;
  smswireLedgerRelease(key: string, pending: string): Promise<number>;
};

/** The password as written in a URL: userinfo ends at the authority's last `@`, the password at its first `:`. */
function urlPassword(url: string): string {
  const authority = url.slice(url.indexOf('://') + 3).split(/[/?#]/)[0] ?? '';
  const userinfo = authority.slice(0, Math.max(0, authority.lastIndexOf('@')));
  return userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
}

/** How long a claim whose reply was lost waits for Redis to be back to release it. */
const releaseWaitMs = 3000;

/**
 * A claim whose failure leaves nothing stored: one ioredis refused to write (no connection, and
 * no offline queue), or one Redis answered with an error (the script stores nothing then).
 */
const answered = (error: unknown) =>
  error instanceof Error && (error.name === 'ReplyError' || /Stream isn't writeable/.test(error.message));

/**
 * Our defaults for a client we make. Fail fast: with no offline queue a command while Redis is
 * unreachable fails at once, so a campaign reports its messages not sent instead of waiting on
 * ioredis's growing reconnect delays (a second failure took 6 s, a third 20 s). A command under
 * way when the connection drops is resent on reconnect, at most 3 times (ioredis: 20).
 */
const defaults = { enableOfflineQueue: false, maxRetriesPerRequest: 3 };

/**
 * A ledger in Redis, which several processes and machines may share: `claim` is one atomic
 * script, so of any number of workers claiming the same key, exactly one gets it. Takes a
 * `redis://` URL, ioredis options, or `{ client }`, an ioredis client of yours that `close()`
 * leaves open. A failure (Redis unreachable, a wrong password) rejects with a `RedisLedgerError`
 * whose text has the password removed; `createSms` turns a failed claim into a send that is
 * certainly not sent.
 */
export function redisLedger(
  connection: string | { client: Redis } | RedisOptions,
  options: RedisLedgerOptions = {},
): Ledger & { close(): Promise<void> } {
  const prefix = options.prefix ?? 'smswire:ledger:';
  const ttl = options.ttlSeconds ?? sevenDays;
  const claimTimeoutMs = options.claimTimeoutMs ?? 10_000;
  if (!(Number.isInteger(ttl) && ttl > 0))
    throw new RedisLedgerError(`redis ledger: ttlSeconds must be a whole number of seconds, at least 1`, {
      vendor: 'redis',
      operation: 'redisLedger',
    });
  const owned = typeof connection === 'string' || !('client' in connection);
  let client: ClaimingRedis;
  try {
    client = (
      typeof connection === 'string'
        ? new Redis(connection, { ...defaults, lazyConnect: true })
        : 'client' in connection
          ? connection.client
          : // ioredis's own option types trip over exactOptionalPropertyTypes.
            new Redis({ ...defaults, ...connection, lazyConnect: true } as RedisOptions & { replyMapping?: 'legacy' })
    ) as ClaimingRedis;
  } catch {
    // Node's URL error keeps the whole URL, password and all, as `input`.
    throw new RedisLedgerError('redis ledger: the connection is not a valid redis:// URL or options', {
      vendor: 'redis',
      operation: 'redisLedger',
    });
  }

  // ioredis decodes the URL's password into its options; the URL itself may hold it encoded.
  // Core's redactor, as for vendor credentials: every spelling of it (encoded, escaped), not only as typed.
  const password = client.options.password;
  const redact = createRedactor([password ?? '', typeof connection === 'string' ? urlPassword(connection) : '']);

  // The client's own errors (a refused connection, a refused AUTH whose `command.args` hold the
  // password) would otherwise be printed by ioredis; we keep the last one's text for our errors.
  let lastConnectionError: string | undefined;
  if (owned)
    client.on('error', (error: Error) => {
      lastConnectionError = redact(error.message);
    });
  client.defineCommand('smswireLedgerClaim', { numberOfKeys: 1, lua: claimScript });
  client.defineCommand('smswireLedgerRelease', { numberOfKeys: 1, lua: releaseScript });

  /** The ledger's error for a client failure: its redacted message, never the error itself. */
  const failure = (operation: string, error: unknown) => {
    const message = redact(error instanceof Error ? error.message : String(error));
    const connectionError =
      lastConnectionError && !message.includes(lastConnectionError)
        ? ` (last connection error: ${lastConnectionError})`
        : '';
    return new RedisLedgerError(`redis ledger ${operation} failed: ${message}${connectionError}`, {
      vendor: 'redis',
      operation,
    });
  };
  const parse = (text: string): LedgerEntry => {
    const { claim: _claim, ...entry } = JSON.parse(text) as LedgerEntry & { claim?: string };
    return entry as LedgerEntry;
  };
  // The first command connects (lazily, so that a failed first connection fails it too); the
  // commands that come meanwhile wait for that connection, those after it never wait.
  let connecting: Promise<void> | undefined;
  const connected = () => {
    if (client.status === 'wait')
      connecting = client.connect().finally(() => {
        connecting = undefined;
      });
    return connecting;
  };
  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    try {
      await connected();
      return await run();
    } catch (error) {
      throw failure(operation, error);
    }
  };
  /**
   * Whether the client is ready, or becomes so within `releaseWaitMs`. One wait for every claim
   * that failed together (a window's worth): one listener, not one each.
   */
  let readyWait: Promise<boolean> | undefined;
  const ready = () => {
    if (client.status === 'ready') return Promise.resolve(true);
    readyWait ??= new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        readyWait = undefined;
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), releaseWaitMs);
      client.on('ready', onReady);
    });
    return readyWait;
  };

  /**
   * A claim that failed after it may have reached Redis may be stored: its reply lost (ioredis
   * resends a command whose connection dropped on every reconnect, so while Redis stays away it
   * never answers: hence `claimTimeoutMs`), or the client closed. It is released if the key still
   * holds this very claim, so the key is free again and the send certainly not sent. A resend's
   * claim replaced an entry that must not be lost, and a claim that cannot be released (Redis not
   * back within 3 s) may stay `pending`: then the error says `mayHold`, and the send is reported
   * `unknown`.
   */
  const claim = async (key: string, claimOptions: ClaimOptions = {}) => {
    const fingerprint = claimOptions.fingerprint;
    const pending = JSON.stringify({
      ...pendingEntry(Date.now(), fingerprint),
      claim: globalThis.crypto.randomUUID(),
    });
    const resend = claimOptions.resendUnknown === true;
    try {
      await connected();
    } catch (error) {
      throw failure('claim', error);
    }
    const command = client.smswireLedgerClaim(prefix + key, pending, String(ttl), resend ? '1' : '', fingerprint ?? '');
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: string | null;
    try {
      current = await Promise.race([
        command,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no reply within ${claimTimeoutMs} ms`)), claimTimeoutMs);
        }),
      ]);
    } catch (error) {
      // Still queued after a timeout: ioredis resends it on reconnect, and the release goes after it.
      command.catch(() => undefined);
      const claimError = failure('claim', error);
      if (answered(error)) throw claimError;
      const released =
        !resend &&
        (await ready()) &&
        (await client.smswireLedgerRelease(prefix + key, pending).then(
          () => true,
          () => false,
        ));
      if (!released) (claimError as { mayHold?: true }).mayHold = true;
      throw claimError;
    } finally {
      clearTimeout(timer);
    }
    return current === null ? undefined : parse(current);
  };

  return {
    claim,
    record: (key, entry) =>
      call('record', async () => {
        await client.set(prefix + key, JSON.stringify(entry), 'EX', ttl);
      }),
    get: (key) =>
      call('get', async () => {
        const text = await client.get(prefix + key);
        return text === null ? undefined : parse(text);
      }),
    async close() {
      if (!owned) return;
      try {
        await client.quit();
      } catch {
        // Already closed, or Redis gone: nothing is left to flush.
        client.disconnect();
      }
    },
  };
}

export type { ClaimOptions, Ledger, LedgerEntry } from './ledger.js';
