/**
 * Every failure smswire throws extends `SmswireError`. Errors never hold a request, a URL or a
 * raw upstream error: DiniSoft and Unified put credentials in the query string, so anything
 * that could carry the URL is reduced to redacted text before it is stored.
 */
export interface ErrorContext {
  vendor: string;
  operation?: string | undefined;
}

function where(context: ErrorContext): string {
  return context.operation ? `${context.vendor} ${context.operation}` : context.vendor;
}

/**
 * Each class's kind under a global symbol: an application can end up with two installed copies
 * of core (two vendor packages resolving different versions), and `instanceof VendorError` must
 * hold for errors of either copy.
 */
const kind = Symbol.for('@smswire/core:error-kind');

export class SmswireError extends Error {
  static readonly [kind]: string = 'SmswireError';

  /** `instanceof` by class, or by kind for an error from another copy of core. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    // A subclass declared outside core has no kind of its own: only its own classes match it.
    if (!Object.hasOwn(this, kind)) return false;
    const wanted = (this as unknown as Record<symbol, string>)[kind];
    for (
      let proto = typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : null;
      proto;
      proto = Object.getPrototypeOf(proto)
    ) {
      const ctor = (proto as { constructor?: unknown }).constructor as Record<symbol, unknown> | undefined;
      if (ctor && Object.hasOwn(ctor, kind) && ctor[kind] === wanted) return true;
    }
    return false;
  }

  override name = 'SmswireError';
  readonly vendor: string;
  readonly operation: string | undefined;

  constructor(message: string, context: ErrorContext) {
    super(message);
    this.vendor = context.vendor;
    this.operation = context.operation;
  }

  /** Own enumerable fields only; `JSON.stringify(err)` then shows what `util.inspect` shows. */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), name: this.name, message: this.message };
  }
}

/** One destination the vendor refused inside a reply that may also hold accepted ones. */
export interface Rejection {
  destination?: string | undefined;
  code: string;
  description: string;
  retryable: boolean;
}

/** The vendor answered and said no. `code` is exactly what the vendor sent. */
export class VendorError extends SmswireError {
  static override readonly [kind]: string = 'VendorError';
  override name = 'VendorError';
  readonly code: string;
  readonly description: string;
  readonly retryable: boolean;
  /** Per-destination refusals when the reply lists several (pipe replies). */
  readonly rejected: readonly Rejection[];

  constructor(
    context: ErrorContext & { code: string; description: string; retryable: boolean; rejected?: readonly Rejection[] },
  ) {
    super(`${where(context)} failed with code ${context.code}: ${context.description}`, context);
    this.code = context.code;
    this.description = context.description;
    this.retryable = context.retryable;
    this.rejected = context.rejected ?? [];
  }
}

/** Thrown before anything is sent when the call's arguments or options break the spec. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export class ValidationError extends SmswireError {
  static override readonly [kind]: string = 'ValidationError';
  override name = 'ValidationError';
  readonly issues: readonly ValidationIssue[];

  constructor(context: ErrorContext & { issues: readonly ValidationIssue[] }) {
    super(
      `invalid ${context.operation ?? 'client'} request: ${context.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      context,
    );
    this.issues = context.issues;
  }
}

/** The reply arrived but is not what the spec says it should be. `body` is a redacted excerpt. */
export class ParseError extends SmswireError {
  static override readonly [kind]: string = 'ParseError';
  override name = 'ParseError';
  readonly body: string;

  constructor(context: ErrorContext & { reason: string; body: string }) {
    super(`could not decode the ${where(context)} reply: ${context.reason}`, context);
    this.body = context.body.length > 200 ? `${context.body.slice(0, 200)}…` : context.body;
  }
}

/**
 * The request may or may not have reached the vendor (`sent` says which we know):
 * connection refused is `false`, a reset after writing is `'unknown'`.
 */
export class TransportError extends SmswireError {
  static override readonly [kind]: string = 'TransportError';
  override name = 'TransportError';
  readonly code: string | undefined;
  readonly sent: false | 'unknown';

  constructor(context: ErrorContext & { reason: string; code?: string | undefined; sent: false | 'unknown' }) {
    super(`${where(context)} request failed: ${context.reason}`, context);
    this.code = context.code;
    this.sent = context.sent;
  }
}

export class TimeoutError extends SmswireError {
  static override readonly [kind]: string = 'TimeoutError';
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(context: ErrorContext & { timeoutMs: number }) {
    super(`${where(context)} got no complete reply within ${context.timeoutMs} ms`, context);
    this.timeoutMs = context.timeoutMs;
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends SmswireError {
  static override readonly [kind]: string = 'AbortError';
  override name = 'AbortError';

  constructor(context: ErrorContext) {
    super(`${where(context)} was aborted by the caller`, context);
  }
}

/** A non-2xx HTTP status. These APIs report their own failures with HTTP 200, so this is the gateway or server. */
export class HttpError extends SmswireError {
  static override readonly [kind]: string = 'HttpError';
  override name = 'HttpError';
  readonly status: number;
  /** Milliseconds the server asked us to wait, from `Retry-After`. */
  readonly retryAfterMs: number | undefined;
  readonly body: string;

  constructor(context: ErrorContext & { status: number; retryAfterMs?: number | undefined; body: string }) {
    super(`${where(context)} answered HTTP ${context.status}`, context);
    this.status = context.status;
    this.retryAfterMs = context.retryAfterMs;
    this.body = context.body.length > 200 ? `${context.body.slice(0, 200)}…` : context.body;
  }
}
