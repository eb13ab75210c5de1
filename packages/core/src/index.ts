/**
 * `@smswire/core`: what users of the vendor packages meet — the error classes, the client
 * options, per-call options and the result types of generated methods. What generated clients
 * and `@smswire/sms` build on is in `@smswire/core/internal`, which may change in any release.
 */
export type { Accepted, CodeResult, PipeResult } from './codecs/index.js';
export type { ClientOptions, OAuthControls } from './client.js';
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
export type { CallEvent, Logger } from './observe.js';
export type { PreparedRequest, PrepareInit, Preparers } from './prepare.js';
export type { CallInit, FetchLike, RawClient } from './transport.js';
