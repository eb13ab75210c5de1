import type { Client } from 'openapi-fetch';
import { replyDecoder, replyMediaType } from './codecs/index.js';
import { parseError } from './codecs/context.js';
import type {
  CallInit,
  Connection,
  OperationDefinition,
  ReplyContext,
  ReplyDecoder,
  VendorDefinition,
} from './vendor-definition.js';
import { createDeadlines } from './deadlines.js';
import {
  AbortError,
  HttpError,
  ParseError,
  SmswireError,
  TimeoutError,
  TransportError,
  type ErrorContext,
} from './errors.js';
import { withheldReply, type Redactor } from './redact.js';
import { readCapped, ReplyTooLarge, replyCap } from './reply-cap.js';
import { declaredCharset, decodeText } from './reply-text.js';
import { requestEncoder, type RequestEncoder } from './request.js';
import { parseRetryAfter } from './retry.js';

/** The global `fetch` signature; generated methods call it with a URL string and an init. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The openapi-fetch client behind a vendor client, with the credentials middleware installed. */
export type RawClient<Paths extends {}> = Client<Paths>;

export type { CallInit } from './vendor-definition.js';

export interface TransportOptions {
  baseUrl?: string | undefined;
  /** A name from the definition's `serverNames`. */
  server?: string | undefined;
  fetch?: FetchLike | undefined;
  timeoutMs: number;
  maxReplyBytes: number;
  credentials: Readonly<Record<string, string>>;
  redact: Redactor;
}

/** Codes Node reports when the connection was never made, so nothing can have been sent. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * One HTTP exchange per call of `send`: `fetch` with the URL, headers and body the definition
 * says, a deadline per attempt joined with the caller's signal, the reply capped and decoded
 * by the operation's codec. Every failure leaves as a typed SmswireError. `connection` is what
 * `client.raw` (openapi-fetch over the same fetch) is built on.
 */
export function createTransport(definition: VendorDefinition, options: TransportOptions) {
  const { vendor } = definition;
  const { credentials, redact, timeoutMs } = options;
  const userFetch = options.fetch;

  // Late-bound, so a global fetch replaced after construction is still used.
  const currentFetch = () => userFetch ?? globalThis.fetch;
  const serverIndex =
    options.server === undefined ? 0 : Math.max(0, definition.serverNames?.indexOf(options.server) ?? 0);
  const baseUrl = options.baseUrl ?? definition.servers[serverIndex] ?? '';
  const startDeadline = createDeadlines(timeoutMs);
  // What `client.raw` (`@smswire/core/raw`) is built on.
  const connection: Connection = { baseUrl, fetch: currentFetch, maxReplyBytes: options.maxReplyBytes, credentials };

  /**
   * An operation's plan, made once when the client is: its request encoder, its reply decoder
   * and what the decoder needs to word an error. A call then does no lookup in the tables
   * (docs/benchmarks.md, "Made once").
   */
  function plan(id: string, op: OperationDefinition): Plan {
    const cap = replyCap(options.maxReplyBytes, op);
    return {
      id,
      op,
      cap,
      base: options.baseUrl ?? op.servers?.[serverIndex] ?? baseUrl,
      encode: requestEncoder(definition, op),
      decode: replyDecoder(op.reply, definition),
      reply: {
        vendor,
        operation: id,
        codes: op.codes,
        redact,
        xml: definition.xmlCodec,
        maxReplyBytes: cap,
        secret: op.secretReply,
      },
    };
  }

  /**
   * The request a call hands `fetch`, but its signal: the URL and an init built in place, not
   * spread, since each copy is more code for a call to run when the CPU's caches hold little of
   * it, after the round trip's wait (docs/benchmarks.md, "Cold"). `client.prepare` shows it.
   */
  function build(plan: Plan, params: Record<string, unknown>, init: CallInit, bearer?: string) {
    const wire = plan.encode(params, credentials);
    // The call's own: the encoder made it for this call.
    const headers = wire.headers;
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    if (wire.form) headers['content-type'] = formType;
    const accept = replyMediaType(plan.op.reply, params);
    if (accept) headers.accept = accept;
    for (const name in init.headers) headers[name] = init.headers[name]!;
    const request: RequestInit = {
      // Set by `send`: first, so the object keeps one shape.
      signal: null,
      // Never follow a redirect: the next hop could fail "before sending" and make a send
      // look safe to retry, and it would carry the credentials to another host.
      redirect: 'manual',
    };
    // GET is fetch's default: naming it costs a check of the method on every call.
    if (plan.op.method === 'post') request.method = 'POST';
    // Headers and a body only when there are any: undici copies a headers object into its own
    // Headers on every call, which cost a sequential call about a tenth (docs/benchmarks.md, "Headers only when there are any").
    for (const _ in headers) {
      request.headers = headers;
      break;
    }
    if (wire.form) request.body = new URLSearchParams(wire.form).toString();
    else if (wire.xml !== undefined) request.body = wire.xml;
    return { url: plan.base + wire.target, request, accept };
  }

  /**
   * Generated calls go to `fetch` directly with a URL and an init: the request is fully known
   * from the definition, and openapi-fetch's request building cost as much as all of smswire's
   * own work per call (docs/benchmarks.md, "Fetch directly").
   */
  async function send(
    plan: Plan,
    params: Record<string, unknown>,
    init: CallInit,
    bearer?: string,
    /** Told the reply's status, when the call is watched (observe.ts). */
    note?: { status?: number | undefined },
  ): Promise<unknown> {
    const { id, op } = plan;
    const { url, request, accept } = build(plan, params, init, bearer);
    // The wait the call asked the vendor for (in seconds) is part of its deadline, not a timeout.
    const waited = op.waitParam === undefined ? 0 : Number(params[op.waitParam] ?? 0) * 1000;
    const deadline = startDeadline(waited);
    request.signal = deadline.signal;
    // Not AbortSignal.any: on Node 20 it leaves an entry on the caller's signal for every call
    // (nodejs/node#55351), so one long-lived shutdown signal passed to every call grew the heap.
    const caller = init.signal;
    const forward = () => deadline.abort(caller!.reason);
    if (caller?.aborted) forward();
    else caller?.addEventListener('abort', forward);
    try {
      const response = await currentFetch()(url, request);
      if (note) note.status = response.status;
      const charset = declaredCharset(response.headers.get('content-type'), accept === 'application/xml');
      const read = await readCapped(response, plan.cap, charset.utf8);
      let text = read as string;
      let unknown: string | undefined;
      if (typeof read !== 'string') ({ text, unknown } = decodeText(read, charset.named));
      const ctx = plan.reply;
      // Some vendors (OAuth2 token endpoints) report their own failures with a 4xx body.
      if (response.ok || op.replyStatuses?.includes(response.status)) {
        if (unknown !== undefined) throw parseError(ctx, `unknown charset ${unknown}`, '');
        return decodeSafely(plan.decode, text, ctx, params);
      }
      throw new HttpError({
        vendor,
        operation: id,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        // A reply that may carry a new token or key cannot be redacted: it is not shown.
        body: op.secretReply ? withheldReply : redact(text),
      });
    } catch (error) {
      if (error instanceof SmswireError) throw error;
      // Made here, not per call: a success never needs it.
      const context: ErrorContext = { vendor, operation: id };
      if (error instanceof ReplyTooLarge || (error as Error)?.cause instanceof ReplyTooLarge) {
        throw new ParseError({ ...context, reason: new ReplyTooLarge(plan.cap).message, body: '' });
      }
      if (init.signal?.aborted) throw new AbortError(context);
      if (deadline.signal.aborted) throw new TimeoutError({ ...context, timeoutMs: timeoutMs + waited });
      throw transportError(context, error, redact);
    } finally {
      deadline.clear();
      caller?.removeEventListener('abort', forward);
    }
  }

  return { connection, plan, send, build };
}

const formType = 'application/x-www-form-urlencoded';

/** A codec bug or a pathological body (say, nesting deep enough to overflow the stack) is still a ParseError. */
function decodeSafely(
  decode: ReplyDecoder,
  body: string,
  ctx: ReplyContext,
  params: Readonly<Record<string, unknown>>,
): unknown {
  try {
    return decode(body, ctx, params);
  } catch (error) {
    if (error instanceof SmswireError) throw error;
    throw parseError(ctx, 'the reply could not be decoded', body);
  }
}

/** What a call of one operation uses besides its arguments, made when the client is. */
export interface Plan {
  id: string;
  op: OperationDefinition;
  /** The server URL the operation's path is appended to. */
  base: string;
  /** The most bytes its reply may have: the client's `maxReplyBytes`, or the operation's larger budget. */
  cap: number;
  encode: RequestEncoder;
  decode: ReplyDecoder;
  reply: ReplyContext;
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
