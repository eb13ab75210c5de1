import createFetchClient, { type Client } from 'openapi-fetch';
import { decodeReply } from './codecs/index.js';
import { wantsXml } from './codecs/json.js';
import type { OperationDefinition, VendorDefinition } from './definition.js';
import { AbortError, HttpError, ParseError, SmswireError, TimeoutError, TransportError, type ErrorContext } from './errors.js';
import type { Redactor } from './redact.js';
import { addCredentials } from './raw.js';
import { encodeRequest } from './request.js';
import { parseRetryAfter } from './retry.js';

/** The global `fetch` signature; generated methods call it with a URL string and an init. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

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
 * One HTTP exchange per call of `send`: request on openapi-fetch with the operation's
 * credentials in its query, a deadline per attempt joined with the caller's signal, the reply
 * capped and decoded by the operation's codec. Every failure leaves as a typed SmswireError.
 */
export function createTransport<Paths extends {}>(definition: VendorDefinition, options: TransportOptions) {
  const { vendor } = definition;
  const { credentials, redact, timeoutMs } = options;
  const userFetch = options.fetch;

  // Late-bound, so a global fetch replaced after construction is still used. Generated calls cap
  // success bodies themselves (readText); `client.raw` calls are capped in the stream.
  const cappedFetch = (capSuccess: boolean) => async (input: string | Request, init?: RequestInit) =>
    limitBody(await (userFetch ?? globalThis.fetch)(input, init), options.maxReplyBytes, capSuccess);
  const baseUrl = options.baseUrl ?? definition.servers[0] ?? '';
  const generatedFetch = cappedFetch(false);
  const byPath = new Map(Object.values(definition.operations).map((op) => [`${op.method} ${op.path}`, op]));

  // Generated methods place the credentials themselves (encodeRequest), on a client without
  // middleware (each middleware costs a Request copy). `client.raw` gets them from a middleware.
  const generated = createFetchClient<Paths>({ baseUrl, fetch: generatedFetch });
  const raw: RawClient<Paths> = createFetchClient<Paths>({ baseUrl, fetch: cappedFetch(true) });
  raw.use({ onRequest: ({ request, schemaPath }) => addCredentials(definition, byPath.get(`${request.method.toLowerCase()} ${schemaPath}`), request, credentials) });

  const baseFor = (op: OperationDefinition) => options.baseUrl ?? op.servers?.[0] ?? definition.servers[0] ?? '';

  async function send(
    id: string,
    op: OperationDefinition,
    params: Record<string, unknown>,
    init: CallInit,
    bearer?: string,
  ): Promise<unknown> {
    const context: ErrorContext = { vendor, operation: id };
    const wire = encodeRequest(definition, op, params, credentials);
    const headers: Record<string, string> = { ...wire.headers };
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    if (wire.form) headers['content-type'] = formType;
    const accept = acceptFor(op, params);
    if (accept) headers.accept = accept;
    Object.assign(headers, init.headers);
    // AbortSignal.timeout is a native, unref'd timer: far cheaper per call than a controller and setTimeout.
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      const call = op.method === 'post' ? generated.POST : generated.GET;
      const { data, error, response } = await call(op.path as never, {
        baseUrl: baseFor(op),
        params: { query: wire.query },
        ...(wire.form ? { body: wire.form } : wire.xml ? { body: wire.xml, bodySerializer: (xml: string) => xml } : {}),
        parseAs: 'stream',
        signal,
        headers,
        Request: PlainRequest,
        fetch: (request: PlainRequest) =>
          // Never follow a redirect: the next hop could fail "before sending" and make a send
          // look safe to retry, and it would carry the credentials to another host.
          generatedFetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            signal: request.signal,
            redirect: 'manual',
          }),
      } as never);
      const ctx = { vendor, operation: id, codes: op.codes, redact, xml: definition.xmlCodec };
      if (!response.ok) {
        const text = typeof error === 'string' ? error : JSON.stringify(error ?? '');
        // Some vendors (OAuth2 token endpoints) report their own failures with a 4xx body.
        if (op.replyStatuses?.includes(response.status)) return decodeSafely(text, op, ctx, params);
        throw new HttpError({
          ...context,
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
          body: redact(text),
        });
      }
      // A declared, uncompressed length is already held to by fetch (and checked against the
      // cap); anything else is counted as it arrives, decompressed.
      const sized = response.headers.has('content-length') && !response.headers.has('content-encoding');
      const body = sized ? await response.text() : await readText(data as ReadableStream<Uint8Array> | undefined, options.maxReplyBytes);
      return decodeSafely(body, op, ctx, params);
    } catch (error) {
      if (error instanceof SmswireError) throw error;
      if (error instanceof ReplyTooLarge || (error as Error)?.cause instanceof ReplyTooLarge) {
        throw new ParseError({ ...context, reason: new ReplyTooLarge(options.maxReplyBytes).message, body: '' });
      }
      if (init.signal?.aborted) throw new AbortError(context);
      if (deadline.aborted) throw new TimeoutError({ ...context, timeoutMs });
      throw transportError(context, error, redact);
    }
  }

  return { raw, send };
}

class ReplyTooLarge extends Error {
  constructor(max: number) {
    super(`the reply exceeds maxReplyBytes (${max})`);
  }
}

const formType = 'application/x-www-form-urlencoded';

/** The media type to ask for: Prism (and honest servers) pick the reply's form by it. */
function acceptFor(op: OperationDefinition, params: Readonly<Record<string, unknown>>): string | undefined {
  if (op.reply.codec === 'xml') return 'application/xml';
  if (op.reply.codec === 'json') return op.reply.xml && wantsXml(op.reply.xml.when, params) ? 'application/xml' : 'application/json';
  return undefined;
}

/** A codec bug or a pathological body (say, nesting deep enough to overflow the stack) is still a ParseError. */
function decodeSafely(body: string, op: OperationDefinition, ctx: Parameters<typeof decodeReply>[2], params: Readonly<Record<string, unknown>>): unknown {
  try {
    return decodeReply(body, op.reply, ctx, params);
  } catch (error) {
    if (error instanceof SmswireError) throw error;
    throw new ParseError({ vendor: ctx.vendor, operation: ctx.operation, reason: 'the reply could not be decoded', body: ctx.redact(body) });
  }
}

/**
 * What openapi-fetch builds for a generated call: just the fields handed to `fetch`. A real
 * Request would be copied again by fetch, and that copy cost a seventh of the throughput.
 */
class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: HeadersInit | undefined;
  readonly body: BodyInit | null;
  readonly signal: AbortSignal | null;

  constructor(url: string, init: RequestInit = {}) {
    this.url = url;
    this.method = init.method ?? 'GET';
    this.headers = init.headers;
    this.body = init.body ?? null;
    this.signal = init.signal ?? null;
  }
}

/**
 * Reads a success reply up to `max` bytes. A reader loop, not a TransformStream: on the hot
 * path a TransformStream costs more than the rest of the client together.
 */
async function readText(body: ReadableStream<Uint8Array> | undefined, max: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      void reader.cancel().catch(() => undefined);
      throw new ReplyTooLarge(max);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(whole);
}

const decoder = new TextDecoder();

/**
 * Caps a reply before anyone reads it: a declared oversize body is refused before a byte is
 * read; an unsized or compressed one is counted as it streams. openapi-fetch reads error bodies
 * itself, so those are always streamed through the cap; success bodies only when `capSuccess`.
 */
function limitBody(response: Response, max: number, capSuccess: boolean): Response {
  if (!response.body) return response;
  // A compressed body's Content-Length says nothing about what it expands to.
  const declared = response.headers.has('content-encoding') ? Number.NaN : Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > max) {
    void response.body.cancel().catch(() => undefined);
    throw new ReplyTooLarge(max);
  }
  // fetch already holds a body to its Content-Length.
  if (declared <= max || (response.ok && !capSuccess)) return response;
  let total = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > max) controller.error(new ReplyTooLarge(max));
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
