import type { ReplyDefinition, ReplyContext, ReplyDecoder, VendorDefinition } from '../vendor-definition.js';
import { bareCode, decodeCode } from './code.js';
import { checkEnvelope, jsonMediaType } from './envelope.js';
import { decodeScalar } from './scalar.js';
import { firstElement, parseError, vendorError, xmlCodec } from './context.js';

export type { ReplyContext, ReplyDecoder } from '../vendor-definition.js';
export { decodeCode, decodeScalar };
export type { CodeResult } from './code.js';
export type { Accepted, PipeResult } from './pipe.js';

/**
 * An operation's decoder, chosen once per client rather than switched on per reply. JSON and
 * pipe replies are decoded by the codec the definition hands in (`jsonCodec`, `pipeCodec`).
 */
export function replyDecoder(reply: ReplyDefinition, definition: VendorDefinition): ReplyDecoder {
  switch (reply.codec) {
    case 'json':
      return definition.jsonCodec?.(reply) ?? missing('JSON');
    case 'xml':
      return (body, ctx) => decodeXml(body, reply, ctx);
    case 'code':
      return decodeCode;
    case 'pipe':
      return definition.pipeCodec?.(reply) ?? missing('pipe');
    case 'scalar':
      return (body, ctx) => decodeScalar(body, ctx, reply.negative);
  }
}

/** The media type to ask for, where the codec reads one form (XML) or the request picks one of two. */
export function replyMediaType(reply: ReplyDefinition, params: Readonly<Record<string, unknown>>): string | undefined {
  if (reply.codec === 'xml') return 'application/xml';
  return reply.codec === 'json' ? jsonMediaType(reply, params) : undefined;
}

/** A definition without the codec its reply needs is a generator bug: a ParseError rather than a crash, as for XML. */
function missing(codec: string): ReplyDecoder {
  return (body, ctx) => {
    throw parseError(ctx, `a ${codec} reply, but the client has no ${codec} codec`, body);
  };
}

/** An XML reply; with a status element it is an envelope, without one a bare catalog code is an error reply. */
function decodeXml(body: string, reply: Extract<ReplyDefinition, { codec: 'xml' }>, ctx: ReplyContext): unknown {
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
