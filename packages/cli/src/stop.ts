import type { FetchLike } from '@smswire/core';

/** Why a bulk run stopped taking rows before its input ended. */
export type StopCause = 'interrupted' | 'journal';

/**
 * How a bulk run stops early: Ctrl-C (SIGINT) or a journal that can no longer be written. The
 * signal goes to `sendEach`, which then reads no more rows, hands nothing more to a vendor and
 * gives the rows it had claimed back as `canceled` (certainly not sent, so sendable on the next
 * run). The requests already under way are let finish: `fetch` detaches them from this signal
 * (a deadline still aborts them), so their outcome is known rather than left unknown. A second
 * Ctrl-C exits at once.
 */
export class RunStop {
  private readonly controller = new AbortController();
  cause: StopCause | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort();
  }

  /** `fetch` whose requests outlive this stop (not a deadline). */
  detach(fetch: FetchLike): FetchLike {
    return (input, init) => {
      const signal = init?.signal;
      if (!signal) return fetch(input, init);
      const own = new AbortController();
      // Once stopped, a call's signal fires for the stop (sendEach passes it on with a reason of
      // its own), or for its deadline (a TimeoutError): only the deadline aborts the request.
      const forward = () => {
        const reason = signal.reason as { name?: unknown } | undefined;
        if (!this.cause || reason?.name === 'TimeoutError') own.abort(signal.reason);
      };
      // Not removed: the transport's signal is one call's, and a deadline may fire while the body is read.
      if (signal.aborted) forward();
      else signal.addEventListener('abort', forward, { once: true });
      return fetch(input, { ...init, signal: own.signal });
    };
  }

  /**
   * SIGINT stops the run (`note` tells the person); a second one calls `exit` at once. Returns
   * the function that removes the handler.
   */
  onInterrupt(note: () => void, exit: () => void): () => void {
    const handler = () => {
      if (this.cause) return exit();
      note();
      this.stop('interrupted');
    };
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  }
}
