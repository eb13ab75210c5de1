import { AsyncLocalStorage } from 'node:async_hooks';
import { tracingChannel as nodeTracingChannel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { everyEvent } from '../../../test/support/tracing.js';
import { traced, tracingChannel } from '../src/observe.js';

/**
 * `traced`, what `smswire:call` and `smswire:send` publish through: the order and the message of
 * Node's `tracePromise` (start, end, then asyncStart and asyncEnd, or error first), without the
 * call's result on the message, and a store a subscriber binds to `start` in force while it runs.
 */

type Message = { name: string; error?: unknown };

function subscribed(name: string) {
  const seen: [string, Message][] = [];
  const on = (event: string) => (message: unknown) => void seen.push([event, { ...(message as Message) }]);
  const handlers = everyEvent(on);
  nodeTracingChannel(name).subscribe(handlers);
  return { seen, stop: () => nodeTracingChannel(name).unsubscribe(handlers) };
}

describe('traced', () => {
  const channel = tracingChannel<Message>('smswire:test-traced')!;

  it('a call that resolves: start, end, asyncStart, asyncEnd, and no result on the message', async () => {
    const { seen, stop } = subscribed('smswire:test-traced');
    const message: Message = { name: 'ok' };
    let ended = false;
    const result = traced(channel, message, async () => {
      // `start` is published before the call runs, `end` once it has returned its promise.
      expect(seen.map(([event]) => event)).toEqual(['start']);
      await null;
      ended = true;
      return 'the result';
    });
    expect(seen.map(([event]) => event)).toEqual(['start', 'end']);
    expect(await result).toBe('the result');
    stop();
    expect(ended).toBe(true);
    expect(seen).toEqual([
      ['start', { name: 'ok' }],
      ['end', { name: 'ok' }],
      ['asyncStart', { name: 'ok' }],
      ['asyncEnd', { name: 'ok' }],
    ]);
  });

  it('a call that rejects: error (with it on the message) before asyncStart and asyncEnd', async () => {
    const { seen, stop } = subscribed('smswire:test-traced');
    const failure = new Error('refused');
    await expect(
      traced(channel, { name: 'no' }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    stop();
    expect(seen.map(([event, message]) => [event, message.error])).toEqual([
      ['start', undefined],
      ['end', undefined],
      ['error', failure],
      ['asyncStart', failure],
      ['asyncEnd', failure],
    ]);
  });

  it('a call that throws at once: error, then end', () => {
    const { seen, stop } = subscribed('smswire:test-traced');
    const failure = new Error('at once');
    expect(() =>
      traced(channel, { name: 'sync' }, () => {
        throw failure;
      }),
    ).toThrow(failure);
    stop();
    expect(seen.map(([event]) => event)).toEqual(['start', 'error', 'end']);
  });

  it('runs the call inside a store a subscriber bound to start, and binds none of its own', async () => {
    const store = new AsyncLocalStorage<string>();
    const start = nodeTracingChannel('smswire:test-traced').start;
    start.bindStore(store, (message) => `in ${(message as Message).name}`);
    try {
      expect(await traced(channel, { name: 'bound' }, async () => store.getStore())).toBe('in bound');
    } finally {
      start.unbindStore(store);
    }
    expect(await traced(channel, { name: 'unbound' }, async () => store.getStore())).toBeUndefined();
  });
});
