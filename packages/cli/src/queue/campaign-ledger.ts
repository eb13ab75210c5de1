import type { Redis } from 'ioredis';
import type { ClaimOptions, Ledger, LedgerEntry } from '@smswire/sms';

/**
 * A claim is stored as `p <since> <token> <fingerprint>`, not as JSON: it is written for every
 * row and read back only for a row taken again, so its bytes, not its parsing, are what cost
 * (the worker's CPU to build and write them, and Redis's to store them). `token` is one random
 * value per script call, so a claim equal to this call's is ours (ioredis resends a command
 * whose reply a dropped connection lost). Outcomes (`record`) are the entry's JSON.
 */
const pendingMark = 'p ';

/**
 * The claims of many keys in one script: the same rule as `@smswire/sms/redis-ledger`'s claim
 * (no entry, or `failed` and `notAccepted`, is claimed; with resendUnknown a `pending` or
 * `failed` one of the same fingerprint too; an entry equal to this very claim is ours), over a
 * hash of the campaign's rows. A key twice in one call is claimed once: the second finds the
 * first's claim. ARGV: ttl, the claim's head (`p <since> <token>`), '1' to resend unknown, then
 * per key: field, fingerprint ('' for none). Returns, per key, false (claimed) or the entry found.
 */
const claimScript = `
local head = ARGV[2]
local resend = ARGV[3] == '1'
local n = (#ARGV - 3) / 2
local found = {}
local mine = {}
local function fingerprintOf(text)
  if string.sub(text, 1, 2) == 'p ' then
    local fp = string.match(text, '^p [^ ]* [^ ]* (.*)$')
    if fp == nil or fp == '' then return true, nil end
    return true, fp
  end
  local ok, entry = pcall(cjson.decode, text)
  if not ok or type(entry) ~= 'table' then return false, nil end
  return entry, entry.fingerprint
end
for start = 1, n, 500 do
  local fields = {}
  for i = start, math.min(n, start + 499) do fields[#fields + 1] = ARGV[2 + i * 2] end
  local current = redis.call('HMGET', KEYS[1], unpack(fields))
  local writes = {}
  for j = 1, #fields do
    local i = start + j - 1
    local field = fields[j]
    local fp = ARGV[3 + i * 2]
    local claim = head .. ' ' .. fp
    local text = mine[field] or current[j]
    local free = true
    if mine[field] then
      free = false
    elseif text and text ~= claim then
      local entry, fingerprint = fingerprintOf(text)
      if entry == true then
        free = resend and (fingerprint == nil or fingerprint == fp)
      else
        free = entry ~= false and entry.state == 'failed' and entry.outcome == 'notAccepted'
        if not free and resend and entry ~= false and entry.state ~= 'sent' then
          free = fingerprint == nil or fingerprint == fp
        end
      end
    end
    if free then
      writes[#writes + 1] = field
      writes[#writes + 1] = claim
      mine[field] = claim
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
  /** A claim's key and fingerprint; a record's key and entry; a get's key. */
  key: string;
  value: string;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** The entry a stored text stands for (a claim's own fields read back from its compact form). */
export function parseEntry(text: string | null | false | undefined): LedgerEntry | undefined {
  if (!text) return undefined;
  if (!text.startsWith(pendingMark)) {
    // A claim an earlier version stored as JSON carries its token, which is not the entry's.
    const { claim: _claim, ...entry } = JSON.parse(text) as LedgerEntry & { claim?: string };
    return entry as LedgerEntry;
  }
  const [, since, , ...fingerprint] = text.split(' ');
  const fp = fingerprint.join(' ');
  return fp ? { state: 'pending', since: Number(since), fingerprint: fp } : { state: 'pending', since: Number(since) };
}

/**
 * A campaign's ledger in one Redis hash, whose calls made in the same tick go as one command:
 * `sendMany` claims a whole window at once and records each vendor request's outcomes at once,
 * so a window of a thousand rows costs one script (HMGET, HSET, EXPIRE inside it) and each
 * request one HSET, instead of four commands a row. The client is the caller's (it waits for
 * Redis while it is away, so a claim or record is delayed, never lost; a resent claim is
 * recognised as ours).
 */
export function campaignLedger(client: Redis, hash: string, ttlSeconds: number, now = Date.now): Ledger {
  const redis = client as ClaimingRedis;
  if (typeof redis.smswireCampaignClaim !== 'function')
    redis.defineCommand('smswireCampaignClaim', { numberOfKeys: 1, lua: claimScript });

  // Claims that resend unknown keys and those that do not go as separate calls (the script takes one rule).
  let claims: Waiting<LedgerEntry | undefined>[] = [];
  let resends: Waiting<LedgerEntry | undefined>[] = [];
  let records: Waiting<void>[] = [];
  let gets: Waiting<LedgerEntry | undefined>[] = [];
  let scheduled = false;
  const settle = <T>(batch: Waiting<T>[], run: () => Promise<T[] | undefined>) =>
    run().then(
      (values) => {
        for (let i = 0; i < batch.length; i++) batch[i]!.resolve(values?.[i] as T);
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error);
      },
    );
  const claimAll = (batch: Waiting<LedgerEntry | undefined>[], resend: boolean) => {
    const args = [String(ttlSeconds), `p ${now()} ${globalThis.crypto.randomUUID()}`, resend ? '1' : ''];
    for (const w of batch) args.push(w.key, w.value);
    void settle(batch, async () => (await redis.smswireCampaignClaim(hash, ...args)).map(parseEntry));
  };
  const flush = () => {
    scheduled = false;
    const [c, u, r, g] = [claims, resends, records, gets];
    claims = [];
    resends = [];
    records = [];
    gets = [];
    if (c.length) claimAll(c, false);
    if (u.length) claimAll(u, true);
    if (r.length) {
      const args: string[] = [];
      for (const w of r) args.push(w.key, w.value);
      void settle(r, async () => {
        await redis.hset(hash, args);
        return undefined;
      });
    }
    if (g.length) void settle(g, async () => (await redis.hmget(hash, ...g.map((w) => w.key))).map(parseEntry));
  };
  const queue = <T>(list: Waiting<T>[], key: string, value: string) =>
    new Promise<T>((resolve, reject) => {
      list.push({ key, value, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    });

  return {
    claim: (key: string, options: ClaimOptions = {}) =>
      queue(options.resendUnknown ? resends : claims, key, options.fingerprint ?? ''),
    record: (key: string, entry: LedgerEntry) => queue(records, key, JSON.stringify(entry)),
    get: (key: string) => queue(gets, key, ''),
  };
}
