/**
 * `@smswire/core/prepare`: `client.prepare`, each operation's request built and checked as a
 * call would, not sent. An entry of its own, beside what a call runs on; generated definitions
 * hand `prepare` to the client.
 */
import type { CallInit } from './transport.js';
import type { PrepareSupport } from './vendor-definition.js';

/** An operation's request as `fetch` would receive it, from `client.prepare.<operation>`. */
export interface PreparedRequest {
  method: 'GET' | 'POST';
  url: string;
  /** Lower-case names; none when the request has no headers. */
  headers: Record<string, string>;
  /** The form or XML body as sent; `undefined` for a GET. */
  body: string | undefined;
}

export interface PrepareInit extends CallInit {
  /**
   * Shows the credentials as sent. By default each one, in every spelling the request holds it
   * (query, form field, XML element, `Authorization: Bearer`), reads `[REDACTED]`.
   */
  revealCredentials?: boolean | undefined;
}

/** `client.prepare`: for each operation, its request built and checked as a call would, not sent. */
export type Preparers<Operations> = {
  [K in keyof Operations]: Operations[K] extends (...args: infer A) => Promise<unknown>
    ? (...args: PrepareArgs<A>) => Promise<PreparedRequest>
    : never;
};

/** An operation's arguments with `PrepareInit` for its `CallInit`, the parameters as optional as the method's. */
type PrepareArgs<A extends unknown[]> = A extends [infer P, ...unknown[]]
  ? [params: P, init?: PrepareInit]
  : A extends [(infer P)?, ...unknown[]]
    ? [params?: P, init?: PrepareInit]
    : [params?: undefined, init?: PrepareInit];

/** What `prepare` shows of a built request, each text through `mask` (the redactor) unless revealed. */
export function shown(url: string, request: RequestInit, mask: (text: string) => string): PreparedRequest {
  const headers: Record<string, string> = {};
  const given = (request.headers ?? {}) as Record<string, string>;
  for (const name in given) headers[name] = mask(given[name]!);
  return {
    method: request.method === 'POST' ? 'POST' : 'GET',
    url: mask(url),
    headers,
    body: typeof request.body === 'string' ? mask(request.body) : undefined,
  };
}

/** `client.prepare` from the client's records, its request builder and its redactor. */
export const prepare: PrepareSupport = (operations, request, redact) => {
  const preparers: Record<string, (params?: unknown, init?: PrepareInit) => Promise<PreparedRequest>> = {};
  for (const [id, record] of operations)
    preparers[id] = async (params, init) => {
      const built = request(record, params, init);
      return shown(built.url, built.request, init?.revealCredentials === true ? String : redact);
    };
  return preparers;
};
