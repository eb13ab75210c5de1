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
 * A `fetch` that records each request and answers `reply` (503 by default) without a network:
 * with `maxRetries: 0` a call ends there, so tests can compare what two calls put on the wire,
 * or count that nothing was sent. It takes a URL and an init (generated methods) or a `Request`
 * (`client.raw`).
 */
export function recordingFetch(reply: () => Response = () => new Response('', { status: 503 })): {
  fetch: FetchLike;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init = {}) => {
    const request = input instanceof Request ? input : undefined;
    const headers: [string, string][] = [];
    new Headers(request?.headers ?? init.headers).forEach((value, name) => {
      headers.push([name, value]);
    });
    requests.push({
      method: request?.method ?? init.method ?? 'GET',
      url: request?.url ?? String(input),
      headers: headers.sort(([a], [b]) => a.localeCompare(b)),
      body: request ? await request.text() : typeof init.body === 'string' ? init.body : '',
    });
    return reply();
  };
  return { fetch, requests };
}
