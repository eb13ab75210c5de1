/** One attempt's deadline: `signal` aborts with a `TimeoutError` DOMException when it passes. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Ends the attempt's claim on the deadline; call it once the attempt settled, however it did. */
  clear(): void;
}

/** The attempts that started within one short window, sharing a controller and a deadline. */
interface Batch {
  readonly controller: AbortController;
  readonly opened: number;
  readonly due: number;
  pending: number;
  prev: Batch | undefined;
  next: Batch | undefined;
}

/**
 * Node's EventTarget walks a signal's listeners on every add, and undici adds one per request
 * and drops it only at GC: past a few dozen attempts on one signal, sharing cost more than it
 * saved (a thousand per batch cost a fifth of the throughput, docs/benchmarks.md).
 */
export const maxPerBatch = 16;

/**
 * Deadlines for the attempts of one client. Creating an AbortController costs Node 20 about
 * 6 µs (most of it `makeTransferable`), a sixth of the client's own work per call, so attempts
 * that start within 1/64 of the timeout share one controller whose deadline suits the latest
 * of them: each attempt gets between `timeoutMs` and 1.6 % more. Batches fall due in the order
 * they open, so a queue with one timer serves them all. A batch leaves the queue when its last
 * attempt settles; its signal only ever aborts with an attempt still running.
 */
export function createDeadlines(timeoutMs: number): () => Deadline {
  const window = timeoutMs / 64;
  let head: Batch | undefined;
  let tail: Batch | undefined;
  let open: Batch | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const unlink = (batch: Batch) => {
    if (batch.prev) batch.prev.next = batch.next;
    else if (head === batch) head = batch.next;
    else return;
    if (batch.next) batch.next.prev = batch.prev;
    else tail = batch.prev;
    batch.prev = batch.next = undefined;
  };

  const arm = () => {
    if (!head || timer) return;
    // A timer can fire a little before its delay by the clock below; `fire` then re-arms.
    timer = setTimeout(fire, Math.max(1, Math.ceil(head.due - performance.now())));
    // Like AbortSignal.timeout, a pending deadline alone never keeps the process alive.
    timer.unref?.();
  };

  const fire = () => {
    timer = undefined;
    const now = performance.now();
    while (head && head.due <= now) {
      const batch = head;
      unlink(batch);
      if (open === batch) open = undefined;
      batch.controller.abort(new DOMException(`no reply within ${timeoutMs} ms`, 'TimeoutError'));
    }
    arm();
  };

  return () => {
    const now = performance.now();
    if (!open || now - open.opened > window || open.pending >= maxPerBatch) {
      if (open?.pending === 0) unlink(open);
      open = { controller: new AbortController(), opened: now, due: now + window + timeoutMs, pending: 0, prev: tail, next: undefined };
      if (tail) tail.next = open;
      else head = open;
      tail = open;
      arm();
    }
    const batch = open;
    batch.pending++;
    let cleared = false;
    return {
      signal: batch.controller.signal,
      clear: () => {
        if (cleared) return;
        cleared = true;
        if (--batch.pending === 0 && batch !== open) unlink(batch);
      },
    };
  };
}
