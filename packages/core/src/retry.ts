import { HttpError, type SmswireError, TimeoutError, TransportError, VendorError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this ends the retries instead of stalling the caller. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Reads retry on anything transient. Writes (sends) retry only when the request certainly never
 * left this machine, or when the vendor's catalog marks the reply's code retryable: a duplicate
 * SMS is worse than a failed one.
 */
export function isRetryable(kind: 'read' | 'write', error: SmswireError): boolean {
  if (error instanceof VendorError) return error.retryable;
  if (error instanceof TransportError) return kind === 'read' || error.sent === false;
  if (error instanceof TimeoutError) return kind === 'read';
  if (error instanceof HttpError)
    return kind === 'read' && (error.status === 408 || error.status === 429 || error.status >= 500);
  return false;
}

/** Full-jitter exponential backoff, or the server's `Retry-After`; undefined means stop. */
export function retryDelay(
  retry: number,
  error: SmswireError,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | undefined {
  if (error instanceof HttpError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxRetryAfterMs ? error.retryAfterMs : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** `Retry-After` as delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
