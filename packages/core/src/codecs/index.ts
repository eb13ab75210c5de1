import type { ReplyDefinition, ReplyContext } from '../vendor-definition.js';
import { bareCode, decodeCode } from './code.js';
import { checkEnvelope, decodeJson, jsonDecoder, jsonMediaType } from './json.js';
import { decodePipe } from './pipe.js';
import { decodeScalar } from './scalar.js';
import { vendorError, xmlCodec } from './context.js';

export type { ReplyContext } from '../vendor-definition.js';
export { decodeCode, decodeJson, decodePipe, decodeScalar };
export type { CodeResult } from './code.js';
export type { Accepted, PipeResult } from './pipe.js';

export type ReplyDecoder = (body: string, ctx: ReplyContext, params?: Readonly<Record<string, unknown>>) => unknown;

/** An operation's decoder, chosen once per client rather than switched on per reply. */
export function replyDecoder(reply: ReplyDefinition): ReplyDecoder {
  switch (reply.codec) {
    case 'json':
      return jsonDecoder(reply);
    case 'xml':
      return (body, ctx) => decodeXml(body, reply, ctx);
    case 'code':
      return decodeCode;
    case 'pipe':
      return decodePipe;
    case 'scalar':
      return (body, ctx) => decodeScalar(body, ctx, reply.negative);
  }
}

/** The media type to ask for, where the codec reads one form (XML) or the request picks one of two. */
export function replyMediaType(reply: ReplyDefinition, params: Readonly<Record<string, unknown>>): string | undefined {
  if (reply.codec === 'xml') return 'application/xml';
  return reply.codec === 'json' ? jsonMediaType(reply, params) : undefined;
}

/** An XML reply; with a status element it is an envelope, without one a bare catalog code is an error reply. */
function decodeXml(body: string, reply: Extract<ReplyDefinition, { codec: 'xml' }>, ctx: ReplyContext): unknown {
  if (reply.status === undefined) {
    const code = bareCode(body, ctx);
    if (code !== undefined) throw vendorError(ctx, code);
  }
  const xml = xmlCodec(ctx, body);
  const value = xml.shape(xml.parse(body, ctx, reply.tolerate, reply.root), reply.shape, ctx, body);
  return reply.status === undefined
    ? value
    : checkEnvelope(value as Record<string, unknown>, { status: reply.status }, ctx, body);
}
