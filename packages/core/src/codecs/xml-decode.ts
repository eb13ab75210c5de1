import type { ReplyContext, ReplyDefinition } from '../vendor-definition.js';
import { bareCode } from './code.js';
import { parseError, vendorError, xmlCodec } from './context.js';
import { checkEnvelope } from './envelope.js';

/** An XML reply; with a status element it is an envelope, without one a bare catalog code is an error reply. */
export function decodeXml(body: string, reply: Extract<ReplyDefinition, { codec: 'xml' }>, ctx: ReplyContext): unknown {
  if (reply.status === undefined) {
    const code = bareCode(body, ctx);
    if (code !== undefined) throw vendorError(ctx, code);
  }
  const xml = xmlCodec(ctx, body);
  const value = xml.shape(xml.parse(body, ctx, reply.tolerate, reply.root, reply.errorRoot), reply.shape, ctx, body);
  if (reply.status === undefined) return value;
  // An error under the generic root is the vendor's code; a success there is not this command's reply.
  const result = checkEnvelope(value as Record<string, unknown>, { status: reply.status }, ctx, body);
  if (reply.errorRoot !== undefined && firstElement(body) === reply.errorRoot)
    throw parseError(ctx, `a success under <${reply.errorRoot}>, not <${reply.root}>`, body);
  return result;
}

/**
 * The name of the first element of a well-formed XML reply: its root, after any declaration and
 * comments.
 */
function firstElement(body: string): string | undefined {
  return /^\uFEFF?\s*(?:<\?[\s\S]*?\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}
