import type { CodeDefinition, XmlDefect } from '../../packages/core/src/vendor-definition.js';

/**
 * The spec as the generator reads it: parsed once (parse.ts) from the YAML, every `$ref`
 * followed, every value the generator reads checked for its JSON type, and the `x-smswire-*`
 * extensions (docs/ARCHITECTURE.md, "The `x-smswire-*` extensions") typed beside the
 * OpenAPI fields they extend.
 * What depends on context (an encoding a query parameter cannot take, a parameter an extension
 * names) the transforms check, since the message names the operation and parameter.
 */
export interface Spec {
  title: string;
  servers: Server[];
  security?: SecurityRequirement[];
  securitySchemes: Record<string, SecurityScheme>;
  operations: Operation[];
  /** `x-smswire-codes`: the vendor's one table, which every operation knows. */
  codes: Catalog;
  /** `x-smswire-time-zone`: the IANA zone zoned Date encodings are written in. */
  timeZone?: string;
  /** `x-smswire-xml-any-root`: the document never names its XML replies' root element. */
  xmlAnyRoot?: true;
  /** `x-smswire-xml-error-root`: the root an error reply may come under instead of the command's. */
  xmlErrorRoot?: string;
  /** `x-smswire-client`: the prefix of the client's type names when not the vendor id's. */
  clientName?: string;
}

export type Catalog = Record<string, CodeDefinition>;

/** Scheme name → scopes; OpenAPI's security requirement object. */
export type SecurityRequirement = Record<string, string[]>;

export interface Server {
  url: string;
  description?: string;
  /** `x-smswire-server`: the name the `server` option picks. */
  name?: string;
}

export interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
  description?: string;
  /** `x-smswire-credential`: the `createClient` option that supplies it. */
  credential?: string;
}

export interface Operation {
  id: string;
  path: string;
  method: 'get' | 'post';
  /** `GET /path`, for messages. */
  where: string;
  summary?: string;
  description?: string;
  /** The path item's parameters, then the operation's. */
  parameters: Parameter[];
  requestBody?: RequestBody;
  /** By status code, as written. */
  responses: Record<string, Response>;
  security?: SecurityRequirement[];
  servers?: Server[];
  /** `x-smswire-kind`: the retry class; a `send` is a write that sends messages. */
  kind: 'read' | 'write' | 'send';
  /** `x-smswire-message-id`: where the success result keeps the message ID, or `none`. */
  messageId?: string;
  /** `x-smswire-reply`: the reply codec and where the vendor's code is. */
  reply?: ReplyExtension;
  /** `x-smswire-codes`: codes the operation adds to the vendor's or gives its own meaning. */
  codes: Catalog;
  /** `x-smswire-oauth`: one of the vendor's OAuth2 endpoints. */
  oauth?: 'token' | 'refresh' | 'revoke';
  /** `x-smswire-secret-reply`: the reply carries a secret the client has not seen. */
  secretReply?: true;
  /** `x-smswire-reply-budget`: the most bytes its reply may have. */
  replyBudget?: number;
  /** `x-smswire-wait`: the parameter, in seconds, the vendor waits before it replies. */
  wait?: string;
  /** `x-smswire-xml-tolerate`: documented reply defects it reads instead of refusing. */
  tolerate?: XmlDefect[];
}

export interface ReplyExtension {
  codec: 'json' | 'xml' | 'code' | 'pipe' | 'scalar';
  status?: string;
  statusOptional?: boolean;
  xmlWhen?: Record<string, string>;
  negative?: 'code';
}

/** How a query parameter or form field is written (`x-smswire-encode` and the keys beside it). */
export interface Encoding {
  /** `x-smswire-encode`. */
  encode?: string;
  /** `x-smswire-encode-when`: the encoding applies only when these parameters have one of the values. */
  encodeWhen?: Record<string, (string | number | boolean)[]>;
  /** `x-smswire-encode-max-length`: most UTF-16 code units while `ucs2-hex` applies. */
  encodeMaxLength?: number;
}

export interface Parameter extends Encoding {
  name: string;
  in: string;
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: Schema;
  example?: unknown;
}

export interface RequestBody {
  content: Record<string, MediaType>;
}

export interface Response {
  content?: Record<string, MediaType>;
}

export interface MediaType {
  schema?: Schema;
  /** Example name → its value (any JSON, or the text of a reply). */
  examples: Record<string, unknown>;
  /** Form encoding of each property: `explode: false` is a comma-joined list. */
  encoding: Record<string, { explode?: boolean }>;
}

/**
 * A JSON Schema node. `keywords` lists every keyword as written, in the spec's order (the
 * runtime tables keep it, and a keyword the client would not check is refused by name); the
 * keywords the generator reads are typed fields. A `$ref` keeps its text (`ref`, which names a
 * component) and the schema it points at (`target`).
 */
export interface Schema extends Encoding {
  keywords: string[];
  /** A boolean schema (`true` or `false`) rather than an object. */
  boolean?: boolean;
  ref?: string;
  target?: Schema;
  type?: string | string[];
  enum?: (string | number | boolean)[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  description?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  additionalProperties?: boolean | Schema;
  dependentRequired?: Record<string, string[]>;
  /** `if` (a `then` field would make every schema a thenable). */
  ifSchema?: Schema;
  /** `then`. */
  thenSchema?: Schema;
  contentMediaType?: string;
  contentSchema?: Schema;
  xml?: Xml;
  /** `x-smswire-credential`: the `createClient` option a body property carries. */
  credential?: string;
  /** `x-smswire-credential-unless`: sent only when the call gives none of these fields. */
  credentialUnless?: string[];
  /** `x-smswire-decode`: a JSON reply property decoded to a Date. */
  decode?: string;
}

export interface Xml {
  name?: string;
  attribute?: boolean;
  wrapped?: boolean;
  /** `x-smswire-text`: the property is its parent element's text. */
  text?: true;
  /** `x-smswire-any-name`: an item repeated in place takes every unclaimed child. */
  anyName?: true;
}

/** A JSON scalar other than null: what an enum, a const or an `x-smswire-encode-when` value may be. */
export const isScalar = (value: unknown): value is string | number | boolean =>
  ['string', 'number', 'boolean'].includes(typeof value);

/** The schema a `$ref` (or a chain of them) points at; the schema itself when it is none. */
export function deref(schema: Schema): Schema {
  return schema.target ? deref(schema.target) : schema;
}

/** A schema with `$ref` resolved and `allOf` members merged (properties and required lists). */
export function merged(schema: Schema): Schema {
  // OpenAPI 3.1 allows keywords beside a `$ref` (e.g. `xml`); they apply on top of the target.
  if (schema.target && schema.keywords.length > 1) {
    const { ref: _ref, target, keywords, ...siblings } = schema;
    const base = merged(target);
    const own = keywords.filter((k) => k !== '$ref');
    return { ...base, ...siblings, keywords: [...new Set([...base.keywords, ...own])] };
  }
  const resolved = deref(schema);
  if (!resolved.allOf) return resolved;
  const { allOf, ...rest } = resolved;
  const out = {
    ...rest,
    keywords: [...new Set([...rest.keywords.filter((k) => k !== 'allOf'), 'properties', 'required'])],
    properties: { ...rest.properties },
    required: [...(rest.required ?? [])],
  };
  for (const part of allOf) {
    const member = merged(part);
    if (out.type === undefined && member.type !== undefined) out.type = member.type;
    if (out.xml === undefined && member.xml !== undefined) out.xml = member.xml;
    Object.assign(out.properties, member.properties);
    out.required.push(...(member.required ?? []));
  }
  return out;
}

/** The name of the `#/components/schemas/<name>` a schema is exactly a reference to. */
export function componentName(schema: Schema | undefined): string | undefined {
  const ref = schema?.ref;
  if (ref === undefined || schema!.keywords.length > 1 || !ref.startsWith('#/components/schemas/')) return undefined;
  const name = ref.slice('#/components/schemas/'.length);
  return name.includes('/') ? undefined : name;
}
