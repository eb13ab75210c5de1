/**
 * `@smswire/core/internal`: what our own packages share of core, and nothing more.
 * - Generated vendor clients: `createVendorRuntime` (what each generated method calls),
 *   `codeTable` (code tables without a prototype) and the definition table's types.
 * - `@smswire/sms`: the definition table's types (its adapters read a vendor's table), and the
 *   diagnostics channels' helpers (`tracingChannel`, `channel`, `traced`, `parentEvent`).
 * - `smswire`, the command: `createRedactor`, so what it prints is redacted as core's errors are,
 *   and `redacted`, the mask its dry run writes in place of each credential.
 * - Tests: `withInternals`, the seam for waiting, jitter and the token clock.
 *
 * Not a public API: it changes with the generator, in any release, without a major version.
 * Sharing it is safe because core, the vendor packages and `@smswire/sms` are released together
 * at one version (a changesets `fixed` group) and each of them takes core at exactly its own
 * version. Users import from `@smswire/core` or a vendor package.
 */
export { createVendorRuntime, withInternals } from './client.js';
export type { ClientInternals, OperationRecord, VendorRuntime } from './client.js';
export { createRedactor, redacted } from './redact.js';
export { channel, parentEvent, resolveLogger, traced, tracingChannel } from './observe.js';
export type { Channel, TracingChannel } from './observe.js';
export type { Redactor } from './redact.js';
export { codeTable } from './codecs/context.js';
export type {
  CodeDefinition,
  CodeReason,
  Connection,
  CredentialDefinition,
  DateCodec,
  OAuthSupport,
  OperationDefinition,
  PrepareSupport,
  RawSupport,
  ParamDefinition,
  ParamEncoding,
  ParamSchema,
  ReplyCodec,
  ReplyDecoder,
  ReplyDefinition,
  RequiredIf,
  VendorDefinition,
  XmlCodec,
  XmlDefect,
  XmlProperty,
  XmlShape,
} from './vendor-definition.js';
