import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDeadlines, maxPerBatch } from '../src/deadlines.js';

const reason = (signal: AbortSignal) => signal.reason as DOMException;

describe('deadline queue', () => {
  it('aborts an attempt with a TimeoutError once its time has passed, and not before', async () => {
    const start = createDeadlines(40);
    const { signal } = start();
    await sleep(10);
    expect(signal.aborted).toBe(false);
    await sleep(60);
    expect(signal.aborted).toBe(true);
    expect(reason(signal).name).toBe('TimeoutError');
  });

  it('aborts every pending attempt in start order, each on its own deadline', async () => {
    const start = createDeadlines(40);
    const first = start();
    await sleep(25);
    const second = start();
    const third = start();
    await sleep(30);
    expect([first.signal.aborted, second.signal.aborted, third.signal.aborted]).toEqual([true, false, false]);
    await sleep(40);
    expect([second.signal.aborted, third.signal.aborted]).toEqual([true, true]);
  });

  it('never aborts attempts that all settled, and clearing one twice does not clear another', async () => {
    const start = createDeadlines(30);
    const settled = Array.from({ length: 5 }, () => start());
    for (const attempt of settled) attempt.clear();
    await sleep(5);
    const [first, second] = [start(), start()];
    expect(first.signal).toBe(second.signal);
    first.clear();
    first.clear();
    await sleep(60);
    expect(settled.map((a) => a.signal.aborted)).toEqual([false, false, false, false, false]);
    expect(second.signal.aborted).toBe(true);
  });

  it('gives attempts that start far apart their own deadlines, whatever the other did', async () => {
    const start = createDeadlines(40);
    const early = start();
    await sleep(20);
    const late = start();
    expect(late.signal).not.toBe(early.signal);
    early.clear();
    await sleep(50);
    expect([early.signal.aborted, late.signal.aborted]).toEqual([false, true]);
  });

  it('shares a controller among at most maxPerBatch attempts, which keeps listener walks short', () => {
    const start = createDeadlines(60_000);
    const signals = new Set(Array.from({ length: maxPerBatch * 2 + 1 }, () => start().signal));
    expect(signals.size).toBe(3);
  });

  it('keeps serving attempts started after the queue emptied', async () => {
    const start = createDeadlines(20);
    start().clear();
    await sleep(40);
    const later = start();
    await sleep(50);
    expect(later.signal.aborted).toBe(true);
  });
});
