/**
 * `@smswire/core/code`: the bare-code reply codec (Dreams' `999`). An entry of its own, so that
 * only clients of vendors with such replies load it; their generated definitions hand
 * `codeCodec` to the client.
 */
import { decodeCode } from './codecs/code.js';
import type { ReplyCodec, ReplyDefinition } from './vendor-definition.js';

export const codeCodec: ReplyCodec<Extract<ReplyDefinition, { codec: 'code' }>> = () => decodeCode;
