import type { OperationDefinition, VendorDefinition } from './definition.js';
import { AbortError, type SmswireError, ValidationError } from './errors.js';
import { createRedactor } from './redact.js';
import { defaultRetryPolicy, isRetryable, retryDelay, sleep, type RetryPolicy } from './retry.js';
import { createTransport, type CallInit, type FetchLike, type RawClient } from './transport.js';
import { validateParams } from './validate.js';

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
  /** A longer reply is abandoned with a ParseError. Default 8 MiB. */
  maxReplyBytes?: number;
}

/** Test seam: lets tests replace waiting and jitter without faking every timer. */
export interface ClientInternals {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  retryPolicy?: Partial<RetryPolicy>;
}

type Operation = (params?: Record<string, unknown>, init?: CallInit) => Promise<unknown>;

/**
 * Builds a vendor client from its generated definition: one method per operation, validated
 * arguments, credentials injected, replies decoded, failures typed, retries by policy.
 */
export function createVendorClient<Operations, Paths extends {}>(
  definition: VendorDefinition,
  options: ClientOptions & { credentials: Readonly<Record<string, string | undefined>> },
  internals: ClientInternals = {},
): Operations & { raw: RawClient<Paths> } {
  const { vendor } = definition;
  const redact = createRedactor(Object.values(options.credentials).filter((v): v is string => typeof v === 'string'));
  checkOptions(definition, options);
  const policy: RetryPolicy = {
    ...defaultRetryPolicy,
    ...internals.retryPolicy,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  };
  const wait = internals.sleep ?? sleep;
  const transport = createTransport<Paths>(definition, {
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? 30_000,
    maxReplyBytes: options.maxReplyBytes ?? 8 * 1024 * 1024,
    credentials: options.credentials as Record<string, string>,
    redact,
  });

  async function call(id: string, op: OperationDefinition, params: Record<string, unknown> = {}, init: CallInit = {}) {
    const issues = validateParams(op.params, params);
    if (issues.length > 0) throw new ValidationError({ vendor, operation: id, issues });
    for (let retry = 0; ; retry++) {
      try {
        return await transport.send(id, op, params, init);
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

  const client: Record<string, Operation | RawClient<Paths>> = { raw: transport.raw };
  for (const [id, op] of Object.entries(definition.operations)) {
    client[id] = (params, init) => call(id, op, params, init);
  }
  return client as Operations & { raw: RawClient<Paths> };
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
  if (options.maxReplyBytes !== undefined && !(Number.isInteger(options.maxReplyBytes) && options.maxReplyBytes > 0)) {
    issues.push({ path: 'maxReplyBytes', message: 'must be a positive integer' });
  }
  if (options.maxRetries !== undefined && !(Number.isInteger(options.maxRetries) && options.maxRetries >= 0)) {
    issues.push({ path: 'maxRetries', message: 'must be a non-negative integer' });
  }
  if (issues.length > 0) throw new ValidationError({ vendor: definition.vendor, issues });
}
