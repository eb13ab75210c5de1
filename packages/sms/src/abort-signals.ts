/** What `race` gives once a signal fires. */
export const aborted = Symbol('aborted');

/** The signals a run obeys, as one (see `abortOn`). */
export interface RunSignal {
  /** The one signal handed to every vendor call; none when no signal was given. */
  signal: AbortSignal | undefined;
  aborted(): boolean;
  /** The promise's value, or `aborted` once a signal fires: for an input that never yields again. */
  race<T>(promise: Promise<T>): Promise<T | typeof aborted>;
  /** Removes the listeners from the given signals. */
  release(): void;
}

/**
 * The signals `sendMany` obeys, as one. Listeners, not `AbortSignal.any`, and released at the
 * end: a long-lived signal passed to many calls must not collect an entry per call (see core's
 * transport).
 */
export function abortOn(...signals: (AbortSignal | undefined)[]): RunSignal {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length === 0) {
    return { signal: undefined, aborted: () => false, race: (p) => p, release: () => undefined };
  }
  const controller = new AbortController();
  let wake: (() => void) | undefined;
  const onAbort = () => {
    controller.abort();
    wake?.();
  };
  for (const signal of given) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  const fired = new Promise<typeof aborted>((resolve) => {
    wake = () => resolve(aborted);
    if (controller.signal.aborted) resolve(aborted);
  });
  return {
    signal: controller.signal,
    aborted: () => controller.signal.aborted,
    race: (promise) => Promise.race([promise, fired]),
    release: () => {
      for (const signal of given) signal.removeEventListener('abort', onAbort);
    },
  };
}

/** `setTimeout` as a promise that an abort ends at once. */
export const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
