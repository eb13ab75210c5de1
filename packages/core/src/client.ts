import createFetchClient, { type Client } from 'openapi-fetch';
import { decodeReply } from './codecs/index.js';
import type { OperationDefinition, VendorDefinition } from './definition.js';
import {
  AbortError,
  HttpError,
  SmswireError,
  TimeoutError,
  TransportError,
  ValidationError,
  type ErrorContext,
} from './errors.js';
import { createRedactor, type Redactor } from './redact.js';
import { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelay, sleep, type RetryPolicy } from './retry.js';
import { validateParams } from './validate.js';

export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Options every vendor client accepts besides its credentials. */
export interface ClientOptions {
  /** Replaces every server URL of the spec, e.g. a local mock. Required when the spec's server is a template. */
  baseUrl?: string;
  /** Defaults to the global `fetch`. Receives a `Request` (openapi-fetch's convention). */
  fetch?: FetchLike;
  /** Per attempt, covering headers and body. Default 30 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for failures the retry policy allows. Default 2. */
  maxRetries?: number;
}

/** Per-call options. */
export interface CallInit {
  signal?: AbortSignal;
  /** Extra request headers (e.g. `Prefer` against a Prism mock). */
  headers?: Record<string, string>;
}

/** Test seam: lets tests replace waiting and jitter without faking every timer. */
export interface ClientInternals {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  retryPolicy?: Partial<RetryPolicy>;
}

/** The openapi-fetch client behind a vendor client, with the credentials middleware installed. */
export type RawClient<Paths extends {}> = Client<Paths>;

type Operation = (params?: Record<string, unknown>, init?: CallInit) => Promise<unknown>;

/** Codes Node reports when the connection was never made, so nothing can have been sent. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Builds a vendor client from its generated definition: one method per operation, validated
 * arguments, credentials injected, replies decoded, failures typed, retries by policy.
 */
export function createVendorClient<Operations, Paths extends {}>(
  definition: VendorDefinition,
  options: ClientOptions & { credentials: Readonly<Record<string, string | undefined>> },
  internals: ClientInternals = {},
): Operations & { raw: Client<Paths> } {
  const { vendor } = definition;
  const redact = createRedactor(Object.values(options.credentials).filter((v): v is string => typeof v === 'string'));
  checkOptions(definition, options);
  const credentials = options.credentials as Record<string, string>;
  const policy: RetryPolicy = {
    ...defaultRetryPolicy,
    ...internals.retryPolicy,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const wait = internals.sleep ?? sleep;
  const operationsByPath = new Map(Object.values(definition.operations).map((op) => [op.path, op]));

  const userFetch = options.fetch;
  const raw = createFetchClient<Paths>({
    baseUrl: options.baseUrl ?? definition.servers[0] ?? '',
    fetch: (request: Request, init?: RequestInit) => (userFetch ?? globalThis.fetch)(request, init),
  });
  raw.use({
    onRequest({ request, schemaPath }) {
      const security = operationsByPath.get(schemaPath)?.security ?? Object.keys(definition.credentials);
      const pairs = security.map((option) => {
        const credential = definition.credentials[option];
        return `${encodeURIComponent(credential?.name ?? option)}=${encodeURIComponent(credentials[option] ?? '')}`;
      });
      if (pairs.length === 0) return undefined;
      return new Request(`${request.url}${request.url.includes('?') ? '&' : '?'}${pairs.join('&')}`, request);
    },
  });

  const baseFor = (op: OperationDefinition) => options.baseUrl ?? op.servers?.[0] ?? definition.servers[0] ?? '';

  async function attempt(id: string, op: OperationDefinition, query: Record<string, unknown>, init: CallInit) {
    const context: ErrorContext = { vendor, operation: id };
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout.signal]) : timeout.signal;
    try {
      const { data, error, response } = await raw.GET(op.path as never, {
        baseUrl: baseFor(op),
        params: { query } as never,
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
      if (init.signal?.aborted) throw new AbortError(context);
      if (timeout.signal.aborted) throw new TimeoutError({ ...context, timeoutMs });
      throw transportError(context, error, redact);
    } finally {
      clearTimeout(timer);
    }
  }

  async function call(id: string, op: OperationDefinition, params: Record<string, unknown> = {}, init: CallInit = {}) {
    const issues = validateParams(op.params, params);
    if (issues.length > 0) throw new ValidationError({ vendor, operation: id, issues });
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(id, op, params, init);
      } catch (error) {
        const failure = error as SmswireError;
        const delay = retry < policy.maxRetries && isRetryable(op.kind, failure)
          ? retryDelay(retry, failure, policy, internals.random)
          : undefined;
        if (delay === undefined) throw failure;
        try {
          await wait(delay, init.signal);
        } catch {
          throw new AbortError({ vendor, operation: id });
        }
      }
    }
  }

  const client: Record<string, Operation | Client<Paths>> = { raw };
  for (const [id, op] of Object.entries(definition.operations)) {
    client[id] = (params, init) => call(id, op, params, init);
  }
  return client as Operations & { raw: Client<Paths> };
}

function checkOptions(definition: VendorDefinition, options: ClientOptions & { credentials: Readonly<Record<string, unknown>> }) {
  const issues = Object.keys(definition.credentials)
    .filter((name) => typeof options.credentials[name] !== 'string' || options.credentials[name] === '')
    .map((name) => ({ path: name, message: 'is required (a non-empty string)' }));
  if (options.baseUrl === undefined) {
    const templated = [...definition.servers.slice(0, 1), ...Object.values(definition.operations).map((op) => op.servers?.[0])]
      .find((url) => url?.includes('{'));
    if (templated) issues.push({ path: 'baseUrl', message: `is required: the vendor's server (${templated}) is specific to your account` });
  } else if (!/^https?:\/\/[^/]/.test(options.baseUrl)) {
    issues.push({ path: 'baseUrl', message: 'must be an http(s) URL' });
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    issues.push({ path: 'timeoutMs', message: 'must be a positive number' });
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    issues.push({ path: 'maxRetries', message: 'must be a non-negative integer' });
  }
  if (issues.length > 0) throw new ValidationError({ vendor: definition.vendor, issues });
}

function transportError(context: ErrorContext, error: unknown, redact: Redactor): TransportError {
  let code: string | undefined;
  let reason = error instanceof Error ? error.message : String(error);
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) {
    const candidate = (cause as { code?: unknown }).code;
    if (typeof candidate === 'string') {
      code = candidate;
      reason = `${reason} (${cause.message})`;
      break;
    }
  }
  return new TransportError({
    ...context,
    reason: redact(reason),
    code,
    sent: code !== undefined && notSentCodes.has(code) ? false : 'unknown',
  });
}
