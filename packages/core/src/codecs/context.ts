import type { CodeDefinition, ReplyContext, XmlCodec } from '../vendor-definition.js';
import { ParseError, VendorError } from '../errors.js';
import { withheldReply } from '../redact.js';

/** The XML codec; its absence is a generator bug, reported as a ParseError rather than a crash. */
export function xmlCodec(ctx: ReplyContext, body: string): XmlCodec {
  if (!ctx.xml) throw parseError(ctx, 'an XML reply, but the client has no XML codec', body);
  return ctx.xml;
}

/**
 * Both the reason and the body may quote the reply, which may echo the request: both are
 * redacted. A reply that carries a new secret cannot be redacted (the secret is not known until
 * the reply is read), so neither is shown.
 */
export function parseError(ctx: ReplyContext, reason: string, body: string): ParseError {
  if (ctx.secret) reason = body = withheldReply;
  // Redact before shortening, so a cut can never leave half a secret behind.
  const safe = ctx.redact(reason);
  const short = safe.length > 120 ? `${safe.slice(0, 120)}…` : safe;
  return new ParseError({ vendor: ctx.vendor, operation: ctx.operation, reason: short, body: ctx.redact(body) });
}

/**
 * A generated code table, without a prototype: the vendor's text is its key, and a code such as
 * `constructor` or `toString` must find nothing rather than what every object inherits.
 */
export const codeTable = <const T extends object>(entries: T): T => Object.assign(Object.create(null) as T, entries);

/** Catalog lookup; a code the vendor never documented is an error, never a silent success. */
export function describeCode(ctx: ReplyContext, code: string): CodeDefinition {
  return Object.hasOwn(ctx.codes, code)
    ? (ctx.codes[code] as CodeDefinition)
    : { outcome: 'error', description: `undocumented code ${code}` };
}

export function vendorError(
  ctx: ReplyContext,
  code: string,
  extra: Partial<Pick<VendorError, 'rejected' | 'retryable'>> = {},
): VendorError {
  const { description, retryable = false } = describeCode(ctx, code);
  // `code` passed readCode. The description is the catalog's public text, not redacted: that
  // would hide words that happen to spell a credential (a password of `password`).
  return new VendorError({ vendor: ctx.vendor, operation: ctx.operation, code, description, retryable, ...extra });
}

const number = /^[+-]?[0-9]{1,12}$/;
const word = /^[A-Za-z][A-Za-z_]{0,39}$/;

/** What a code looks like in every catalog: a number, or a word such as `invalid_client`. The generator holds every catalog to it. */
export const isCodeShaped = (code: string): boolean => number.test(code) || word.test(code);

/**
 * The vendor's code from where the reply keeps it (a status field or element, the whole body, a
 * pipe entry's first field). Anything else there (a sentence, often quoting the request back)
 * is not a code: it is a malformed reply, a ParseError with the body redacted, and never
 * becomes `VendorError.code`.
 */
export function readCode(ctx: ReplyContext, raw: string, body: string, reason: string): string {
  const code = raw.trim();
  if (Object.hasOwn(ctx.codes, code)) return code;
  // A word is a code only where the catalog has words (Dreams' `Success`); a slow path, as an
  // undocumented code is rare.
  const shaped = number.test(code) || (word.test(code) && Object.keys(ctx.codes).some((c) => word.test(c)));
  if (!shaped || ctx.redact(code) !== code) throw parseError(ctx, reason, body);
  return code;
}

/** What these vendors send fits in it (docs/ARCHITECTURE.md, step 4); `maxReplyBytes` raises it. */
export const defaultMaxReplyBytes = 256 * 1024;
