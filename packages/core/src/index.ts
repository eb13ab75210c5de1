export { createVendorClient } from './client.js';
export type { ClientInternals, ClientOptions } from './client.js';
export type { CallInit, FetchLike, RawClient } from './transport.js';
export type {
  CodeDefinition,
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
  ParamSchema,
  ReplyDefinition,
  VendorDefinition,
} from './definition.js';
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
export { decodeJson, decodePipe, decodeReply, decodeScalar } from './codecs/index.js';
export type { Accepted, PipeResult, ReplyContext } from './codecs/index.js';
export { createRedactor } from './redact.js';
export type { Redactor } from './redact.js';
export { defaultRetryPolicy, isRetryable, parseRetryAfter, retryDelay } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { checkSchema, supportedKeywords, validateParams } from './validate.js';
