import { HttpError, type SmswireError } from './errors.js';

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
  if (given) return guarded(given);
  const from = levels.indexOf(node?.env?.SMSWIRE_LOG?.toLowerCase() as 'debug');
  if (from < 0) return undefined;
  const logger = {} as Record<string, (message: string) => void>;
  levels.forEach((level, i) => {
    logger[level] = i < from ? () => {} : (message) => console.error(`smswire ${level}: ${message}`);
  });
  return logger as unknown as Logger;
}

/**
 * The caller's logger, made unable to change a call's outcome: a log line that throws is dropped
 * (with one process warning), since a send the vendor accepted must not turn into a failure whose
 * message ID is lost because a logger broke.
 */
function guarded(given: Logger): Logger {
  const logger = {} as Record<string, (message: string) => void>;
  let warned = false;
  for (const level of levels)
    logger[level] = (message) => {
      try {
        given[level](message);
      } catch {
        if (!warned) (node as { emitWarning?: (text: string) => void })?.emitWarning?.('smswire: the logger threw');
        warned = true;
      }
    };
  return logger as unknown as Logger;
}

/** A plain channel of the runtime's `node:diagnostics_channel`. */
export interface Channel<M> {
  readonly hasSubscribers: boolean;
  publish(message: M): void;
}

/** A tracing channel of the runtime's `node:diagnostics_channel`: its five channels, which `traced` publishes on. */
export interface TracingChannel<C extends object> {
  readonly hasSubscribers: boolean;
  /** `runStores` publishes the message and runs the function inside any store a subscriber bound. */
  readonly start: Channel<C> & { runStores<T>(message: C, run: () => T): T };
  readonly end: Channel<C>;
  readonly asyncStart: Channel<C>;
  readonly asyncEnd: Channel<C>;
  readonly error: Channel<C>;
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
 * What `smswire:call` publishes about one attempt (one HTTP exchange), one object through its
 * events (`traced`): set at its start, then `status`, `outcome` and `durationMs` once it has
 * settled, before `error` or `asyncStart`. Never the arguments, the request or the reply.
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
  /** The failure, set before `error` is published. */
  error?: unknown;
  /**
   * The message of the call this attempt is part of, when that call published one: an
   * `sms.send`'s `smswire:send` event, the same object its subscribers receive. Links the two
   * without an AsyncLocalStorage.
   */
  parent?: object | undefined;
}

export const callChannel = tracingChannel<CallEvent>('smswire:call');

/**
 * Where a caller hands the attempts it makes the message it published about itself (`@smswire/sms`
 * its `smswire:send` event), which their `CallEvent`s carry as `parent`. In the `CallInit`, under
 * a registered symbol, so copies of core agree on it.
 */
export const parentEvent: unique symbol = Symbol.for('smswire.parentEvent') as never;

/**
 * `run` traced on `channel` in the order Node's `tracePromise` publishes: `start` (running `run`
 * inside any store a subscriber bound to it), `end` once `run` has returned, then `asyncStart`
 * and `asyncEnd` when its promise settles, `error` first when it fails (with `error` set on the
 * message); a synchronous throw publishes `error`, then `end`. Published on the channels
 * directly rather than through `tracePromise`, which sets `result` on the message: that would
 * hand every subscriber the caller's result (a send's number). Called only when the channel has
 * subscribers; a channel nobody subscribed to ignores its publishes.
 */
export function traced<C extends { error?: unknown }, T>(
  channel: TracingChannel<C>,
  message: C,
  run: () => Promise<T>,
): Promise<T> {
  let running: Promise<T>;
  try {
    running = channel.start.runStores(message, run);
  } catch (error) {
    message.error = error;
    channel.error.publish(message);
    channel.end.publish(message);
    throw error;
  }
  channel.end.publish(message);
  return running.then(
    (result) => {
      channel.asyncStart.publish(message);
      channel.asyncEnd.publish(message);
      return result;
    },
    (error: unknown) => {
      message.error = error;
      channel.error.publish(message);
      channel.asyncStart.publish(message);
      channel.asyncEnd.publish(message);
      throw error;
    },
  );
}

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
  return callChannel?.hasSubscribers ? traced(callChannel, event, attempt) : attempt();
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
