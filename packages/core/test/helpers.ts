import type { CodeDefinition } from '../src/vendor-definition.js';
import { createRedactor } from '../src/redact.js';
import type { ReplyContext } from '../src/codecs/index.js';
import { xmlCodec } from '../src/xml-codec.js';

export function replyContext(codes: Record<string, CodeDefinition>, secrets: string[] = []): ReplyContext {
  return { vendor: 'acme', operation: 'send', codes, redact: createRedactor(secrets), xml: xmlCodec };
}

/** The outcome of a call that is expected to throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
