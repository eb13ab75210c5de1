import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeadlines } from '../src/deadlines.js';

const reason = (signal: AbortSignal) => signal.reason as DOMException;

describe('deadline queue', () => {
  // The clock the queue reads and its timer, both faked: deadlines fall due exactly when the
  // test says, however loaded the machine (real sleeps of 25 and 30 ms overran under load).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts an attempt with a TimeoutError once its time has passed, and not before', () => {
    const start = createDeadlines(40);
    const { signal } = start();
    vi.advanceTimersByTime(10);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(60);
    expect(signal.aborted).toBe(true);
    expect(reason(signal).name).toBe('TimeoutError');
  });

  // sms365.txt L1148-1153: 2fa/send waits `wait` seconds for the delivery report, with no maximum.
  it('sms365 L1148: an attempt that asked the vendor to wait gets the wait on top, and falls due in order', () => {
    const start = createDeadlines(40);
    const waiting = start(100);
    const plain = start();
    const later = start(10);
    vi.advanceTimersByTime(45);
    expect([waiting.signal.aborted, plain.signal.aborted, later.signal.aborted]).toEqual([false, true, false]);
    vi.advanceTimersByTime(10);
    expect([waiting.signal.aborted, later.signal.aborted]).toEqual([false, true]);
    // A new head, due before the waiting one the timer was set for, is still aborted on time.
    const short = start();
    vi.advanceTimersByTime(45);
    expect([short.signal.aborted, waiting.signal.aborted]).toEqual([true, false]);
    vi.advanceTimersByTime(45);
    expect(waiting.signal.aborted).toBe(true);
  });

  it('aborts every pending attempt in start order, each on its own deadline', () => {
    const start = createDeadlines(40);
    const first = start();
    vi.advanceTimersByTime(25);
    const second = start();
    const third = start();
    vi.advanceTimersByTime(30);
    expect([first.signal.aborted, second.signal.aborted, third.signal.aborted]).toEqual([true, false, false]);
    vi.advanceTimersByTime(40);
    expect([second.signal.aborted, third.signal.aborted]).toEqual([true, true]);
  });

  it('never aborts a cleared attempt, whichever position it held, and clearing twice is harmless', () => {
    const start = createDeadlines(30);
    const attempts = Array.from({ length: 5 }, () => start());
    for (const index of [0, 2, 4]) attempts[index]!.clear();
    attempts[2]!.clear();
    vi.advanceTimersByTime(60);
    expect(attempts.map((a) => a.signal.aborted)).toEqual([false, true, false, true, false]);
  });

  it('keeps serving attempts started after the queue emptied', () => {
    const start = createDeadlines(20);
    start().clear();
    vi.advanceTimersByTime(40);
    const later = start();
    vi.advanceTimersByTime(50);
    expect(later.signal.aborted).toBe(true);
  });

  it('waits out a deadline longer than a timer can hold (2^31-1 ms) in steps, without a busy timer', () => {
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
    }
  });
});
