import { ValidationError } from '@smswire/core/errors';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import type { Adapter, BatchItem, OutgoingMessage } from '../src/adapter.js';
import { SendError } from '../src/errors.js';
import { type LedgerEntry, memoryLedger } from '../src/ledger.js';
import { sendEach } from '../src/send-many.js';
import type { SendManyResult } from '../src/send-types.js';
import { capabilities } from './stand-in-capabilities.js';

/**
 * `sendEach` over generated runs: one or two vendors, batches or not, repeated keys, keys the
 * ledger already has, bad input, vendors that accept, refuse or leave the outcome unknown, a ledger
 * that fails, and the run cut short at every kind of point (the signal during a read, a check, a
 * vendor call, `onProgress` or while the caller holds a result; `onProgress`, the input or a check
 * throwing; the caller breaking off). Whatever happens: a key accepted or left unknown is never
 * sent again (only a certain refusal lets it go to the next vendor, or a later message with the
 * key), every result is whole (no gap), and a run that ends of itself answers every message in
 * input order.
 */

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await tick();
};

type Reply = 'accept' | 'refuse' | 'unknown';
type Where = 'call' | 'read' | 'check' | 'progress' | 'yield' | 'ticks';
type Message = { kind: 'ok' | 'blank'; key?: string; to: string; text: string } | { kind: 'notAnObject' };

interface Scenario {
  concurrency: number;
  vendors: { name: 'sms365' | 'dinisoft'; batch: number }[];
  messages: Message[];
  replies: Map<string, Reply>;
  delays: Map<string, number>;
  abortAt?: { where: Where; k: number };
  progressThrowsAt?: number;
  inputThrowsAt?: number;
  checkThrowsAt?: number;
  asyncInput: boolean;
  breakAt?: number;
  ledgerFailsEvery: number;
  preloaded: boolean;
  slowReads: boolean;
}

const numberOf = (i: number) => `+3069710000${String(i).padStart(2, '0')}`;

function scenario(seed: number): Scenario {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const big = r() < 0.35;
  const n = Math.floor(r() * (big ? 400 : 70));
  const vendors = (r() < 0.5 ? (['sms365'] as const) : (['sms365', 'dinisoft'] as const)).map((name) => ({
    name,
    batch: r() < 0.5 ? 0 : 1 + Math.floor(r() * (big ? 60 : 4)),
  }));
  const keys = Math.max(1, Math.floor(n / 3));
  const messages: Message[] = Array.from({ length: n }, () => {
    const x = r();
    const key = r() < 0.5 ? `K${Math.floor(r() * keys)}` : undefined;
    const to = numberOf(Math.floor(r() * 20));
    if (x < 0.06) return { kind: 'notAnObject' };
    return { kind: x < 0.12 ? 'blank' : 'ok', to, text: x < 0.12 ? ' ' : pick(['Hi', 'Yo']), ...(key ? { key } : {}) };
  });
  const replies = new Map<string, Reply>();
  const delays = new Map<string, number>();
  for (const { name } of vendors)
    for (let i = 0; i < 20; i++) {
      replies.set(`${name}|${numberOf(i)}`, pick(['accept', 'accept', 'accept', 'refuse', 'unknown'] as const));
      delays.set(`${name}|${numberOf(i)}`, Math.floor(r() * 5));
    }
  const s: Scenario = {
    concurrency: 1 + Math.floor(r() * 3),
    vendors,
    messages,
    replies,
    delays,
    asyncInput: r() < 0.7,
    ledgerFailsEvery: r() < 0.3 ? 2 + Math.floor(r() * 4) : 0,
    preloaded: r() < 0.3,
    slowReads: r() < 0.3,
    ...(r() < 0.15 ? { breakAt: Math.floor(r() * (n + 1)) } : {}),
  };
  const event = r();
  const where = pick(['call', 'read', 'check', 'progress', 'yield', 'ticks'] as const);
  if (event < 0.45) s.abortAt = { where, k: Math.floor(r() * (n + 2)) };
  else if (event < 0.6) s.progressThrowsAt = Math.floor(r() * 8);
  else if (event < 0.72) s.inputThrowsAt = Math.floor(r() * (n + 1));
  else if (event < 0.84) s.checkThrowsAt = Math.floor(r() * (n + 1));
  return s;
}

async function run(s: Scenario) {
  const controller = new AbortController();
  const base = memoryLedger();
  if (s.preloaded) {
    await base.claim('K1', { fingerprint: 'another message' });
    await base.claim('K2', {});
    await base.claim('K3', {});
    const refused = { state: 'failed', outcome: 'notAccepted', reason: 'validation', vendor: 'sms365', message: 'm' };
    await base.record('K3', refused as LedgerEntry);
  }
  let ledgerCalls = 0;
  const failsNow = (every: number) => s.ledgerFailsEvery > 0 && ++ledgerCalls % every === 0;
  const ledger = {
    claim: async (key: string, options: Parameters<typeof base.claim>[1]) => {
      if (failsNow(s.ledgerFailsEvery))
        throw Object.assign(new Error('ledger down'), ledgerCalls % 2 ? { mayHold: true } : {});
      return base.claim(key, options);
    },
    record: async (key: string, entry: LedgerEntry) => {
      if (failsNow(s.ledgerFailsEvery + 1)) throw new Error('ledger down');
      return base.record(key, entry);
    },
    get: (key: string) => base.get(key),
  };
  const abortAt = (where: Where, k: number) => {
    if (s.abortAt?.where === where && s.abortAt.k === k) controller.abort();
  };
  let calls = 0;
  /** Every send of a keyed message: its key, the vendor, and the reply it got. */
  const sends: { key: string; vendor: string; reply: Reply }[] = [];
  const sendOne = async (
    vendor: string,
    m: OutgoingMessage,
    init?: { signal?: AbortSignal | undefined },
  ): Promise<BatchItem> => {
    const reply = s.replies.get(`${vendor}|${m.to}`) ?? 'accept';
    await ticks(s.delays.get(`${vendor}|${m.to}`) ?? 0);
    const seen = init?.signal?.aborted ? 'unknown' : reply;
    sends.push({ key: m.key, vendor, reply: seen });
    if (seen === 'accept') return { messageId: `${vendor}-${m.key}` };
    const outcome = seen === 'refuse' ? 'notAccepted' : 'unknown';
    const reason = seen === 'refuse' ? 'validation' : 'ambiguous';
    return { error: new SendError({ vendor: vendor as 'sms365', operation: 'send', outcome, reason, message: seen }) };
  };
  const adapters: Adapter[] = s.vendors.map(({ name, batch }) => ({
    vendor: name,
    capabilities: capabilities({ messageId: true }),
    async send(m, init) {
      abortAt('call', calls++);
      const item = await sendOne(name, m, init);
      if ('error' in item) throw item.error;
      return item;
    },
    ...(batch
      ? {
          batch: {
            size: batch,
            key: (m: OutgoingMessage) => m.text,
            distinctNumbers: true,
            async send(ms: readonly OutgoingMessage[], init?: { signal?: AbortSignal | undefined }) {
              abortAt('call', calls++);
              return Promise.all(ms.map((m) => sendOne(name, m, init)));
            },
          },
        }
      : {}),
  })) as Adapter[];
  let checks = 0;
  const context = {
    vendors: adapters,
    ledger,
    check(input: { to: string; text: string }, key: string) {
      const c = checks++;
      abortAt('check', c);
      if (s.checkThrowsAt === c) throw new TypeError('a bug in a check');
      if (!/\S/.test(input.text))
        throw new ValidationError({ vendor: 'sms', operation: 'send', issues: [{ path: 'text', message: 'blank' }] });
      const cost = { parts: 1, encoding: 'gsm7', characters: 2, perPart: 160 };
      return {
        input,
        key,
        e164: input.to,
        fingerprint: `${input.to}|${input.text}`,
        vendors: adapters.map((adapter) => ({ adapter, cost })),
      };
    },
  };
  const items = s.messages.map((m) =>
    m.kind === 'notAnObject' ? 42 : { to: m.to, text: m.text, ...(m.key ? { idempotencyKey: m.key } : {}) },
  );
  async function* input() {
    for (const [i, item] of items.entries()) {
      if (s.slowReads) await tick();
      abortAt('read', i);
      if (s.inputThrowsAt === i) throw new Error('the input broke');
      yield item;
    }
  }
  let progressCalls = 0;
  const options = {
    concurrency: s.concurrency,
    signal: controller.signal,
    onProgress() {
      const c = progressCalls++;
      abortAt('progress', c);
      if (s.progressThrowsAt === c) throw new Error('the progress bar broke');
    },
  };
  if (s.abortAt?.where === 'ticks') void ticks(s.abortAt.k * 2).then(() => controller.abort());
  const results: (SendManyResult | undefined)[] = [];
  let thrown: unknown;
  let broke = false;
  try {
    let y = 0;
    // biome-ignore lint/suspicious/noExplicitAny: the run's context is built loosely, as the adapters are stand-ins
    for await (const r of sendEach(context as any, s.asyncInput ? input() : (items as any), options)) {
      results.push(r);
      abortAt('yield', y);
      if (s.breakAt === y++) {
        broke = true;
        break;
      }
    }
  } catch (error) {
    thrown = error;
  }
  return { results, thrown, sends, broke };
}

describe('sendEach over generated runs', () => {
  it('never sends a key again once accepted or unknown, and answers every message whole', async () => {
    for (let seed = 1; seed <= runs(3_000); seed++) {
      const s = scenario(seed);
      const { results, thrown, sends, broke } = await run(s);
      const where = `seed ${seed}`;
      // Once a vendor accepted a key's message or its outcome is unknown, the key is sent no more
      // (to no vendor, by no later message with that key); only a refusal lets it go on.
      const settled = new Map<string, Reply>();
      for (const send of sends) {
        expect(
          settled.get(send.key),
          `${where}: ${send.key} sent to ${send.vendor} after ${settled.get(send.key)}`,
        ).toBeUndefined();
        if (send.reply !== 'refuse') settled.set(send.key, send.reply);
      }
      // Every result whole, in what is yielded and in what an error carries.
      const carried = (thrown as { results?: unknown[] } | undefined)?.results ?? [];
      for (const r of [...results, ...carried])
        expect(r, `${where}: a gap`).toMatchObject({ status: expect.any(String) });
      // A run that ended of itself answers every message, in input order.
      if (!thrown && !broke && !s.abortAt) {
        expect(results, where).toHaveLength(s.messages.length);
        results.forEach((r, i) => {
          const m = s.messages[i]!;
          if (m.kind !== 'notAnObject') expect(r!.to, `${where}: result ${i}`).toBe(m.to);
        });
      }
    }
  });
});
