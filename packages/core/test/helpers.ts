import type {
  CodeDefinition,
  OperationDefinition,
  ParamDefinition,
  ReplyDefinition,
  RequiredIf,
  VendorDefinition,
} from '../src/vendor-definition.js';
import { createRedactor } from '../src/redact.js';
import { replyDecoder, type ReplyContext } from '../src/codecs/index.js';
import type { ValidationIssue } from '../src/errors.js';
import { requestEncoder } from '../src/request.js';
import { argumentReader } from '../src/validate.js';
import { xmlCodec } from '../src/xml-codec.js';
import { jsonCodec } from '../src/json-codec.js';
import { pipeCodec } from '../src/pipe-codec.js';
import { codeCodec } from '../src/code-codec.js';
import { scalarCodec } from '../src/scalar-codec.js';
import { dates } from '../src/dates.js';
import { oauth } from '../src/oauth.js';
import { prepare } from '../src/prepare.js';
import { raw } from '../src/raw.js';

/**
 * A hand-written definition with every part a generated one may hand in (codecs, dates, OAuth2,
 * `raw` and `prepare`),
 * so core's tables can be tested without saying which parts each table needs.
 */
export function withParts(definition: VendorDefinition): VendorDefinition {
  return { xmlCodec, jsonCodec, codeCodec, pipeCodec, scalarCodec, dates, oauth, raw, prepare, ...definition };
}

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

// One call's worth of what a client makes once per operation: the tests go through the same
// reader, encoder and decoder the client uses.

/** The problems of `args` for a parameter table, as the operation's argument reader finds them. */
export function validateParams(
  params: Readonly<Record<string, ParamDefinition>>,
  args: unknown,
  dependentRequired?: Readonly<Record<string, readonly string[]>>,
  requiredIf?: RequiredIf,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  argumentReader({ params, dependentRequired, requiredIf }, dates)(args, issues);
  return issues;
}

/** One operation's request for these arguments, by the operation's request encoder. */
export function encodeRequest(
  definition: VendorDefinition,
  op: OperationDefinition,
  params: Readonly<Record<string, unknown>>,
  credentials: Readonly<Record<string, string | undefined>>,
) {
  return requestEncoder(withParts(definition), op)(params, credentials);
}

/** A reply body decoded by the operation's reply decoder. */
export function decodeReply(
  body: string,
  reply: ReplyDefinition,
  ctx: ReplyContext,
  params?: Readonly<Record<string, unknown>>,
): unknown {
  return replyDecoder(reply, withParts({ vendor: 'acme', servers: [], credentials: {}, operations: {} }))(
    body,
    ctx,
    params,
  );
}
