import { parseError, type ReplyContext } from './context.js';

const decimal = /^-?[0-9]+(\.[0-9]+)?$/;

/** A bare decimal number in plain text (DiniSoft's balance: `10.000000`). */
export function decodeScalar(body: string, ctx: ReplyContext): number {
  const text = body.trim();
  if (!decimal.test(text) || text.length > 64) throw parseError(ctx, 'expected a decimal number', body);
  return Number(text);
}
