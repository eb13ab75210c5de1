import { defaultMaxReplyBytes } from './codecs/context.js';
import { AbortError, HttpError, SmswireError, ValidationError, type ValidationIssue, VendorError } from './errors.js';
import type { TokenManager, VendorDefinition } from './vendor-definition.js';
import type { Preparers } from './prepare.js';
import { callChannel, parentEvent, resolveLogger, watch, type Logger } from './observe.js';
import { createRedactor } from './redact.js';
import { defaultRetryPolicy, isRetryable, retryDelay, sleep, type RetryPolicy } from './retry.js';
import { sendsCredential } from './request.js';
import { createTransport, type CallInit, type FetchLike, type Plan, type RawClient } from './transport.js';
import { argumentReader, type ArgumentReader } from './validate.js';

/** Options every vendor client accepts besides its credentials. */
export interface ClientOptions {
  /** Replaces every server URL of the spec, e.g. a local mock. Required when the spec's server is a template. */
  baseUrl?: string | undefined;
  /**
   * One of the vendor's documented alternative servers, by name (DiniSoft: `'http'`), for every
   * operation at once: operations with servers of their own move to their server of that name.
   */
  server?: string | undefined;
  /** Defaults to the global `fetch`. Generated methods call it with a URL and an init; `client.raw` (openapi-fetch) with a `Request`. */
  fetch?: FetchLike | undefined;
  /** Per attempt, covering headers and body. Default 30 000. */
  timeoutMs?: number | undefined;
  /** Retries after the first attempt, for failures the retry policy allows. Default 2. */
  maxRetries?: number | undefined;
  /**
   * A longer reply is abandoned with a ParseError. Default 256 KiB: the largest reply these
   * vendors document, 1,000 SMS Leads delivery reports, is about 230 KB. Decoding is synchronous,
   * so a reply may also hold at most one XML tag or JSON value per 16 bytes of this (one entity
   * reference per 64, one attribute per 1,024) and nest 64 deep; raising it raises those too.
   * A list the vendor hands over whole has a larger budget from its spec; this applies to it
   * where it is larger still.
   */
  maxReplyBytes?: number | undefined;
  /**
   * Logs each attempt (`debug`: vendor, operation, attempt, HTTP status, duration, outcome), each
   * retry and each retry declined with why (`info`), redirects refused and replies over
   * `maxReplyBytes` (`warn`); every line redacted like errors are. Anything with
   * `debug`/`info`/`warn`/`error` (console, pino, winston). Without it, `SMSWIRE_LOG=debug|info|warn`
   * logs to `console.error`.
   */
  logger?: Logger | undefined;
}

/** Test seam: lets tests replace waiting and jitter without faking every timer. */
export interface ClientInternals {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  retryPolicy?: Partial<RetryPolicy>;
  /** Clock for OAuth2 token expiry. */
  now?: () => number;
}

// A registered symbol, so the seam still reaches the client when a test's copy of core is not
// the vendor package's.
const internalsKey = Symbol.for('@smswire/core/internals');

/**
 * `options` carrying the test seam, for any `createClient`: it travels under a symbol key, which
 * generated clients pass on with the other options, so it stays out of their signatures.
 */
export function withInternals<T extends object>(options: T, internals: ClientInternals): T {
  return { ...options, [internalsKey]: internals };
}

/** Present on clients of vendors with OAuth2 endpoints, when the OAuth2 credentials are given. */
export interface OAuthControls {
  /** Revokes the tokens the client holds; the next call fetches a new one. */
  revokeToken(init?: CallInit): Promise<void>;
}

/** Where a call is in its attempts: the number of the attempt being made, the policy's retries left, and the re-sends a refused token still allows. */
interface Remaining {
  attempt: number;
  retriesLeft: number;
  tokenResendsLeft: number;
}

/** After a failed attempt: once more with a new token, again after a delay, or not, and why not (for the log). */
type Next =
  | { reason: 'token refused'; refused: string; left: Remaining }
  | { reason: 'retryable'; delay: number; left: Remaining }
  | { reason: 'stop'; why: string };

/** What a method holds of its operation, made when the client is. */
interface Prepared {
  read: ArgumentReader;
  absent: readonly string[];
  plan: Plan;
}

/** An operation's record, made once per client: what its generated method passes to `call`. */
export type OperationRecord = Readonly<Prepared>;

/** What a generated client is built on: its operations' records and the one function that calls them. */
export interface VendorRuntime<Operations, Paths extends {}> {
  raw: RawClient<Paths>;
  operations: Readonly<Record<keyof Operations, OperationRecord>>;
  /**
   * Calls an operation: validated arguments, credentials injected, reply decoded, failures typed,
   * retries by policy. Never throws: a call that fails validation returns a rejected promise.
   */
  call<Result>(operation: OperationRecord, params?: unknown, init?: CallInit): Promise<Result>;
  /** `client.prepare`: per operation, the request a call would send, not sent. */
  prepare: Preparers<Operations>;
  /** Present when the vendor has OAuth2 endpoints and the client their credentials. */
  revokeToken?: OAuthControls['revokeToken'];
}

/**
 * What a vendor client is built on, from its generated definition: the generated client has a
 * named method per operation that hands its record to `call`, so the operation's name is on
 * the stack and a debugger steps into it.
 */
export function createVendorRuntime<Operations, Paths extends {}>(
  definition: VendorDefinition,
  options: ClientOptions & { credentials: Readonly<Record<string, string | undefined>> },
): VendorRuntime<Operations, Paths> {
  const { vendor } = definition;
  const internals = (options as { [internalsKey]?: ClientInternals })[internalsKey] ?? {};
  // First: the redactor encodes each credential, which a lone surrogate would make throw.
  checkOptions(definition, options);
  const redact = createRedactor(Object.values(options.credentials).filter((v): v is string => typeof v === 'string'));
  const policy: RetryPolicy = {
    ...defaultRetryPolicy,
    ...internals.retryPolicy,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
  const wait = internals.sleep ?? sleep;
  const logger = resolveLogger(options.logger);
  const transport = createTransport(definition, {
    // `${baseUrl}/path`: a trailing slash would make `//path`, which a URL parser reads as a host.
    baseUrl: options.baseUrl?.replace(/\/+$/, ''),
    server: options.server,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxReplyBytes: options.maxReplyBytes ?? defaultMaxReplyBytes,
    credentials: options.credentials as Record<string, string>,
    redact,
  });

  const has = (option: string) => typeof options.credentials[option] === 'string' && options.credentials[option] !== '';
  // Per operation, made once: its arguments' reader, the credentials it sends that this client
  // lacks (the credentials are the client's for its life) and the transport's plan. Each generated
  // method hands its own to \`call\`, so a call looks nothing up.
  const operations = new Map(
    Object.entries(definition.operations).map(([id, op]) => [
      id,
      {
        read: argumentReader(op, definition.dates),
        absent: op.security.filter((option) => !has(option)),
        plan: transport.plan(id, op),
      } satisfies Prepared,
    ]),
  );
  const tokens = definition.oauth?.(
    definition,
    has,
    (id, params, init) => call(operations.get(id)!, params, init),
    redact.add,
    internals.now,
  );

  /** A call's arguments and options, read and checked: any issue is a ValidationError and nothing is sent. */
  function check(
    prepared: Prepared,
    args: unknown,
    callInit: CallInit | undefined,
  ): [Record<string, unknown>, CallInit] {
    const { read, absent, plan } = prepared;
    const issues: ValidationIssue[] = [];
    const params = read(args, issues);
    for (const option of absent) {
      if (sendsCredential(plan.op, option, params))
        issues.push({ path: option, message: `is required by ${plan.id} (a createClient option)` });
    }
    const init = callInit === undefined ? noInit : checkInit(callInit, issues);
    if (issues.length > 0) throw new ValidationError({ vendor, operation: plan.id, issues });
    return [params, init];
  }

  /**
   * Not an async function: a call that fails validation still returns a rejected promise, and
   * the first attempt needs no suspended frame of its own; only a failed attempt goes on to
   * `retry`, which starts from its failure.
   */
  function call(prepared: Prepared, args: unknown = {}, callInit?: CallInit): Promise<unknown> {
    let checked: [Record<string, unknown>, CallInit];
    try {
      checked = check(prepared, args, callInit);
    } catch (error) {
      return Promise.reject(error);
    }
    return attempt(prepared.plan, checked[0], checked[1], {
      attempt: 1,
      retriesLeft: policy.maxRetries,
      tokenResendsLeft: 1,
    });
  }

  /**
   * The request `call` would hand `fetch` first, checked and built by the same code, not sent:
   * what `client.prepare` shows. An OAuth2 access token is only known once a call asks for one,
   * so it reads `[REDACTED]` even revealed.
   */
  function request(prepared: Prepared, args: unknown = {}, callInit?: CallInit) {
    const [params, init] = check(prepared, args, callInit);
    const { plan } = prepared;
    return transport.build(plan, params, init, plan.op.bearer && tokens ? '[REDACTED]' : undefined);
  }

  /**
   * One attempt of a call; its failure goes to `afterFailure` with what is left of the call's
   * attempts. Not async, as `call` is not: only an attempt that needs an OAuth2 token first
   * (`attemptWithToken`) waits, so the common path allocates no suspended frame.
   */
  function attempt(plan: Plan, params: Record<string, unknown>, init: CallInit, left: Remaining): Promise<unknown> {
    if (plan.op.bearer && tokens) return attemptWithToken(plan, params, init, left, tokens);
    return exchange(plan, params, init, left).catch((error: unknown) => afterFailure(plan, params, init, left, error));
  }

  async function attemptWithToken(
    plan: Plan,
    params: Record<string, unknown>,
    init: CallInit,
    left: Remaining,
    tokens: TokenManager,
  ): Promise<unknown> {
    let bearer: string;
    try {
      // Only the signal carries over: the caller's headers are for this call, not for the token endpoint.
      bearer = await tokens.get({ signal: init.signal });
    } catch (error) {
      // The token request retries as its own operation does, and every caller waiting for it
      // shares its outcome: a failure is not retried by each of them (a token request per
      // caller per retry).
      throw failureOf(plan, init, error);
    }
    return exchange(plan, params, init, left, bearer).catch((error: unknown) =>
      afterFailure(plan, params, init, left, error, bearer),
    );
  }

  /** One HTTP exchange, watched (logged, traced) only when a logger or a channel subscriber wants it. */
  function exchange(plan: Plan, params: Record<string, unknown>, init: CallInit, left: Remaining, bearer?: string) {
    if (!logger && !callChannel?.hasSubscribers) return transport.send(plan, params, init, bearer);
    const event = {
      vendor,
      operation: plan.id,
      kind: plan.op.kind,
      attempt: left.attempt,
      method: plan.op.method === 'post' ? ('POST' as const) : ('GET' as const),
      server: hostOf(plan.base),
      parent: (init as Traced)[parentEvent],
    };
    return watch(event, (note) => transport.send(plan, params, init, bearer, note), logger, redact);
  }

  /** After a failed attempt: the next one, when `nextAttempt` allows it, or the failure. */
  async function afterFailure(
    plan: Plan,
    params: Record<string, unknown>,
    init: CallInit,
    left: Remaining,
    error: unknown,
    bearer?: string,
  ): Promise<unknown> {
    const failure = failureOf(plan, init, error);
    const next = nextAttempt(plan, failure, left, bearer);
    if (next.reason === 'stop') {
      logger?.info(`${vendor} ${plan.id}: not retried, ${next.why}`);
      throw failure;
    }
    if (next.reason === 'token refused') {
      logger?.info(`${vendor} ${plan.id}: token refused, once more with a new one`);
      tokens?.invalidate(next.refused);
    } else {
      logger?.info(`${vendor} ${plan.id}: retrying in ${next.delay} ms`);
      try {
        await wait(next.delay, init.signal);
      } catch {
        throw new AbortError({ vendor, operation: plan.id });
      }
    }
    return attempt(plan, params, init, next.left);
  }

  /**
   * The retry decision, all of it: whether a failed attempt is made again, why, after how long,
   * and what is left after it; or why not.
   */
  function nextAttempt(plan: Plan, failure: SmswireError, left: Remaining, bearer?: string): Next {
    // A 401 means the request was refused unread, so even a send may go again, once, with a new
    // token; it does not count as one of the policy's retries.
    if (bearer !== undefined && failure instanceof HttpError && failure.status === 401)
      return left.tokenResendsLeft > 0
        ? {
            reason: 'token refused',
            refused: bearer,
            left: { ...left, attempt: left.attempt + 1, tokenResendsLeft: left.tokenResendsLeft - 1 },
          }
        : { reason: 'stop', why: 'the new token was refused too' };
    if (!isRetryable(plan.op.kind, failure))
      return {
        reason: 'stop',
        why:
          plan.op.kind === 'write' && !(failure instanceof VendorError)
            ? 'a send is never retried after it may have left'
            : 'the failure is not one to retry',
      };
    if (left.retriesLeft === 0) return { reason: 'stop', why: 'no retries left' };
    const delay = retryDelay(policy.maxRetries - left.retriesLeft, failure, policy, internals.random);
    return delay === undefined
      ? { reason: 'stop', why: "the server's Retry-After is longer than the policy allows" }
      : { reason: 'retryable', delay, left: { ...left, attempt: left.attempt + 1, retriesLeft: left.retriesLeft - 1 } };
  }

  /** A failed attempt's error as the caller sees it: anything but ours, once the caller aborted, is an AbortError. */
  function failureOf(plan: Plan, init: CallInit, error: unknown): SmswireError {
    if (init.signal?.aborted && !(error instanceof SmswireError)) return new AbortError({ vendor, operation: plan.id });
    return error as SmswireError;
  }

  /** The host (and port) of each server URL, worked out once: a watched attempt names it. */
  const hosts = new Map<string, string>();
  function hostOf(base: string): string {
    let host = hosts.get(base);
    if (host === undefined) {
      host = URL.canParse(base) ? new URL(base).host : '';
      hosts.set(base, host);
    }
    return host;
  }

  const runtime: VendorRuntime<Operations, Paths> = {
    raw: definition.raw?.(definition, transport.connection) as RawClient<Paths>,
    // The definition's operations are the generated client's: `Operations` names them.
    operations: Object.fromEntries(operations) as unknown as VendorRuntime<Operations, Paths>['operations'],
    call: call as VendorRuntime<Operations, Paths>['call'],
    prepare: (definition.prepare?.(operations, request, redact) ?? {}) as Preparers<Operations>,
  };
  if (tokens) runtime.revokeToken = (init?: CallInit) => tokens.revoke(init);
  return runtime;
}

function checkOptions(
  definition: VendorDefinition,
  options: ClientOptions & { credentials: Readonly<Record<string, unknown>> },
) {
  // Credentials are checked per operation when it is called (a client may hold only what the
  // operations it calls need); here only that each one given is something a request can carry.
  const issues = Object.keys(definition.credentials)
    .filter((name) => options.credentials[name] !== undefined)
    .map((name) => ({ path: name, message: credentialProblem(options.credentials[name]) }))
    .filter((issue): issue is { path: string; message: string } => issue.message !== undefined);
  // Optional credentials come as a set (OAuth2 client ID and secret): half a set is a mistake.
  const optional = Object.keys(definition.credentials).filter((name) => definition.credentials[name]!.optional);
  if (optional.some((name) => options.credentials[name] !== undefined)) {
    for (const name of optional)
      if (options.credentials[name] === undefined)
        issues.push({ path: name, message: `is required with ${optional.filter((n) => n !== name).join(', ')}` });
  }
  if (options.server !== undefined && !definition.serverNames?.includes(options.server)) {
    const names = definition.serverNames ?? [];
    issues.push({
      path: 'server',
      message: names.length
        ? `must be one of ${names.map((n) => JSON.stringify(n)).join(', ')}`
        : 'is not supported by this vendor (it has one server)',
    });
  }
  if (options.baseUrl === undefined) {
    const templated = [
      ...definition.servers.slice(0, 1),
      ...Object.values(definition.operations).map((op) => op.servers?.[0]),
    ].find((url) => url?.includes('{'));
    if (templated)
      issues.push({
        path: 'baseUrl',
        message: `is required: the vendor's server (${templated}) is specific to your account`,
      });
  } else if (!httpUrl.test(options.baseUrl) || !URL.canParse(options.baseUrl)) {
    // Paths are appended to it: a query or fragment would swallow them, and a URL parser drops
    // or rewrites whitespace and control characters.
    issues.push({
      path: 'baseUrl',
      message: 'must be an http(s) URL without a query, fragment, space or control character',
    });
  }
  if (options.timeoutMs !== undefined && !(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
    issues.push({ path: 'timeoutMs', message: 'must be a positive number' });
  }
  if (options.maxReplyBytes !== undefined && !(Number.isInteger(options.maxReplyBytes) && options.maxReplyBytes > 0)) {
    issues.push({ path: 'maxReplyBytes', message: 'must be a positive integer' });
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    issues.push({ path: 'maxRetries', message: 'must be a non-negative integer' });
  }
  if (issues.length > 0) throw new ValidationError({ vendor: definition.vendor, issues });
}

// The client's own headers (credentials, body, reply form) and those of the connection: a
// caller's would be merged into them (`Bearer a, Bearer b`) or break the request.
const ownHeaders = /^(authorization|accept|content-.*|host|connection|keep-alive|upgrade|expect|transfer-encoding)$/i;

/** A call made without options: nothing to check. */
const noInit: CallInit = Object.freeze({ signal: undefined, headers: Object.freeze({}) });

/** The call's options as the transport takes them: the caller's extra headers checked, their names in lower case. */
function checkInit(init: CallInit, issues: ValidationIssue[]): CallInit {
  const { signal, headers: given = {} } = (init ?? {}) as { signal?: unknown; headers?: unknown };
  const headers: Record<string, string> = {};
  if (signal !== undefined && !(signal instanceof AbortSignal))
    issues.push({ path: 'signal', message: 'must be an AbortSignal' });
  if (given === null || typeof given !== 'object') issues.push({ path: 'headers', message: 'must be an object' });
  // A `Headers` or a list of pairs has no own properties to read.
  else
    for (const [name, value] of Symbol.iterator in given
      ? (given as Iterable<[string, unknown]>)
      : Object.entries(given)) {
      const path = `headers.${name}`;
      if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name)) issues.push({ path, message: 'is not a header name' });
      else if (ownHeaders.test(name)) issues.push({ path, message: 'is set by the client' });
      // A header carries bytes: visible ASCII, space, tab and Latin-1.
      else if (typeof value !== 'string' || /[^\t -~\x80-\xff]/.test(value))
        issues.push({ path, message: 'must be text without line breaks or control characters' });
      else headers[name.toLowerCase()] = value;
    }
  const checked: Traced = { signal: signal as AbortSignal | undefined, headers };
  // Kept for the attempts' `smswire:call` events (observe.ts); present only when a caller traces.
  const parent = (init as Traced)[parentEvent];
  if (parent) checked[parentEvent] = parent;
  return checked;
}

/** A call's options with the event of the traced call it belongs to (observe.ts). */
type Traced = CallInit & { [parentEvent]?: object | undefined };

// An http(s) URL with a host, and no query, fragment, space or control character.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const httpUrl = /^https?:\/\/[^/][^?#\s\0-\x1f\x7f]*$/;

// C0 controls, DEL and lone surrogates: no header, URL or form can carry them as given.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const unsendable = /[\0-\x1f\x7f\ud800-\udfff]/u;

function credentialProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return 'must be a non-empty string when given';
  if (unsendable.test(value)) return 'contains a control character or lone surrogate';
  return undefined;
}
