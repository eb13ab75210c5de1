import type { ReplyDefinition } from '../definition.js';
import type { ReplyContext } from './context.js';
import { decodeJson } from './json.js';
import { decodePipe } from './pipe.js';
import { decodeScalar } from './scalar.js';

export type { ReplyContext } from './context.js';
export { decodeJson, decodePipe, decodeScalar };
export type { Accepted, PipeResult } from './pipe.js';

export function decodeReply(body: string, reply: ReplyDefinition, ctx: ReplyContext): unknown {
  switch (reply.codec) {
    case 'json':
      return decodeJson(body, reply, ctx);
    case 'pipe':
      return decodePipe(body, ctx);
    case 'scalar':
      return decodeScalar(body, ctx);
  }
}
