import { tracingChannel } from 'node:diagnostics_channel';
import type { CallEvent, FetchLike } from '@smswire/core';
import { withInternals } from '@smswire/core/internal';
import { createClient } from '../packages/dinisoft/src/index.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { everyEvent } from './support/tracing.js';

/**
 * The debug log and the `smswire:call` tracing channel, over DiniSoft (`sendText` a write,
 * `smsClientBalance` a read) and a scripted fetch: what each attempt, retry and refusal reports.
 */

const credentials = { apiKey: 'KEY-s3cr3t-value', secretKey: 'SECRET&=+/ü-s3cr3t' };
const accepted = () => Response.json({ Status: '0', Text: 'ACCEPTD', Message_ID: '194234' });

/** A fetch answering each request with the next reply (the last one repeats). */
function scripted(...replies: (() => Response)[]): FetchLike {
  return async () => (replies.length > 1 ? replies.shift()! : replies[0]!)();
}

function client(fetch: FetchLike, extra: Record<string, unknown> = {}) {
  const options = { ...credentials, baseUrl: 'http://sms.example:8080/api', fetch, ...extra };
  return createClient(withInternals(options, { sleep: async () => undefined, random: () => 0 }));
}

function recordingLogger() {
  const lines: [string, string][] = [];
  const at = (level: string) => (message: string) => void lines.push([level, message]);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

const send = { callerID: 'ACME', toUser: '8801712345678', messageContent: 'hello' };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('logger', () => {
  it('logs each attempt with its status, duration and outcome, and each retry', async () => {
    const { lines, logger } = recordingLogger();
    const c = client(
      scripted(
        () => new Response('', { status: 503 }),
        () => new Response('10.5'),
      ),
      { logger },
    );
    expect(await c.smsClientBalance({ client: 'x' })).toBe(10.5);
    expect(lines.map(([level, m]) => [level, m.replace(/ in \d+ ms,/, ' in N ms,')])).toEqual([
      [
        'debug',
        'dinisoft smsClientBalance attempt 1: HTTP 503 in N ms, http: dinisoft smsClientBalance answered HTTP 503',
      ],
      ['info', 'dinisoft smsClientBalance: retrying in 0 ms'],
      ['debug', 'dinisoft smsClientBalance attempt 2: HTTP 200 in N ms, success'],
    ]);
  });

  it('says why a send is not retried, refuses redirects and oversized replies, all redacted', async () => {
    const { lines, logger } = recordingLogger();
    await client(
      scripted(() => new Response(`down ${credentials.apiKey}`, { status: 500 })),
      { logger },
    )
      .sendText(send)
      .catch(() => undefined);
    await client(
      scripted(() => new Response('', { status: 302, headers: { location: 'http://evil/' } })),
      { logger },
    )
      .sendText(send)
      .catch(() => undefined);
    await client(
      scripted(() => new Response('x'.repeat(100))),
      { logger, maxReplyBytes: 10 },
    )
      .sendText(send)
      .catch(() => undefined);
    const text = lines.map(([level, m]) => `${level} ${m}`).join('\n');
    expect(text).toContain('info dinisoft sendText: not retried, a send is never retried after it may have left');
    expect(text).toContain('warn dinisoft sendText: redirect refused (HTTP 302)');
    expect(text).toContain('warn dinisoft sendText: reply over maxReplyBytes');
    expect(text).not.toContain(credentials.apiKey);
  });

  it('SMSWIRE_LOG turns it on without code, from its level up, to console.error', async () => {
    const written: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void written.push(line));
    vi.stubEnv('SMSWIRE_LOG', 'info');
    await client(scripted(() => new Response('', { status: 500 })))
      .sendText(send)
      .catch(() => undefined);
    expect(written).toEqual([
      'smswire info: dinisoft sendText: not retried, a send is never retried after it may have left',
    ]);
    vi.stubEnv('SMSWIRE_LOG', '');
    await client(scripted(() => new Response('', { status: 500 })))
      .sendText(send)
      .catch(() => undefined);
    expect(written).toHaveLength(1);
  });
});

describe('the smswire:call tracing channel', () => {
  /** Every event published while `run` runs, as `[name, snapshot of the context]`. */
  async function traced(run: () => Promise<unknown>) {
    const channel = tracingChannel('smswire:call');
    const events: [string, Partial<CallEvent> & { error?: unknown }][] = [];
    const on = (name: string) => (context: unknown) => void events.push([name, { ...(context as CallEvent) }]);
    const handlers = everyEvent(on);
    channel.subscribe(handlers);
    try {
      await run().catch(() => undefined);
    } finally {
      channel.unsubscribe(handlers);
    }
    return events;
  }

  it('publishes a send: start, end, asyncStart, asyncEnd with its status and outcome', async () => {
    const events = await traced(() => client(scripted(accepted)).sendText(send));
    expect(events.map(([name]) => name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(events[0]![1]).toEqual({
      vendor: 'dinisoft',
      operation: 'sendText',
      kind: 'write',
      attempt: 1,
      method: 'GET',
      server: 'sms.example:8080',
    });
    expect(events[3]![1]).toMatchObject({ status: 200, outcome: 'success' });
    expect(events[3]![1].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('publishes each attempt of a retried read', async () => {
    const events = await traced(() =>
      client(
        scripted(
          () => new Response('', { status: 503 }),
          () => new Response('10'),
        ),
      ).smsClientBalance({ client: 'x' }),
    );
    const ends = events
      .filter(([name]) => name === 'asyncEnd')
      .map(([, e]) => [e.attempt, e.kind, e.status, e.outcome]);
    expect(ends).toEqual([
      [1, 'read', 503, 'http'],
      [2, 'read', 200, 'success'],
    ]);
    expect(events.filter(([name]) => name === 'error')).toHaveLength(1);
  });

  it('publishes a failure with its error, and nothing of the request', async () => {
    const events = await traced(() => client(scripted(() => new Response('', { status: 500 }))).sendText(send));
    const [, error] = events.find(([name]) => name === 'error')!;
    expect(error).toMatchObject({ outcome: 'http', status: 500 });
    expect((error.error as Error).name).toBe('HttpError');
    expect(JSON.stringify(events)).not.toContain(credentials.apiKey);
    expect(JSON.stringify(events)).not.toContain('8801712345678');
  });

  it('watches nothing when no one listens and there is no logger: the clock is read only for the deadline', async () => {
    const now = vi.spyOn(performance, 'now');
    await client(scripted(accepted)).sendText(send);
    const unwatched = now.mock.calls.length;
    now.mockClear();
    await client(scripted(accepted), { logger: recordingLogger().logger }).sendText(send);
    // The attempt's start and end: what watching adds.
    expect(now.mock.calls.length).toBe(unwatched + 2);
  });
});
