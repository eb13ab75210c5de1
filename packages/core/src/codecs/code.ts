import type { ReplyContext } from '../vendor-definition.js';
import { describeCode, readCode, vendorError } from './context.js';

/** A reply that is nothing but a code, and what the catalog says it means. */
export interface CodeResult {
  code: string;
  description: string;
}

/**
 * A bare code as the whole body (Dreams: `999`, `-110`). Dreams documents its send success as
 * `Result: Success`, so a leading `Result:` is dropped. A code outside the catalog is an error.
 */
export function decodeCode(body: string, ctx: ReplyContext): CodeResult {
  const code = readCode(ctx, body.trim().replace(/^Result:\s*/i, ''), body, 'expected a bare reply code');
  const definition = describeCode(ctx, code);
  if (definition.outcome !== 'success') throw vendorError(ctx, code);
  return { code, description: definition.description };
}

/** When a reply is a bare catalog code rather than the expected format, the code decides. */
export function bareCode(body: string, ctx: ReplyContext): string | undefined {
  const code = body.trim();
  return Object.hasOwn(ctx.codes, code) ? code : undefined;
}
