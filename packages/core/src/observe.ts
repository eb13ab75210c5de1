import { HttpError, type SmswireError, VendorError } from './errors.js';
import { isRetryable } from './retry.js';

/** Where a client or `createSms` logs: anything with these four methods (console, pino, winston). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const levels = ['debug', 'info', 'warn', 'error'] as const;

// `globalThis.process`, not an import: core also runs where there is no Node.
const node = (
  globalThis as { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } }
).process;

/**
 * The logger given, or else, when `SMSWIRE_LOG` names a level (`debug`, `info`, `warn`), one that
 * writes that level and above to `console.error`; else none, and nothing is built to be logged.
 */
export function resolveLogger(given: Logger | undefined): Logger | undefined {
  const from = levels.indexOf(node?.env?.SMSWIRE_LOG?.toLowerCase() as 'debug');
  if (given || from < 0) return given;
  const logger = {} as Record<string, (message: string) => void>;
  levels.forEach((level, i) => {
    logger[level] = i < from ? () => {} : (message) => console.error(`smswire ${level}: ${message}`);
  });
  return logger as unknown as Logger;
}

/** A tracing channel of the runtime's `node:diagnostics_channel`, or none where it has none. */
export interface TracingChannel<C extends object> {
  readonly hasSubscribers: boolean;
  tracePromise<T>(fn: () => Promise<T>, context: C): Promise<T>;
}

/** A plain channel of the runtime's `node:diagnostics_channel`. */
export interface Channel<M> {
  readonly hasSubscribers: boolean;
  publish(message: M): void;
}

const dc = () =>
  node?.getBuiltinModule?.('node:diagnostics_channel') as
    | { tracingChannel(name: string): TracingChannel<object>; channel(name: string): Channel<unknown> }
    | undefined;

export function tracingChannel<C extends object>(name: string): TracingChannel<C> | undefined {
  return dc()?.tracingChannel(name) as TracingChannel<C> | undefined;
}

export function channel<M>(name: string): Channel<M> | undefined {
  return dc()?.channel(name) as Channel<M> | undefined;
}

/**
 * What `smswire:call` publishes about one attempt (one HTTP exchange): set at its start, then
 * `status`, `outcome` and `durationMs` before its end. Never the arguments, the request or the reply.
 */
export interface CallEvent {
  vendor: string;
  operation: string;
  kind: 'read' | 'write';
  /** 1 for the first attempt of a call. */
  attempt: number;
  method: 'GET' | 'POST';
  /** The server's host (and port), never its path or query. */
  server: string;
  status?: number | undefined;
  /** `success`, or what failed: `vendor`, `http`, `timeout`, `transport`, `parse`, `abort`. */
  outcome?: string | undefined;
  durationMs?: number | undefined;
  /** Set by the channel on a failure. */
  error?: unknown;
}

export const callChannel = tracingChannel<CallEvent>('smswire:call');

/**
 * One attempt, published on `smswire:call` when someone listens and logged when there is a
 * logger; the caller only comes here then, so neither costs anything otherwise.
 */
export function watch(
  event: CallEvent,
  send: (event: CallEvent) => Promise<unknown>,
  logger: Logger | undefined,
  redact: (text: string) => string,
): Promise<unknown> {
  const start = performance.now();
  // One `then`, not an async wrapper: each promise more is a cost every watched attempt pays.
  const attempt = () =>
    send(event).then(
      (result) => {
        event.outcome = 'success';
        settled(event, start, logger, redact);
        return result;
      },
      (error: SmswireError) => {
        event.outcome = error.name?.replace(/Error$/, '').toLowerCase();
        if (error instanceof HttpError) event.status = error.status;
        settled(event, start, logger, redact, error);
        throw error;
      },
    );
  return callChannel?.hasSubscribers ? callChannel.tracePromise(attempt, event) : attempt();
}

/** An attempt's end: its duration, and its log lines when there is a logger. */
function settled(
  event: CallEvent,
  start: number,
  logger: Logger | undefined,
  redact: (text: string) => string,
  failed?: Error,
) {
  event.durationMs = performance.now() - start;
  if (!logger) return;
  const { vendor, operation, attempt, status, outcome } = event;
  const line = `${vendor} ${operation} attempt ${attempt}: ${status ? `HTTP ${status}` : 'no reply'} in ${Math.round(event.durationMs)} ms, ${outcome}`;
  logger.debug(redact(failed ? `${line}: ${failed.message}` : line));
  if (status && status >= 300 && status < 400)
    logger.warn(redact(`${vendor} ${operation}: redirect refused (HTTP ${status}); redirects are never followed`));
  if (/maxReplyBytes/.test(failed?.message ?? ''))
    logger.warn(redact(`${vendor} ${operation}: reply over maxReplyBytes, abandoned`));
}

/** Why a failed attempt is not made again, in words for the log. */
export function declined(kind: 'read' | 'write', failure: SmswireError, retriesLeft: number): string {
  if (!isRetryable(kind, failure))
    return kind === 'write' && !(failure instanceof VendorError)
      ? 'a send is never retried after it may have left'
      : 'the failure is not one to retry';
  return retriesLeft === 0 ? 'no retries left' : "the server's Retry-After is longer than the policy allows";
}
