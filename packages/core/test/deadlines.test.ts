import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { createDeadlines } from '../src/deadlines.js';

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

  it('never aborts a cleared attempt, whichever position it held, and clearing twice is harmless', async () => {
    const start = createDeadlines(30);
    const attempts = Array.from({ length: 5 }, () => start());
    for (const index of [0, 2, 4]) attempts[index]!.clear();
    attempts[2]!.clear();
    await sleep(60);
    expect(attempts.map((a) => a.signal.aborted)).toEqual([false, true, false, true, false]);
  });

  it('keeps serving attempts started after the queue emptied', async () => {
    const start = createDeadlines(20);
    start().clear();
    await sleep(40);
    const later = start();
    await sleep(50);
    expect(later.signal.aborted).toBe(true);
  });

  it('waits out a deadline longer than a timer can hold (2^31-1 ms) in steps, without a busy timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const limit = 2 ** 31 - 1;
      const { signal } = createDeadlines(limit * 2 + 10)();
      // Timer by timer (a clamped timer fires every millisecond, so this cannot spin): the wait
      // takes three, each as long as a timer can hold, and ends exactly when due.
      const steps: number[] = [];
      for (let i = 0; i < 5 && !signal.aborted; i++) {
        const before = performance.now();
        vi.advanceTimersToNextTimer();
        steps.push(performance.now() - before);
      }
      expect(steps).toEqual([limit, limit, 10]);
      expect(signal.aborted).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      vi.useRealTimers();
    }
  });
});
