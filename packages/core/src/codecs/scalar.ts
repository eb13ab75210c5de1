import type { ReplyContext } from '../vendor-definition.js';
import { bareCode } from './code.js';
import { parseError, vendorError } from './context.js';

const decimal = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * A bare decimal number in plain text (DiniSoft's balance: `10.000000`). When the operation has
 * a catalog, a body that is one of its codes (Dreams' balance answers `-100`) is that code. With
 * `negative: 'code'` the value is never negative, so a negative number is a vendor code even
 * when the catalog does not list it (then an undocumented code, still an error).
 */
export function decodeScalar(body: string, ctx: ReplyContext, negative?: 'code'): number {
  const code = bareCode(body, ctx);
  if (code !== undefined) throw vendorError(ctx, code);
  const text = body.trim();
  if (!decimal.test(text) || text.length > 64) throw parseError(ctx, 'expected a decimal number', body);
  if (negative && text[0] === '-') throw vendorError(ctx, text);
  return Number(text);
}
