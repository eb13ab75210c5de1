export { createVendorClient } from './client.js';
export type { ClientInternals, ClientOptions, OAuthControls } from './client.js';
export { createTokenManager } from './oauth.js';
export type { TokenManager } from './oauth.js';
export { encodeRequest } from './request.js';
export type { CallInit, FetchLike, RawClient } from './transport.js';
export type {
  CodeDefinition,
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
  ParamSchema,
  ParamEncoding,
  ReplyDefinition,
  RequiredIf,
  VendorDefinition,
  XmlCodec,
  XmlDefect,
  XmlProperty,
  XmlShape,
} from './vendor-definition.js';
export {
  AbortError,
  HttpError,
  ParseError,
  SmswireError,
  TimeoutError,
  TransportError,
  ValidationError,
  VendorError,
} from './errors.js';
export type { ErrorContext, Rejection, ValidationIssue } from './errors.js';
export { decodeCode, decodeJson, decodePipe, decodeReply, decodeScalar } from './codecs/index.js';
export type { Accepted, CodeResult, PipeResult, ReplyContext } from './codecs/index.js';
export { createRedactor } from './redact.js';
export type { Redactor } from './redact.js';
export { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelay } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { checkSchema, validateParams } from './validate.js';
