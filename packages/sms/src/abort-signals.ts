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
  // The races waiting now, woken when a signal fires. A race on one promise that never settles
  // (`Promise.race([promise, fired])`) would leave a reaction on it per call: a million-row run
  // held a million of them, each keeping its result alive (docs/benchmarks.md, "Flat memory").
  const waiting = new Set<() => void>();
  const onAbort = () => {
    controller.abort();
    for (const wake of waiting) wake();
    waiting.clear();
  };
  for (const signal of given) {
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  const race = <T>(promise: Promise<T>): Promise<T | typeof aborted> => {
    if (controller.signal.aborted) return Promise.resolve(aborted);
    return new Promise<T | typeof aborted>((resolve, reject) => {
      const wake = () => resolve(aborted);
      waiting.add(wake);
      promise.then(
        (value) => {
          waiting.delete(wake);
          resolve(value);
        },
        (error: unknown) => {
          waiting.delete(wake);
          reject(error);
        },
      );
    });
  };
  return {
    signal: controller.signal,
    aborted: () => controller.signal.aborted,
    race,
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
