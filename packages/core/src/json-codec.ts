/**
 * `@smswire/core/json`: the JSON reply codec (its shapes and field conversions). An entry of its
 * own, so that clients of vendors without JSON replies never load it; generated definitions of
 * vendors with JSON replies hand `jsonCodec` to the client.
 */
import { jsonDecoder } from './codecs/json.js';
import type { ReplyCodec, ReplyDefinition } from './vendor-definition.js';

export const jsonCodec: ReplyCodec<Extract<ReplyDefinition, { codec: 'json' }>> = jsonDecoder;
