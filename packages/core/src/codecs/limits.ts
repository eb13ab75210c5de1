import type { ReplyContext } from '../vendor-definition.js';
import { defaultMaxReplyBytes, parseError } from './context.js';

/**
 * Decoding is synchronous and costs per tag, attribute or value more than per byte, so a reply
 * under the byte cap may hold at most one of each per this many bytes of it (and at least 64):
 * 16,384 tags at the default, 1,000 delivery reports' worth. `pnpm bench` times the densest
 * replies these allow. Attributes cost the most each, and no vendor's replies have any.
 */
export const bytesPer = { tag: 16, attribute: 1024, 'entity reference': 64, value: 16 } as const;

export const limitOf = (maxReplyBytes: number | undefined, kind: keyof typeof bytesPer) =>
  Math.max(64, Math.floor((maxReplyBytes ?? defaultMaxReplyBytes) / bytesPer[kind]));

/** Counts `marks` before parsing, text included, which can only err towards refusing. */
export function limitCount(
  ctx: ReplyContext,
  body: string,
  marks: readonly string[],
  kind: keyof typeof bytesPer,
): void {
  const max = limitOf(ctx.maxReplyBytes, kind);
  // Each mark is at least a character: a body no longer than the limit cannot exceed it.
  if (body.length <= max) return;
  let count = 0;
  for (const mark of marks) {
    for (let i = body.indexOf(mark); i !== -1; i = body.indexOf(mark, i + 1)) {
      if (++count > max)
        throw parseError(ctx, `more than ${max} ${kind}s; a larger maxReplyBytes option reads it`, body);
    }
  }
}
