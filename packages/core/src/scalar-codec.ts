/**
 * `@smswire/core/scalar`: the bare-number reply codec (DiniSoft's balance). An entry of its own,
 * so that only clients of vendors with such replies load it; their generated definitions hand
 * `scalarCodec` to the client.
 */
import { decodeScalar } from './codecs/scalar.js';
import type { ReplyCodec, ReplyDefinition } from './vendor-definition.js';

export const scalarCodec: ReplyCodec<Extract<ReplyDefinition, { codec: 'scalar' }>> = (reply) => (body, ctx) =>
  decodeScalar(body, ctx, reply.negative);
