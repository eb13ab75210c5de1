import type { CodeDefinition } from '../definition.js';
import { ParseError, VendorError } from '../errors.js';
import type { Redactor } from '../redact.js';

/** What every reply codec needs: who is calling, the code catalog, and a way to fail safely. */
export interface ReplyContext {
  vendor: string;
  operation: string;
  codes: Readonly<Record<string, CodeDefinition>>;
  redact: Redactor;
}

export function parseError(ctx: ReplyContext, reason: string, body: string): ParseError {
  return new ParseError({ vendor: ctx.vendor, operation: ctx.operation, reason, body: ctx.redact(body) });
}

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
  return new VendorError({ vendor: ctx.vendor, operation: ctx.operation, code, description, retryable, ...extra });
}
