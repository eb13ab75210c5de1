import type { IncomingMessage, ServerResponse } from 'node:http';
import { AbortError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { readForm, startServer, type TestServer } from '../../../test/support/server.js';
import { dinisoft } from '../src/dinisoft.js';
import {
  createSms,
  memoryLedger,
  SendError,
  SendManyAbortError,
  type SendInput,
  type SendManyResult,
} from '../src/index.js';
import { sms365 } from '../src/sms365.js';

/**
 * `sendMany(messages, { signal })`: the signal stops reading and sending; requests under way end
 * as they end (one aborted on the way is `unknown`, as an unanswered send is: sms365.txt and
 * dinisoft.txt document no way to ask whether it arrived); the call rejects with an AbortError
 * that keeps every result; the messages never sent may be sent again with the same keys.
 */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const greek = (i: number) => `+30697${String(1_000_000 + i).padStart(7, '0')}`;
const toUser = (url: string) => new URL(url, 'http://x').searchParams.get('toUser');

/** DiniSoft (dinisoft.yaml sendText): accepts each message after `delayMs`, or never answers the ones `stall` picks. */
async function dinisoftServer(delayMs: number, stall: (n: number) => boolean = () => false) {
  let n = 0;
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const number = ++n;
    req.resume();
    if (stall(number)) return;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: `d${number}` }));
    }, delayMs);
  });
  servers.push(server);
  return server;
}

/** Resolves once the server has received `count` requests. */
async function received(server: TestServer, count: number) {
  while (server.requests.length < count) await new Promise((r) => setTimeout(r, 2));
}

async function abortError(promise: Promise<unknown>): Promise<SendManyAbortError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SendManyAbortError);
  return error as SendManyAbortError;
}

function byStatus(results: SendManyResult[]): Record<string, SendManyResult[]> {
  const groups: Record<string, SendManyResult[]> = {};
  for (const r of results) {
    const key = r.status === 'rejected' ? `rejected:${r.reason}` : r.status;
    groups[key] = [...(groups[key] ?? []), r];
  }
  return groups;
}

describe('sendMany with an AbortSignal', () => {
  it('stops sending, keeps every result, and the canceled messages can be sent again with their keys', async () => {
    const server = await dinisoftServer(40);
    const ledger = memoryLedger();
    const sms = createSms({
      vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })],
      ledger,
    });
    const messages = Array.from({ length: 20 }, (_, i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `k${i}` }));
    const controller = new AbortController();
    const run = sms.sendMany(messages, { concurrency: 2, signal: controller.signal });
    await received(server, 5);
    controller.abort();
    const error = await abortError(run);

    // What a caller of fetch or p-map checks for, and core's AbortError too.
    expect(error.name).toBe('AbortError');
    expect(error).toBeInstanceOf(AbortError);
    // Not enumerable: logging the error does not print every result.
    expect(Object.keys(error)).not.toContain('results');
    // One result per message read, in input order; the window is concurrency × 1 (no batch
    // operation), so a few more than were sent, and `messages.slice(results.length)` was never read.
    const { results } = error;
    expect(results.length).toBeGreaterThanOrEqual(server.requests.length);
    expect(results.length).toBeLessThan(20);
    expect(results.map((r) => r.id)).toEqual(messages.slice(0, results.length).map((m) => m.idempotencyKey));
    const groups = byStatus(results);
    const accepted = groups.accepted ?? [];
    const unknown = groups.unknown ?? [];
    const canceled = groups['rejected:canceled'] ?? [];
    expect(accepted.length + unknown.length + canceled.length).toBe(results.length);
    // Every message the server received is accounted for as accepted (with its id) or unknown,
    // never canceled. An unknown one may not have reached it: aborted between dispatch and the socket.
    const reached = new Set(server.requests.map(toUser));
    for (const r of results) if (reached.has(r.to.slice(1))) expect(r.status, r.to).not.toBe('rejected');
    expect(accepted.length).toBeLessThanOrEqual(server.requests.length);
    expect(accepted.length + unknown.length).toBeGreaterThanOrEqual(server.requests.length);
    expect(server.requests.length).toBeLessThanOrEqual(6);
    for (const r of accepted) expect(r).toMatchObject({ vendor: 'dinisoft', messageId: expect.stringMatching(/^d/) });
    // The two in flight at the abort were aborted on the way: unknown, never sent again.
    for (const r of unknown)
      expect(r).toMatchObject({ reason: 'ambiguous', error: expect.objectContaining({ outcome: 'unknown' }) });
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    // Claimed in the ledger and released as certainly not sent; or only read, never claimed.
    for (const r of canceled) {
      if (r.status !== 'rejected') continue;
      if (r.error instanceof SendError) expect(r.error).toMatchObject({ outcome: 'notAccepted', reason: 'canceled' });
      else expect(r.error).toBeInstanceOf(AbortError);
    }

    // Sending all twenty again with the same keys sends exactly the canceled and the unread ones.
    // Told apart by number, not by arrival: a request aborted on its way (unknown) may reach the
    // server after the first run has ended.
    const again = await sms.sendMany(messages, { concurrency: 4 });
    const notSent = [...canceled.map((r) => r.to), ...messages.slice(results.length).map((m) => m.to)];
    const arrived = new Set(server.requests.map(toUser));
    for (const to of [...notSent, ...accepted.map((r) => r.to)]) expect(arrived.has(to.slice(1)), to).toBe(true);
    const mayHaveArrived = new Set([...notSent, ...accepted.map((r) => r.to), ...unknown.map((r) => r.to)]);
    for (const number of arrived) expect(mayHaveArrived.has(`+${number}`), String(number)).toBe(true);
    for (const [i, r] of again.entries()) {
      const first = results[i];
      if (first?.status === 'accepted') expect(r).toMatchObject({ status: 'accepted', messageId: first.messageId });
      else if (first?.status === 'unknown') expect(r.status).toBe('unknown');
      else expect(r.status).toBe('accepted');
    }
    // No number was ever received twice.
    expect(new Set(server.requests.map(toUser)).size).toBe(server.requests.length);
  });

  it('an aborted in-flight batch is unknown and never goes to the failover vendor', async () => {
    // sms365 smsBulk that never answers; DiniSoft behind it.
    const primary = await startServer((req) => void readForm(req));
    servers.push(primary);
    const secondary = await dinisoftServer(0);
    const sms = createSms({
      vendors: [
        sms365({ key: 'k', baseUrl: primary.url }),
        dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: secondary.url, from: 'ACME' }),
      ],
    });
    const controller = new AbortController();
    const run = sms.sendMany(
      [0, 1, 2].map((i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `b${i}` })),
      { signal: controller.signal },
    );
    await received(primary, 1);
    controller.abort();
    const { results } = await abortError(run);
    expect(results.map((r) => r.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(results.every((r) => r.status === 'unknown' && r.error instanceof SendError)).toBe(true);
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toEqual([]);
    // Unknown means never again, through this call or a later one with the same keys.
    await sms.sendMany([0, 1, 2].map((i) => ({ to: greek(i), text: 'Hi', idempotencyKey: `b${i}` })));
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toEqual([]);
  });

  it('an async iterable that never ends: the call settles on abort and the input is closed', async () => {
    const server = await dinisoftServer(5);
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    let closed = false;
    let produced = 0;
    async function* forever(): AsyncGenerator<SendInput> {
      try {
        for (;;) yield { to: greek(produced++ % 1_000_000), text: 'Hi' };
      } finally {
        closed = true;
      }
    }
    const controller = new AbortController();
    const run = sms.sendMany(forever(), { concurrency: 3, signal: controller.signal });
    await received(server, 30);
    controller.abort();
    const { results } = await abortError(run);
    expect(closed).toBe(true);
    // One result per message read, none past that.
    expect(results.length).toBeLessThanOrEqual(produced);
    expect(results.length).toBeGreaterThanOrEqual(server.requests.length);
    const groups = byStatus(results);
    // Everything the server received is accepted or unknown; an unknown one may not have reached
    // it (aborted between dispatch and the socket), or may reach it after the call settled.
    const accepted = groups.accepted?.length ?? 0;
    expect(accepted).toBeLessThanOrEqual(server.requests.length);
    expect(accepted + (groups.unknown?.length ?? 0)).toBeGreaterThanOrEqual(server.requests.length);
    expect(groups.accepted?.length).toBeGreaterThan(0);
    for (const key of Object.keys(groups)) expect(['accepted', 'unknown', 'rejected:canceled']).toContain(key);
  });

  it('an async iterable stuck waiting for its next message: the call settles on abort, nothing is sent', async () => {
    const server = await dinisoftServer(0);
    const sms = createSms({ vendors: [sms365({ key: 'k', baseUrl: server.url })] });
    async function* stuck(): AsyncGenerator<SendInput> {
      yield { to: greek(1), text: 'Hi', idempotencyKey: 's1' };
      yield { to: greek(2), text: 'Hi', idempotencyKey: 's2' };
      await new Promise(() => undefined);
    }
    const controller = new AbortController();
    const run = sms.sendMany(stuck(), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const { results } = await abortError(run);
    // Both were read into a window that never filled: never sent, so canceled, and sendable again.
    expect(results).toMatchObject([
      { status: 'rejected', reason: 'canceled', id: 's1', to: greek(1) },
      { status: 'rejected', reason: 'canceled', id: 's2', to: greek(2) },
    ]);
    expect(server.requests).toEqual([]);
  });

  it('a signal aborted before the call reads nothing and sends nothing', async () => {
    const server = await dinisoftServer(0);
    const sms = createSms({ vendors: [dinisoft({ apiKey: 'a', secretKey: 's', baseUrl: server.url, from: 'ACME' })] });
    let pulled = 0;
    function* counted(): Generator<SendInput> {
      for (;;) {
        pulled++;
        yield { to: greek(pulled), text: 'Hi' };
      }
    }
    const { results } = await abortError(sms.sendMany(counted(), { signal: AbortSignal.abort() }));
    expect(results).toEqual([]);
    expect(pulled).toBe(0);
    expect(server.requests).toEqual([]);
  });
});
