import type { ReplyDefinition, ReplyDecoder, VendorDefinition } from '../vendor-definition.js';
import { jsonMediaType } from './media-type.js';
import { parseError } from './context.js';

export type { ReplyContext, ReplyDecoder } from '../vendor-definition.js';
export type { CodeResult } from './code.js';
export type { Accepted, PipeResult } from './pipe.js';

/**
 * An operation's decoder, chosen once per client rather than switched on per reply, by the
 * codec for its form the definition hands in (`jsonCodec`, `xmlCodec`, `codeCodec`, `pipeCodec`,
 * `scalarCodec`), each from an entry of its own.
 */
export function replyDecoder(reply: ReplyDefinition, definition: VendorDefinition): ReplyDecoder {
  switch (reply.codec) {
    case 'json':
      return definition.jsonCodec?.(reply) ?? missing('a JSON reply');
    case 'xml':
      return definition.xmlCodec?.decoder(reply) ?? missing('an XML reply');
    case 'code':
      return definition.codeCodec?.(reply) ?? missing('a bare code');
    case 'pipe':
      return definition.pipeCodec?.(reply) ?? missing('a pipe reply');
    case 'scalar':
      return definition.scalarCodec?.(reply) ?? missing('a bare number');
  }
}

/** The media type to ask for, where the codec reads one form (XML) or the request picks one of two. */
export function replyMediaType(reply: ReplyDefinition, params: Readonly<Record<string, unknown>>): string | undefined {
  if (reply.codec === 'xml') return 'application/xml';
  return reply.codec === 'json' ? jsonMediaType(reply, params) : undefined;
}

/** A definition without the codec its reply needs is a generator bug: a ParseError rather than a crash, as for XML. */
function missing(reply: string): ReplyDecoder {
  return (body, ctx) => {
    throw parseError(ctx, `${reply}, but the client has no codec for it`, body);
  };
}
