import type { FetchLike } from '@smswire/core';

/** One request as it left the client: everything a server could see of it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Lower-case names, sorted. */
  headers: [string, string][];
  body: string;
}

/**
 * A `fetch` that records each request and answers 503 without a network: with `maxRetries: 0`
 * every call ends there, so tests can compare what two calls put on the wire, or count that
 * nothing was sent.
 */
export function recordingFetch(): { fetch: FetchLike; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const headers: [string, string][] = [];
    new Headers(init.headers).forEach((value, name) => {
      headers.push([name, value]);
    });
    requests.push({
      method: init.method ?? 'GET',
      url: String(input),
      headers: headers.sort(([a], [b]) => a.localeCompare(b)),
      body: typeof init.body === 'string' ? init.body : '',
    });
    return new Response('', { status: 503 });
  };
  return { fetch, requests };
}
