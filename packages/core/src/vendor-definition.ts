/**
 * The runtime description of a vendor API that `pnpm generate` derives from its spec. Core
 * knows nothing about any vendor; it only interprets these tables.
 */

/** The subset of JSON Schema the client validates parameters with (see validate.ts). */
export interface ParamSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  enum?: readonly (string | number | boolean)[];
  const?: string | number | boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  anyOf?: readonly ParamSchema[];
  items?: ParamSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Readonly<Record<string, ParamSchema>>;
  required?: readonly string[];
  additionalProperties?: false;
  description?: string;
  /**
   * A string rewritten before sending, at any depth: `msisdn` sends a phone number as its
   * digits, without a leading `+` or `00` and without separators (the value was validated as
   * the user wrote it).
   */
  encode?: 'msisdn';
}

/**
 * How a value is written on the wire besides plain text: `unix-seconds`, `dd/mm/yy hh:mm`,
 * `yyyy-mm-dd` and `hh:mm` also take a `Date` (the last three written in the parameter's
 * `timeZone`); `json` sends the value as JSON text (`json-nested` wraps each array item in its
 * own array, as Dreams' `sendsms_multi` documents); `csv` joins an array with commas (OpenAPI
 * `explode: false`); `ucs2-hex` writes text as its UTF-16 code units, big-endian, four
 * upper-case hex digits each (`Γ` is `0393`, an emoji two units), as bulk-HTTP gateways take
 * Unicode messages (Unified `type` 2 and 6). Phone numbers are rewritten by their schema
 * (`ParamSchema.encode`).
 */
export type ParamEncoding =
  | 'unix-seconds'
  | 'dd/mm/yy hh:mm'
  | 'yyyy-mm-dd'
  | 'hh:mm'
  | 'json'
  | 'json-nested'
  | 'csv'
  | 'ucs2-hex';

export interface ParamDefinition {
  /** `query` for GET operations, `form` for the fields of a POST form body, `xml` for the children of an XML body's root. */
  in: 'query' | 'form' | 'xml';
  required: boolean;
  schema: ParamSchema;
  encode?: ParamEncoding;
  /**
   * `encode` applies only when each named parameter has one of the listed values (Unified: `type`
   * 2 or 6); otherwise the value is sent as it is.
   */
  encodeWhen?: Readonly<Record<string, readonly (string | number | boolean)[]>>;
  /**
   * Most UTF-16 code units the value may have while `ucs2-hex` applies (each is sent as four hex
   * digits). Checked on the value as the caller passed it, so a character outside the BMP counts two.
   */
  encodeMaxLength?: number;
  /** IANA time zone a `dd/mm/yy hh:mm`, `yyyy-mm-dd` or `hh:mm` Date is written in. */
  timeZone?: string;
}

/** Why a call failed, in the vendor-neutral terms `@smswire/sms` reports (`SendError.reason`). */
export type CodeReason =
  | 'auth'
  | 'balance'
  | 'number'
  | 'content'
  | 'throttled'
  | 'vendorDown'
  | 'validation'
  | 'ambiguous';

export interface CodeDefinition {
  outcome: 'success' | 'error';
  description: string;
  retryable?: boolean;
  /** Every error code's meaning for the vendor-neutral layer; core itself does not read it. */
  reason?: CodeReason;
  /**
   * The message may exist anyway: the vendor failed internally, or its text leaves open whether
   * the message went out. `@smswire/sms` reports it as `unknown` and never sends it elsewhere.
   */
  mayExist?: true;
}

/**
 * A schema's shape: what a JSON reply is held to, and how an XML body or reply maps onto the
 * JSON shape of the spec's schema: which elements repeat (so a
 * single one is still a list), which properties are attributes, and which text is a number or a
 * boolean. The generator derives it from the schema's `xml` objects.
 */
export type XmlShape =
  | { type: 'string' | 'integer' | 'number' | 'boolean' }
  | { type: 'object'; props: Readonly<Record<string, XmlProperty>> }
  | { type: 'array'; items: XmlShape; item?: string };

export interface XmlProperty {
  /** Element (or attribute) name when it differs from the property name. */
  name?: string;
  attribute?: true;
  /** The property is the element's own text (`<phone id="a">0501234567</phone>`). */
  text?: true;
  /**
   * A list repeated in place whose element may have any name (Dreams' `<usersender>` never shows
   * its children's): every child element no other property claims, all of one name.
   */
  anyName?: true;
  shape: XmlShape;
}

/**
 * Defects of a vendor's XML replies the client reads anyway, because the vendor documents them:
 * `unclosed-text` is a closing tag written as a second opening tag (`<id>7<id>`); `rootless` is
 * a reply of sibling elements without a root (`<status>944</status><message>…</message>`).
 */
export type XmlDefect = 'unclosed-text' | 'rootless';

export type ReplyDefinition =
  | {
      codec: 'json';
      status: string;
      /** A reply without the status field is a success (OAuth2 token replies). */
      statusOptional?: true;
      decode?: Readonly<Record<string, 'epoch-ms'>>;
      /** The reply schema a success is held to (see json-shape.ts). */
      shape: XmlShape;
      /**
       * The same reply as XML when the request has these parameter values (sms365 `type=xml`);
       * its shape is `shape` unless the XML schema differs, and `root` its root element.
       */
      xml?: { when: Readonly<Record<string, string>>; shape?: XmlShape; root?: string };
    }
  /** `root`: the root element the schema names (`xml.name`); a reply with another root is a ParseError. */
  | {
      codec: 'xml';
      status?: string;
      shape: XmlShape;
      root?: string;
      /** Another root an error reply may come under (SMS Leads' generic `<sms>`); a success under it is a ParseError. */
      errorRoot?: string;
      tolerate?: readonly XmlDefect[];
    }
  | { codec: 'code' }
  | { codec: 'pipe' }
  /** `negative: 'code'`: the value is never negative, so a negative reply is a vendor code, documented or not. */
  | { codec: 'scalar'; negative?: 'code' };

export interface OperationDefinition {
  method: 'get' | 'post';
  path: string;
  /** `read` may be retried on any transient failure; `write` only when nothing can have been sent. */
  kind: 'read' | 'write';
  /** Operation-level servers, in the order of the vendor's `serverNames`; otherwise the vendor's. */
  servers?: readonly string[];
  /** Client option names of the credentials this operation sends. */
  security: readonly string[];
  /**
   * Credentials sent (and needed) only when none of the listed parameters is given: the
   * parameters identify the account instead (a login in place of the API key).
   */
  credentialUnless?: Readonly<Record<string, readonly string[]>>;
  params: Readonly<Record<string, ParamDefinition>>;
  /** Values the client sends itself (a schema `const`, e.g. an OAuth2 `grant_type`). */
  fixed?: Readonly<Record<string, string | readonly string[]>>;
  /** An XML request body: its root element and how the parameters map onto its children. */
  xml?: { root: string; shape: Extract<XmlShape, { type: 'object' }> };
  /** JSON Schema `dependentRequired`: when the key is given, so must each listed parameter be. */
  dependentRequired?: Readonly<Record<string, readonly string[]>>;
  /** JSON Schema `if`/`then` of the body: when parameter `name` is `value`, the listed ones are required. */
  requiredIf?: RequiredIf;
  /**
   * JSON Schema `anyOf` of the body, each branch only `required`: the call gives every parameter
   * of at least one of these sets (sms365 `groupDeleteContact`: `groupId` with `contactId`, or `contactGroupId`).
   */
  requiredAnyOf?: readonly (readonly string[])[];
  /** Non-2xx statuses whose body is still a vendor reply for the codec (OAuth2's 400). */
  replyStatuses?: readonly number[];
  /** This operation is one of the vendor's OAuth2 token endpoints. */
  oauth?: 'token' | 'refresh' | 'revoke';
  /** Sends the OAuth2 bearer token when the client has OAuth2 credentials. */
  bearer?: true;
  /**
   * The reply carries a secret the client does not know yet (an OAuth2 token, a new API key):
   * no error built from it shows its body.
   */
  secretReply?: true;
  /**
   * The most bytes this operation's reply may have when that is more than the client's
   * `maxReplyBytes`: a list the vendor hands over whole, sized to a day's worth (the spec says
   * how). The structural limits grow with it.
   */
  replyBudget?: number;
  /**
   * The integer parameter, in seconds, for which the vendor holds its reply back (sms365
   * `2fa/send`'s `wait` for the delivery report): each attempt's deadline grows by it.
   */
  waitParam?: string;
  reply: ReplyDefinition;
  codes: Readonly<Record<string, CodeDefinition>>;
}

export interface RequiredIf {
  name: string;
  value: string | number | boolean;
  required: readonly string[];
}

export interface CredentialDefinition {
  /**
   * Where the value travels: a query parameter, a form field, an `Authorization: Bearer` header,
   * or an element of the XML body (`name` is its property path, e.g. `user.username`).
   */
  in: 'query' | 'form' | 'bearer' | 'xml';
  name: string;
  /** Needed only by some operations (OAuth2 client credentials); checked when one is called. */
  optional?: true;
}

export interface VendorDefinition {
  vendor: string;
  /**
   * The parts of core that only some vendors use, each from an entry of its own, handed in by
   * the definitions that need them so clients of the other vendors never load them:
   * `xmlCodec` (`@smswire/core/xml`) when an operation sends or receives XML; `jsonCodec`,
   * `codeCodec`, `pipeCodec` and `scalarCodec` (`/json`, `/code`, `/pipe`, `/scalar`) when a
   * reply is JSON, a bare code, pipe entries or a bare number; `dates` (`/dates`) when a
   * parameter takes a `Date`; `oauth` (`/oauth`) when the vendor has OAuth2 token endpoints.
   */
  xmlCodec?: XmlCodec;
  jsonCodec?: ReplyCodec<Extract<ReplyDefinition, { codec: 'json' }>>;
  codeCodec?: ReplyCodec<Extract<ReplyDefinition, { codec: 'code' }>>;
  pipeCodec?: ReplyCodec<Extract<ReplyDefinition, { codec: 'pipe' }>>;
  scalarCodec?: ReplyCodec<Extract<ReplyDefinition, { codec: 'scalar' }>>;
  dates?: DateCodec;
  oauth?: OAuthSupport;
  /**
   * `client.raw` (`@smswire/core/raw`) and `client.prepare` (`@smswire/core/prepare`): every
   * generated definition hands them in; they are entries of their own because a call never
   * runs them.
   */
  raw?: RawSupport;
  prepare?: PrepareSupport;
  servers: readonly string[];
  /**
   * Names of the documented alternative servers (`x-smswire-server`), index for index with
   * `servers` and with every operation's own `servers`: the `server` option picks one by name.
   */
  serverNames?: readonly string[];
  /** Keyed by client option name. */
  credentials: Readonly<Record<string, CredentialDefinition>>;
  operations: Readonly<Record<string, OperationDefinition>>;
}

/**
 * What the client hands every reply codec: who is calling, the code catalog, and a way to fail
 * safely. Here, beside the tables, because the XML codec a definition carries takes it.
 */
export interface ReplyContext {
  vendor: string;
  operation: string;
  codes: Readonly<Record<string, CodeDefinition>>;
  redact: (text: string) => string;
  /** The vendor's XML codec, when it speaks XML. */
  xml?: XmlCodec | undefined;
  /** The reply carries a secret the client does not know yet (an issued token or key): no error quotes it. */
  secret?: boolean | undefined;
  /** The client's `maxReplyBytes`; the codecs' structural limits grow with it. */
  maxReplyBytes?: number | undefined;
}

/** Decodes one reply body: made once per client for an operation's reply definition. */
export type ReplyDecoder = (body: string, ctx: ReplyContext, params?: Readonly<Record<string, unknown>>) => unknown;

/** A reply codec handed in by a definition: an operation's decoder, made from its reply definition. */
export type ReplyCodec<Reply extends ReplyDefinition> = (reply: Reply) => ReplyDecoder;

/** Date parameters, handed in by vendors that take them (from `@smswire/core/dates`). */
export interface DateCodec {
  /** The encodings that also take a `Date`. */
  encodings: ReadonlySet<ParamEncoding>;
  /** A Date as the parameter's encoding writes it. */
  value(param: ParamDefinition, date: Date): number | string;
  /** The Date's wall-clock fields in the parameter's time zone, the year in full. */
  zoned(param: ParamDefinition, date: Date): Record<string, string>;
}

/** Per-call options. */
export interface CallInit {
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers (e.g. `Prefer` against a Prism mock), also as a `Headers`. Not the
   * client's own (`Authorization`, `Accept`, `Content-*`) or the connection's (`Host`, …).
   */
  headers?: Record<string, string> | undefined;
}

/** The client's server, fetch, reply cap and credentials: what `client.raw` is built on. */
export interface Connection {
  baseUrl: string;
  /** Late-bound: a global fetch replaced after the client was made is still used. */
  fetch: () => (input: Request) => Promise<Response>;
  maxReplyBytes: number;
  credentials: Readonly<Record<string, string>>;
}

/** `client.raw` for a client: openapi-fetch on its connection (a `RawClient`, transport.ts). */
export type RawSupport = (definition: VendorDefinition, connection: Connection) => unknown;

/**
 * `client.prepare` for a client: per operation (its record), a function showing the request
 * `request` builds for it (checked as a call is; it throws what a call would reject with), each
 * text through `redact` unless revealed. Its functions are the client's `Preparers` (prepare.ts).
 */
export type PrepareSupport = <Operation>(
  operations: ReadonlyMap<string, Operation>,
  request: (operation: Operation, args: unknown, init?: CallInit) => { url: string; request: RequestInit },
  redact: (text: string) => string,
) => Readonly<Record<string, unknown>>;

/** A client's OAuth2 tokens, which `oauth` makes. */
export interface TokenManager {
  /** A valid access token: the cached one, or one fetched (or refreshed) once for all concurrent callers. */
  get(init?: CallInit): Promise<string>;
  /** The server refused `token` (HTTP 401): forget it, so the next `get` fetches another. */
  invalidate(token: string): void;
  /** Revokes the refresh and access tokens held, and those of a token request on its way, and forgets them. */
  revoke(init?: CallInit): Promise<void>;
}

/**
 * OAuth2 client-credentials tokens, handed in by vendors with token endpoints (from
 * `@smswire/core/oauth`): a token manager when the client holds the credentials those
 * endpoints need, calling them through `call`.
 */
export type OAuthSupport = (
  definition: VendorDefinition,
  has: (option: string) => boolean,
  call: (id: string, params: Record<string, unknown>, init?: CallInit) => Promise<unknown>,
  onSecret: (secret: string) => void,
  now?: () => number,
) => TokenManager | undefined;

/**
 * The XML codecs, handed in by vendors that speak XML (from `@smswire/core/xml`), so that the
 * others never load fast-xml-parser or xmlbuilder2.
 */
export interface XmlCodec {
  /** The root element's content; with `root`, a reply whose root element has another name is a ParseError. */
  parse(body: string, ctx: ReplyContext, tolerate?: readonly XmlDefect[], root?: string, errorRoot?: string): unknown;
  shape(value: unknown, shape: XmlShape, ctx: ReplyContext, body: string): unknown;
  build(root: string, shape: XmlShape, value: unknown): string;
  /** An XML reply's decoder, made once per client. */
  decoder(reply: Extract<ReplyDefinition, { codec: 'xml' }>): ReplyDecoder;
}
