import { describe, expect, it } from 'vitest';
import {
  AbortError,
  HttpError,
  ParseError,
  TimeoutError,
  TransportError,
  ValidationError,
  VendorError,
} from '../src/errors.js';
import { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelay } from '../src/retry.js';

const at = { vendor: 'acme', operation: 'op' };
const http = (status: number, retryAfterMs?: number) => new HttpError({ ...at, status, retryAfterMs, body: '' });
const vendor = (retryable: boolean) => new VendorError({ ...at, code: '1', description: 'x', retryable });

describe('retry policy', () => {
  it.each([
    ['connection refused', new TransportError({ ...at, reason: 'refused', sent: false }), true, true],
    ['reset after write', new TransportError({ ...at, reason: 'reset', sent: 'unknown' }), true, false],
    ['timeout', new TimeoutError({ ...at, timeoutMs: 1 }), true, false],
    ['408', http(408), true, false],
    ['429', http(429), true, false],
    ['500', http(500), true, false],
    ['503', http(503), true, false],
    ['400', http(400), false, false],
    ['401', http(401), false, false],
    ['retryable vendor code', vendor(true), true, true],
    ['final vendor code', vendor(false), false, false],
    ['parse error', new ParseError({ ...at, reason: 'x', body: '' }), false, false],
    ['validation', new ValidationError({ ...at, issues: [] }), false, false],
    ['caller abort', new AbortError(at), false, false],
  ])('%s: read %s, write %s', (_, error, read, write) => {
    expect(isRetryable('read', error)).toBe(read);
    expect(isRetryable('write', error)).toBe(write);
  });

  it('backs off exponentially with full jitter up to the cap', () => {
    const top = () => 0.999999;
    expect(retryDelay(0, http(503), defaultRetryPolicy, top)).toBe(250);
    expect(retryDelay(3, http(503), defaultRetryPolicy, top)).toBe(2000);
    expect(retryDelay(10, http(503), defaultRetryPolicy, top)).toBe(8000);
    expect(retryDelay(2, http(503), defaultRetryPolicy, () => 0)).toBe(0);
  });

  it('honours Retry-After and gives up when it is too long', () => {
    expect(retryDelay(0, http(429, 3000), defaultRetryPolicy)).toBe(3000);
    expect(retryDelay(0, http(429, 3_600_000), defaultRetryPolicy)).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
