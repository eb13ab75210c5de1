/**
 * `@smswire/core/pipe`: the pipe-entry reply codec (`<code>|<destination>|<message_id>`). An
 * entry of its own, so that only clients of vendors with such replies load it; their generated
 * definitions hand `pipeCodec` to the client.
 */
import { decodePipe } from './codecs/pipe.js';
import type { ReplyCodec, ReplyDefinition } from './vendor-definition.js';

export const pipeCodec: ReplyCodec<Extract<ReplyDefinition, { codec: 'pipe' }>> = () => decodePipe;
