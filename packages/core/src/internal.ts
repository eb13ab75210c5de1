/**
 * `@smswire/core/internal`: the runtime generated vendor clients and `@smswire/sms` are built
 * on — the definition tables, the client factory, codecs, validation, redaction and retry
 * helpers. Not a public API: it changes with the generator, in any release, without a major
 * version. Users import from `@smswire/core` or a vendor package.
 */
export { createVendorClient, withInternals } from './client.js';
export type { ClientInternals } from './client.js';
export { decodeCode, decodeJson, decodePipe, decodeReply, decodeScalar, replyDecoder } from './codecs/index.js';
export type { ReplyContext } from './codecs/index.js';
export { createTokenManager } from './oauth.js';
export type { TokenManager } from './oauth.js';
export { createRedactor, minScanned, redacted } from './redact.js';
export type { Redactor } from './redact.js';
export { encodeRequest, requestEncoder } from './request.js';
export { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelay } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { argumentReader, checkSchema, validateParams } from './validate.js';
export type {
  CodeDefinition,
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
  ParamEncoding,
  ParamSchema,
  ReplyDefinition,
  RequiredIf,
  VendorDefinition,
  XmlCodec,
  XmlDefect,
  XmlProperty,
  XmlShape,
} from './vendor-definition.js';
