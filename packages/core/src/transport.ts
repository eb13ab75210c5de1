import createFetchClient, { type Client } from 'openapi-fetch';
import { decodeReply } from './codecs/index.js';
import type { OperationDefinition, VendorDefinition } from './definition.js';
import { AbortError, HttpError, ParseError, SmswireError, TimeoutError, TransportError, type ErrorContext } from './errors.js';
import type { Redactor } from './redact.js';
import { parseRetryAfter } from './retry.js';

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** The openapi-fetch client behind a vendor client, with the credentials middleware installed. */
export type RawClient<Paths extends {}> = Client<Paths>;

/** Per-call options. */
export interface CallInit {
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Prefer` against a Prism mock). */
  headers?: Record<string, string>;
}

export interface TransportOptions {
  baseUrl?: string | undefined;
  fetch?: FetchLike | undefined;
  timeoutMs: number;
  maxReplyBytes: number;
  credentials: Readonly<Record<string, string>>;
  redact: Redactor;
}

/** Codes Node reports when the connection was never made, so nothing can have been sent. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * One HTTP exchange per call of `send`: request on openapi-fetch, credentials added by
 * middleware, a deadline per attempt joined with the caller's signal, the reply decoded by the
 * operation's codec. Every failure leaves as a typed SmswireError.
 */
export function createTransport<Paths extends {}>(definition: VendorDefinition, options: TransportOptions) {
  const { vendor } = definition;
  const { credentials, redact, timeoutMs } = options;
  const operationsByPath = new Map(Object.values(definition.operations).map((op) => [op.path, op]));
  const userFetch = options.fetch;

  const raw: RawClient<Paths> = createFetchClient<Paths>({
    baseUrl: options.baseUrl ?? definition.servers[0] ?? '',
    // Late-bound, so a global fetch replaced after construction is still used.
    fetch: async (request: Request, init?: RequestInit) =>
      limitBody(await (userFetch ?? globalThis.fetch)(request, init), options.maxReplyBytes),
  });
  raw.use({
    onRequest({ request, schemaPath }) {
      const security = operationsByPath.get(schemaPath)?.security ?? Object.keys(definition.credentials);
      const pairs = security.map((option) => {
        const credential = definition.credentials[option];
        return `${encodeURIComponent(credential?.name ?? option)}=${encodeURIComponent(credentials[option] ?? '')}`;
      });
      if (pairs.length === 0) return undefined;
      // Appended by hand: re-serialising through URLSearchParams would re-encode the caller's values.
      return new Request(`${request.url}${request.url.includes('?') ? '&' : '?'}${pairs.join('&')}`, request);
    },
  });

  const baseFor = (op: OperationDefinition) => options.baseUrl ?? op.servers?.[0] ?? definition.servers[0] ?? '';

  async function send(id: string, op: OperationDefinition, query: Record<string, unknown>, init: CallInit): Promise<unknown> {
    const context: ErrorContext = { vendor, operation: id };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline.signal]) : deadline.signal;
    try {
      const { data, error, response } = await raw.GET(op.path as never, {
        baseUrl: baseFor(op),
        params: { query },
        parseAs: 'text',
        signal,
        ...(init.headers ? { headers: init.headers } : {}),
      } as never);
      if (!response.ok) {
        throw new HttpError({
          ...context,
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          body: redact(typeof error === 'string' ? error : JSON.stringify(error ?? '')),
        });
      }
      return decodeReply(typeof data === 'string' ? data : '', op.reply, { vendor, operation: id, codes: op.codes, redact });
    } catch (error) {
      if (error instanceof SmswireError) throw error;
      if (error instanceof ReplyTooLarge || (error as Error)?.cause instanceof ReplyTooLarge) {
        throw new ParseError({ ...context, reason: `the reply exceeds maxReplyBytes (${options.maxReplyBytes})`, body: '' });
      }
      if (init.signal?.aborted) throw new AbortError(context);
      if (deadline.signal.aborted) throw new TimeoutError({ ...context, timeoutMs });
      throw transportError(context, error, redact);
    } finally {
      clearTimeout(timer);
    }
  }

  return { raw, send };
}

class ReplyTooLarge extends Error {}

/** Stops reading a reply past `max` bytes, so a runaway body costs neither time nor memory. */
function limitBody(response: Response, max: number): Response {
  if (!response.body) return response;
  let total = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > max) controller.error(new ReplyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function transportError(context: ErrorContext, error: unknown, redact: Redactor): TransportError {
  let code: string | undefined;
  const messages: string[] = [];
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    messages.push(cause.message);
    const candidate = (cause as { code?: unknown }).code;
    if (code === undefined && typeof candidate === 'string') code = candidate;
  }
  const [first = String(error), ...causes] = messages;
  return new TransportError({
    ...context,
    reason: redact(causes.length ? `${first} (${causes.join(': ')})` : first),
    code,
    sent: code !== undefined && notSentCodes.has(code) ? false : 'unknown',
  });
}
