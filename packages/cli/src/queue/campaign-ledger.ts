import type { Redis } from 'ioredis';
import type { ClaimOptions, Ledger, LedgerEntry } from '@smswire/sms';

/**
 * The claims of many keys in one script: the same rule as `@smswire/sms/redis-ledger`'s claim
 * (no entry, or `failed` and `notAccepted`, is claimed; with resendUnknown a `pending` or
 * `failed` one of the same fingerprint too; an entry equal to this very claim is ours, since
 * ioredis resends a command whose reply a dropped connection lost), over a hash of the
 * campaign's rows. ARGV: ttl, then per key: field, pending entry, '1' to resend unknown,
 * fingerprint. Returns, per key, false (claimed) or the entry found.
 */
const claimScript = `
local n = (#ARGV - 1) / 4
local found = {}
for start = 1, n, 500 do
  local fields = {}
  for i = start, math.min(n, start + 499) do fields[#fields + 1] = ARGV[2 + (i - 1) * 4] end
  local current = redis.call('HMGET', KEYS[1], unpack(fields))
  local writes = {}
  for j = 1, #fields do
    local i = start + j - 1
    local base = 2 + (i - 1) * 4
    local text = current[j]
    local free = true
    if text and text ~= ARGV[base + 1] then
      local ok, entry = pcall(cjson.decode, text)
      free = ok and type(entry) == 'table' and entry.state == 'failed' and entry.outcome == 'notAccepted'
      if not free and ARGV[base + 2] == '1' and ok and type(entry) == 'table' and entry.state ~= 'sent' then
        free = entry.fingerprint == nil or entry.fingerprint == ARGV[base + 3]
      end
    end
    if free then
      writes[#writes + 1] = ARGV[base]
      writes[#writes + 1] = ARGV[base + 1]
      found[i] = false
    else
      found[i] = text
    end
  end
  if #writes > 0 then redis.call('HSET', KEYS[1], unpack(writes)) end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return found
`;

type ClaimingRedis = Redis & { smswireCampaignClaim(key: string, ...args: string[]): Promise<(string | null)[]> };

interface Waiting<T> {
  args: string[];
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * A campaign's ledger in one Redis hash, whose calls made in the same tick go as one command:
 * `sendMany` claims a whole window at once and records each vendor request's outcomes at once,
 * so a window of a thousand rows costs one script (HMGET, HSET, EXPIRE inside it) and each
 * request one HSET, instead of four commands a row. The client is the caller's (it waits for
 * Redis while it is away, so a claim or record is delayed, never lost; a resent claim is
 * recognised as ours).
 */
export function campaignLedger(client: Redis, hash: string, ttlSeconds: number): Ledger {
  const redis = client as ClaimingRedis;
  if (typeof redis.smswireCampaignClaim !== 'function')
    redis.defineCommand('smswireCampaignClaim', { numberOfKeys: 1, lua: claimScript });

  let claims: Waiting<LedgerEntry | undefined>[] = [];
  let records: Waiting<void>[] = [];
  let gets: Waiting<LedgerEntry | undefined>[] = [];
  let scheduled = false;
  const parse = (text: string | null | false): LedgerEntry | undefined => {
    if (!text) return undefined;
    const { claim: _claim, ...entry } = JSON.parse(text) as LedgerEntry & { claim?: string };
    return entry as LedgerEntry;
  };
  const settle = <T>(batch: Waiting<T>[], run: () => Promise<T[]>) =>
    run().then(
      (values) => {
        for (const [i, w] of batch.entries()) w.resolve(values[i] as T);
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  const flush = () => {
    scheduled = false;
    const [c, r, g] = [claims, records, gets];
    claims = [];
    records = [];
    gets = [];
    if (c.length)
      void settle(c, async () =>
        (await redis.smswireCampaignClaim(hash, String(ttlSeconds), ...c.flatMap((w) => w.args))).map(parse),
      );
    if (r.length)
      void settle(r, async () => {
        await redis.hset(hash, ...r.flatMap((w) => w.args));
        return [];
      });
    if (g.length)
      void settle(g, async () => (await redis.hmget(hash, ...g.map((w) => w.args[0]!))).map((text) => parse(text)));
  };
  const queue = <T>(list: Waiting<T>[], args: string[]) =>
    new Promise<T>((resolve, reject) => {
      list.push({ args, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    });

  return {
    claim: (key: string, options: ClaimOptions = {}) =>
      queue(claims, [
        key,
        JSON.stringify({
          state: 'pending',
          since: Date.now(),
          ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
          claim: globalThis.crypto.randomUUID(),
        }),
        options.resendUnknown ? '1' : '',
        options.fingerprint ?? '',
      ]),
    record: (key: string, entry: LedgerEntry) => queue(records, [key, JSON.stringify(entry)]),
    get: (key: string) => queue(gets, [key]),
  };
}
