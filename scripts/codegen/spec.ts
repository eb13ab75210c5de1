import type {
  OpenAPI3,
  OperationObject,
  ParameterObject,
  PathItemObject,
  ReferenceObject,
  SecuritySchemeObject,
  ServerObject,
} from 'openapi-typescript';

/**
 * Every `x-smswire-*` extension, as the extension table of docs/ARCHITECTURE.md describes it.
 * The types say what a spec should hold; the spec is YAML someone wrote, so the generator still
 * checks every value and refuses one it cannot honour.
 */
export interface SmswireExtensions {
  /** Operation: the retry class; `write` is anything not safe to repeat, `send` a write that sends messages. */
  'x-smswire-kind': 'read' | 'write' | 'send';
  /** Operation (every send): where its success result keeps the message ID, or `none`. */
  'x-smswire-message-id': string;
  /** Operation: the reply codec and where the vendor's code is. */
  'x-smswire-reply': ReplyExtension;
  /** Spec root (the vendor's one table) and operation (additions on top): code → meaning. */
  'x-smswire-codes': Record<string, CodeExtension>;
  /** Security scheme or body property: the `createClient` option that supplies it. */
  'x-smswire-credential': string;
  /** Form-body credential property: sent (and needed) only when the call gives none of these fields. */
  'x-smswire-credential-unless': string[];
  /** Every server of the root and of an operation, or none: the name the `server` option picks. */
  'x-smswire-server': string;
  /** Operation: one of the vendor's OAuth2 endpoints. */
  'x-smswire-oauth': 'token' | 'refresh' | 'revoke';
  /** Operation: the reply carries a secret the client has not seen. */
  'x-smswire-secret-reply': true;
  /** Query parameter, form property or XML element (`msisdn` also inside JSON text): how it is written. */
  'x-smswire-encode':
    | 'unix-seconds'
    | 'dd/mm/yy hh:mm'
    | 'yyyy-mm-dd'
    | 'hh:mm'
    | 'msisdn'
    | 'json'
    | 'json-nested'
    | 'ucs2-hex';
  /** Beside a `ucs2-hex` encoding: it applies only when these parameters have one of the values. */
  'x-smswire-encode-when': Record<string, (string | number | boolean)[]>;
  /** Beside a `ucs2-hex` encoding: most UTF-16 code units while it applies. */
  'x-smswire-encode-max-length': number;
  /** Spec root: the IANA zone zoned Date encodings are written in. */
  'x-smswire-time-zone': string;
  /** Operation with the xml codec: documented reply defects it reads instead of refusing. */
  'x-smswire-xml-tolerate': ('unclosed-text' | 'rootless')[];
  /** Inside a property's `xml` object: the property is its parent element's text. */
  'x-smswire-text': true;
  /** Inside `items.xml` of a list repeated in place: every unclaimed child, whatever its name. */
  'x-smswire-any-name': true;
  /**
   * Spec root: the vendor's document never names the root element of its XML replies, so the
   * reply schemas' `xml.name` only spells the examples' root, and any single root is read.
   */
  'x-smswire-xml-any-root': true;
  /**
   * Operation: the most bytes its reply may have, for a list the vendor hands over whole
   * (sms365 `statusGet`); the client's `maxReplyBytes` applies where it is larger.
   */
  'x-smswire-reply-budget': number;
  /**
   * Spec root: the root element an error reply may come under instead of the command's own (SMS
   * Leads' generic `<sms>`); its code is read, and a success under it is refused.
   */
  'x-smswire-xml-error-root': string;
  /** Operation: the integer parameter, in seconds, the vendor waits before it replies; added to the call's deadline. */
  'x-smswire-wait': string;
  /** Spec root: the prefix of the generated client's type names when it is not the vendor id's (`SmsLeads`). */
  'x-smswire-client': string;
  /** JSON reply property: decoded to a Date. */
  'x-smswire-decode': 'epoch-ms';
}

export interface ReplyExtension {
  codec: 'json' | 'xml' | 'code' | 'pipe' | 'scalar';
  status?: string;
  statusOptional?: boolean;
  xmlWhen?: Record<string, string>;
  negative?: 'code';
}

export interface CodeExtension {
  outcome: 'success' | 'error';
  description: string;
  retryable?: boolean;
  /** Every error code's meaning for `@smswire/sms` (catalog.ts `codeReasons`). */
  reason?: string;
  /** The message may exist anyway: `@smswire/sms` reports `unknown`, never fails over. */
  mayExist?: true;
}

export type ExtensionName = keyof SmswireExtensions;

/** An OpenAPI object that may carry smswire's extensions. */
type Extended = object | undefined | null;

/** Reads one `x-smswire-*` extension of a spec object, typed by SmswireExtensions (undefined when absent). */
export function ext<K extends ExtensionName>(node: Extended, key: K): SmswireExtensions[K] | undefined {
  return (node as Partial<SmswireExtensions> | undefined | null)?.[key];
}

export type Spec = OpenAPI3;
export type Operation = OperationObject;
export type PathItem = PathItemObject;
export type Parameter = ParameterObject;
export type SecurityScheme = SecuritySchemeObject;
export type Server = ServerObject;
export type Ref = ReferenceObject;
/**
 * A JSON Schema node as the generator reads it: keyword by keyword, 3.1 keywords included
 * (`contentSchema`, `dependentRequired`, `if`/`then`) that openapi-typescript's `SchemaObject`
 * does not list. Its extensions are read through `ext`.
 */
// biome-ignore lint/suspicious/noExplicitAny: a JSON Schema node as parsed from YAML; the generator checks each keyword it reads
export type Schema = { [keyword: string]: any };

export class SpecError extends Error {
  override name = 'SpecError';
}

/** Follows a local `$ref` (and a chain of them) to its target. */
export function resolve<T extends object>(spec: object, node: T | Ref): T;
export function resolve(spec: object, node: unknown): Schema;
export function resolve(spec: object, node: unknown): unknown {
  const ref = (node as Ref | undefined)?.$ref;
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#/')) throw new SpecError(`only local $refs are supported: ${ref}`);
  let target: unknown = spec;
  for (const part of ref.slice(2).split('/'))
    target = (target as Schema | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (target === undefined) throw new SpecError(`unresolved $ref ${ref}`);
  return resolve(spec, target);
}

/** A schema with `$ref` resolved and `allOf` members merged (properties and required lists). */
export function merged(spec: Spec, raw: Schema): Schema {
  // OpenAPI 3.1 allows keywords beside a `$ref` (e.g. `xml`); they apply on top of the target.
  if (typeof raw?.$ref === 'string' && Object.keys(raw).length > 1) {
    const { $ref, ...siblings } = raw;
    return { ...merged(spec, { $ref }), ...siblings };
  }
  const schema = resolve(spec, raw);
  if (!schema.allOf) return schema;
  const out: Schema = {
    ...schema,
    allOf: undefined,
    properties: { ...schema.properties },
    required: [...(schema.required ?? [])],
  };
  for (const part of schema.allOf as Schema[]) {
    const member = merged(spec, part);
    out.type ??= member.type;
    out.xml ??= member.xml;
    Object.assign(out.properties, member.properties);
    out.required.push(...(member.required ?? []));
  }
  return out;
}

/** The name of the `#/components/schemas/<name>` a schema is exactly a reference to. */
export function componentName(raw: Schema | undefined): string | undefined {
  const ref = raw?.$ref;
  if (typeof ref !== 'string' || Object.keys(raw!).length > 1 || !ref.startsWith('#/components/schemas/'))
    return undefined;
  const name = ref.slice('#/components/schemas/'.length);
  return name.includes('/') ? undefined : name;
}

export function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new SpecError(`missing ${what}`);
  return value;
}

export const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export const formType = 'application/x-www-form-urlencoded';
export const xmlType = 'application/xml';
