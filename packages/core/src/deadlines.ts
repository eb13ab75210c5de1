/** One attempt's deadline: `signal` aborts with a `TimeoutError` DOMException when it passes. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Ends the attempt's claim on the timer; call it however the attempt settled. */
  clear(): void;
  /** Aborts the attempt now, with `reason` (the caller's signal aborted). */
  abort(reason: unknown): void;
}

interface Entry {
  readonly controller: AbortController;
  readonly due: number;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/**
 * Deadlines for the attempts of one client. Every attempt has the same timeout, so deadlines
 * fall due in the order attempts start: a queue with a single timer serves them all. An
 * `AbortSignal.timeout` per attempt costs about three times a plain controller and was the
 * largest share of the client's own overhead at 32 calls in flight. Sharing a controller among
 * attempts that start together saved its 6 µs but made undici's listeners pile up on the shared
 * signal: sequential latency got 3 % worse and throughput no better (docs/benchmarks.md, "Deadlines").
 */
export function createDeadlines(timeoutMs: number): () => Deadline {
  let head: Entry | undefined;
  let tail: Entry | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const unlink = (entry: Entry) => {
    if (entry.prev) entry.prev.next = entry.next;
    else if (head === entry) head = entry.next;
    else return;
    if (entry.next) entry.next.prev = entry.prev;
    else tail = entry.prev;
    entry.prev = entry.next = undefined;
  };

  const arm = () => {
    if (!head || timer) return;
    // A timer can fire a little before its delay by the clock below, and waits at most 2^31-1 ms
    // (a longer delay becomes 1 ms): the loop in `fire` re-arms until the deadline is due.
    timer = setTimeout(fire, Math.min(2 ** 31 - 1, Math.max(1, Math.ceil(head.due - performance.now()))));
    // Like AbortSignal.timeout, a pending deadline alone never keeps the process alive.
    timer.unref?.();
  };

  const fire = () => {
    timer = undefined;
    const now = performance.now();
    while (head && head.due <= now) {
      const entry = head;
      unlink(entry);
      entry.controller.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError'));
    }
    arm();
  };

  return () => {
    const entry: Entry = {
      controller: new AbortController(),
      due: performance.now() + timeoutMs,
      prev: tail,
      next: undefined,
    };
    if (tail) tail.next = entry;
    else head = entry;
    tail = entry;
    arm();
    return {
      signal: entry.controller.signal,
      clear: () => unlink(entry),
      abort: (reason) => {
        unlink(entry);
        entry.controller.abort(reason);
      },
    };
  };
}
