import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { CallEvent, FetchLike } from '@smswire/core';
import { describe, expect, it } from 'vitest';
import { everyEvent } from '../../../test/support/tracing.js';
import { dinisoft } from '../src/dinisoft.js';
import { createSms, type FailoverEvent, type SendEvent } from '../src/index.js';
import { sms365 } from '../src/sms365.js';

/** The log and the channels of `@smswire/sms`: each failover decision and why, each send, each state change. */

const answer =
  (status: number, body: unknown): FetchLike =>
  async () =>
    Response.json(body, { status });
const vendors = (first: FetchLike) => [
  sms365({ key: 'KEY-s3cr3t', baseUrl: 'http://a.example', fetch: first, maxRetries: 0, from: 'ACME' }),
  dinisoft({
    apiKey: 'API-s3cr3t',
    secretKey: 'SECRET-s3cr3t',
    from: 'ACME',
    baseUrl: 'http://b.example',
    fetch: answer(200, { Status: '0', Text: 'ACCEPTD', Message_ID: '194234' }),
  }),
];
const input = { to: '+972501234567', text: 'hello' };

function recordingLogger() {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

async function observed(run: () => Promise<unknown>) {
  const sends: [string, SendEvent & { result?: unknown }][] = [];
  /** The messages themselves, as subscribers receive them (`sends` holds copies, as they were then). */
  const messages: object[] = [];
  const calls: CallEvent[] = [];
  const failovers: FailoverEvent[] = [];
  const on = (name: string) => (context: unknown) => {
    sends.push([name, { ...(context as SendEvent) }]);
    messages.push(context as object);
  };
  const handlers = everyEvent(on);
  const onCall = (event: unknown) => void calls.push(event as CallEvent);
  const onFailover = (event: unknown) => void failovers.push(event as FailoverEvent);
  tracingChannel('smswire:send').subscribe(handlers);
  tracingChannel('smswire:call').start.subscribe(onCall);
  channel('smswire:failover').subscribe(onFailover);
  try {
    await run().catch(() => undefined);
  } finally {
    tracingChannel('smswire:send').unsubscribe(handlers);
    tracingChannel('smswire:call').start.unsubscribe(onCall);
    channel('smswire:failover').unsubscribe(onFailover);
  }
  return { sends, messages, calls, failovers };
}

describe('@smswire/sms observed', () => {
  it('a send that fails over: logged with why, published with the vendor that took it', async () => {
    const { lines, logger } = recordingLogger();
    const sms = createSms({ vendors: vendors(answer(429, {})), logger });
    const { sends, messages, calls, failovers } = await observed(() => sms.send(input));
    expect(lines).toEqual([
      'info sms send: sms365 certainly did not take it (throttled): trying dinisoft',
      'debug sms send: accepted by dinisoft (1 parts, gsm7)',
    ]);
    expect(failovers).toEqual([
      {
        from: 'sms365',
        to: 'dinisoft',
        outcome: 'notAccepted',
        reason: 'throttled',
        why: expect.stringContaining('trying'),
        parent: expect.anything(),
      },
    ]);
    expect(sends.map(([name]) => name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(sends[0]![1]).toEqual({ vendors: ['sms365', 'dinisoft'], parts: 1, encoding: 'gsm7', failovers: 0 });
    expect(sends[3]![1]).toEqual({
      vendors: ['sms365', 'dinisoft'],
      vendor: 'dinisoft',
      outcome: 'accepted',
      encoding: 'gsm7',
      parts: 1,
      failovers: 1,
    });
    // One message object through the send's events; the failover and each attempt name it as their parent.
    const [send] = messages;
    expect(new Set(messages)).toEqual(new Set([send]));
    expect(failovers[0]!.parent).toBe(send);
    expect(calls.map((c) => [c.vendor, c.parent])).toEqual([
      ['sms365', send],
      ['dinisoft', send],
    ]);
    // No `result` (it would hold the number), and nothing else of the message.
    expect(JSON.stringify([lines, sends, failovers, calls])).not.toMatch(/501234567|hello|s3cr3t|result/);
  });

  it('sendMany publishes and logs each failover as send does, each message once', async () => {
    const { lines, logger } = recordingLogger();
    const sms = createSms({ vendors: vendors(answer(429, {})), logger });
    const messages = [input, { to: '+972501234568', text: 'again' }];
    const { sends, failovers } = await observed(async () => {
      const results = await sms.sendMany(messages);
      expect(results.map((r) => [r.status, r.status === 'accepted' && r.vendor])).toEqual([
        ['accepted', 'dinisoft'],
        ['accepted', 'dinisoft'],
      ]);
    });
    const moved = {
      from: 'sms365',
      to: 'dinisoft',
      outcome: 'notAccepted',
      reason: 'throttled',
      why: 'sms365 certainly did not take it (throttled): trying dinisoft',
      parent: undefined,
    };
    expect(failovers).toEqual([moved, moved]);
    expect(lines).toEqual([
      'info sms sendMany: sms365 certainly did not take it (throttled): trying dinisoft',
      'info sms sendMany: sms365 certainly did not take it (throttled): trying dinisoft',
    ]);
    // sendMany is not a send: nothing on `smswire:send`.
    expect(sends).toEqual([]);
  });

  it('sendMany: a message that may have left is never moved on, and the decision says so', async () => {
    const sms = createSms({ vendors: vendors(answer(500, {})) });
    const { failovers } = await observed(() => sms.sendMany([input]));
    expect(failovers).toMatchObject([{ from: 'sms365', to: undefined, outcome: 'unknown', reason: 'vendorDown' }]);
  });

  it('a send whose outcome is unknown: never failed over, and the log says why', async () => {
    const { lines, logger } = recordingLogger();
    const sms = createSms({ vendors: vendors(answer(500, {})), logger });
    const { sends, failovers } = await observed(() => sms.send(input));
    expect(lines).toEqual(['info sms send: sms365 may have taken it (vendorDown): never sent to another vendor']);
    expect(failovers).toMatchObject([{ from: 'sms365', to: undefined, outcome: 'unknown' }]);
    expect(sends.find(([name]) => name === 'error')![1]).toMatchObject({
      vendor: 'sms365',
      outcome: 'unknown',
      reason: 'vendorDown',
    });
  });

  it('publishes each delivery state change once', async () => {
    const states: unknown[] = [];
    const onState = (event: unknown) => void states.push(event);
    channel('smswire:state').subscribe(onState);
    try {
      const sms = createSms({ vendors: vendors(answer(200, {})) });
      const report = '/report?msgid=7&status=d&cost=1&to=306971000000&mcc=202&mnc=1';
      sms.report('sms365', report);
      sms.report('sms365', report);
    } finally {
      channel('smswire:state').unsubscribe(onState);
    }
    expect(states).toHaveLength(1);
    expect(Object.keys(states[0] as object).sort()).toEqual(['final', 'state', 'vendor']);
  });
});

describe('a logger that throws', () => {
  it('changes no outcome: the failover and the accepted send stand, and one warning says its lines were dropped', async () => {
    const broken = () => {
      throw new Error('log sink down');
    };
    const logger = { debug: broken, info: broken, warn: broken, error: broken };
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      // sms365 refuses with 429 (certainly not sent), DiniSoft accepts: every step logs.
      const sms = createSms({ vendors: vendors(answer(429, {})), logger });
      await expect(sms.send(input)).resolves.toMatchObject({ vendor: 'dinisoft', messageId: '194234' });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => /the logger threw/.test(w)).length).toBeGreaterThanOrEqual(1);
  });
});
