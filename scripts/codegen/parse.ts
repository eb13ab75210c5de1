import { defaultMaxReplyBytes } from '../../packages/core/src/codecs/context.js';
import type { XmlDefect } from '../../packages/core/src/vendor-definition.js';
import { buildCodes } from './catalog.js';
import {
  type Encoding,
  isScalar,
  type MediaType,
  type Operation,
  type Parameter,
  type ReplyExtension,
  type Response,
  type Schema,
  type SecurityScheme,
  type Server,
  type Spec,
  type Xml,
} from './model.js';
import { methods, need, resolve, SpecError } from './spec.js';

/** The keywords of a schema node, apart from how it was written (`keywords`, `$ref`). */
type SchemaKeywords = Omit<Schema, 'keywords' | 'boolean' | 'ref' | 'target'>;

/** A node of the YAML document: the one place the generator sees untyped values. */
type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

function node(value: unknown, where: string): Node {
  if (!isNode(value)) throw new SpecError(`${where} must be an object`);
  return value;
}

/** An optional map of `where`'s keys to values read by `read`, in the document's order. */
function map<T>(value: unknown, where: string, read: (value: unknown, where: string, key: string) => T) {
  if (value === undefined) return undefined;
  return Object.fromEntries(Object.entries(node(value, where)).map(([k, v]) => [k, read(v, `${where}.${k}`, k)]));
}

function list<T>(value: unknown, where: string, read: (value: unknown, where: string) => T): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SpecError(`${where} must be a list`);
  return value.map((item, i) => read(item, `${where}[${i}]`));
}

function typed<T>(check: (value: unknown) => value is T, what: string) {
  return (value: unknown, where: string): T | undefined => {
    if (value === undefined) return undefined;
    if (!check(value)) throw new SpecError(`${where} must be ${what}`);
    return value;
  };
}

const string = typed((v): v is string => typeof v === 'string', 'a string');
const number = typed((v): v is number => typeof v === 'number', 'a number');
const boolean = typed((v): v is boolean => typeof v === 'boolean', 'true or false');
const strings = typed(
  (v): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string'),
  'a list of strings',
);
const scalars = typed(
  (v): v is (string | number | boolean)[] => Array.isArray(v) && v.every(isScalar),
  'a list of values',
);

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
/** `T` with each optional key possibly undefined. */
type Given<T> = { [K in Exclude<keyof T, OptionalKeys<T>>]: T[K] } & { [K in OptionalKeys<T>]?: T[K] | undefined };

/** Leaves out the keys whose value is undefined, so a model object has only what the spec says. */
function defined<T extends object>(value: Given<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Parses a spec document (YAML as parsed) into the model, or refuses it with a SpecError. */
export function parseSpec(document: unknown): Spec {
  return new Parser(node(document, 'the spec')).spec();
}

class Parser {
  /** Each `$ref`'d schema is parsed once, so a recursive schema becomes a cycle, not a loop. */
  private readonly schemas = new Map<string, Schema>();

  constructor(private readonly document: Node) {}

  /** The node a `$ref` (or a chain of them) points at. */
  private deref(value: unknown): unknown {
    return resolve(this.document, value);
  }

  spec(): Spec {
    const doc = this.document;
    // A defect is tolerated only by the operations whose documented replies show it.
    if (doc['x-smswire-xml-tolerate'] !== undefined)
      throw new SpecError(
        'x-smswire-xml-tolerate belongs on each operation whose documented replies show the defects, not on the spec root',
      );
    const anyRoot = doc['x-smswire-xml-any-root'];
    if (anyRoot !== undefined && anyRoot !== true) throw new SpecError('x-smswire-xml-any-root may only be true');
    const errorRoot = doc['x-smswire-xml-error-root'];
    if (errorRoot !== undefined && (typeof errorRoot !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(errorRoot)))
      throw new SpecError('x-smswire-xml-error-root must be an XML element name');
    const client = doc['x-smswire-client'];
    if (client !== undefined && (typeof client !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(client)))
      throw new SpecError('x-smswire-client must be a PascalCase name, e.g. SmsLeads');
    const components = isNode(doc.components) ? doc.components : {};
    return defined<Spec>({
      title: need(string(node(doc.info, 'info').title, 'info.title'), 'info.title'),
      servers: this.servers(doc.servers, 'servers') ?? [],
      security: this.security(doc.security, 'security'),
      securitySchemes:
        map(components.securitySchemes, 'components.securitySchemes', (v, where, name) =>
          this.securityScheme(v, where, name),
        ) ?? {},
      operations: this.operations(doc.paths),
      codes: buildCodes('x-smswire-codes', doc['x-smswire-codes']),
      timeZone: string(doc['x-smswire-time-zone'], 'x-smswire-time-zone'),
      xmlAnyRoot: anyRoot === true ? true : undefined,
      xmlErrorRoot: typeof errorRoot === 'string' ? errorRoot : undefined,
      clientName: typeof client === 'string' ? client : undefined,
    });
  }

  private servers(value: unknown, where: string): Server[] | undefined {
    return list(value, where, (raw, at) => {
      const server = node(this.deref(raw), at);
      const name = server['x-smswire-server'];
      if (name !== undefined && (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)))
        throw new SpecError(`${where}: every server needs an x-smswire-server name (lower-case) when one has`);
      return defined<Server>({
        url: need(string(server.url, `${at}.url`), `${at}.url`),
        description: string(server.description, `${at}.description`),
        name: typeof name === 'string' ? name : undefined,
      });
    });
  }

  private security(value: unknown, where: string) {
    return list(value, where, (raw, at) => map(raw, at, (scopes, at2) => strings(scopes, at2) ?? []) ?? {});
  }

  private securityScheme(value: unknown, where: string, name: string): SecurityScheme {
    const scheme = node(this.deref(value), where);
    const type = need(string(scheme.type, `${where}.type`), `${where}.type`);
    const credential = scheme['x-smswire-credential'];
    // OAuth2 tokens come from the vendor's own token operations (x-smswire-oauth), not an option.
    if (type !== 'oauth2' && typeof credential !== 'string')
      throw new SpecError(`securityScheme ${name} needs x-smswire-credential`);
    return defined<SecurityScheme>({
      type,
      in: string(scheme.in, `${where}.in`),
      name: string(scheme.name, `${where}.name`),
      scheme: string(scheme.scheme, `${where}.scheme`),
      description: string(scheme.description, `${where}.description`),
      credential: typeof credential === 'string' ? credential : undefined,
    });
  }

  private operations(paths: unknown): Operation[] {
    const operations: Operation[] = [];
    for (const [path, rawItem] of Object.entries(paths === undefined ? {} : node(paths, 'paths'))) {
      const item = node(this.deref(rawItem), `paths.${path}`);
      for (const method of methods.filter((m) => item[m])) {
        const where = `${method.toUpperCase()} ${path}`;
        if (method !== 'get' && method !== 'post')
          throw new SpecError(`${where}: only GET and POST operations are supported`);
        const op = node(this.deref(item[method]), where);
        const id = need(string(op.operationId, `${where}: operationId`), `${where}: operationId`);
        operations.push(this.operation(op, { id, path, method, where }, item.parameters));
      }
    }
    return operations;
  }

  private operation(
    op: Node,
    at: Pick<Operation, 'id' | 'path' | 'method' | 'where'>,
    itemParameters: unknown,
  ): Operation {
    const { id } = at;
    const kind = op['x-smswire-kind'];
    if (kind !== 'read' && kind !== 'write' && kind !== 'send')
      throw new SpecError(`${id}: x-smswire-kind must be read, write or send`);
    const messageId = op['x-smswire-message-id'];
    if (messageId !== undefined && (typeof messageId !== 'string' || messageId === ''))
      throw new SpecError(`${id}: x-smswire-message-id must be a result path or none`);
    const oauth = op['x-smswire-oauth'];
    if (oauth !== undefined && oauth !== 'token' && oauth !== 'refresh' && oauth !== 'revoke')
      throw new SpecError(`${id}: x-smswire-oauth must be token, refresh or revoke`);
    const secretReply = op['x-smswire-secret-reply'];
    if (secretReply !== undefined && secretReply !== true)
      throw new SpecError(`${id}: x-smswire-secret-reply must be true (or left out)`);
    const replyBudget = op['x-smswire-reply-budget'];
    if (
      replyBudget !== undefined &&
      !(typeof replyBudget === 'number' && Number.isSafeInteger(replyBudget) && replyBudget > defaultMaxReplyBytes)
    )
      throw new SpecError(
        `${id}: x-smswire-reply-budget must be a whole number of bytes above the default maxReplyBytes (${defaultMaxReplyBytes})`,
      );
    const wait = op['x-smswire-wait'];
    if (wait !== undefined && typeof wait !== 'string')
      throw new SpecError(`${id}: x-smswire-wait must name an integer parameter (seconds) with minimum 0 or more`);
    const tolerate = op['x-smswire-xml-tolerate'];
    if (tolerate !== undefined && !(Array.isArray(tolerate) && tolerate.every(isDefect)))
      throw new SpecError(`${id}: x-smswire-xml-tolerate lists only ${xmlDefects.join(', ')}`);
    const parameters = [
      ...(list(itemParameters, `${id}: parameters`, (raw, where) => this.parameter(raw, where, id)) ?? []),
      ...(list(op.parameters, `${id}: parameters`, (raw, where) => this.parameter(raw, where, id)) ?? []),
    ];
    return defined<Operation>({
      ...at,
      summary: string(op.summary, `${id}: summary`),
      description: string(op.description, `${id}: description`),
      parameters,
      requestBody:
        op.requestBody === undefined
          ? undefined
          : { content: this.content(node(this.deref(op.requestBody), `${id}: requestBody`).content, id) ?? {} },
      responses: map(op.responses, `${id}: responses`, (raw, where) => this.response(raw, where, id)) ?? {},
      security: this.security(op.security, `${id}: security`),
      servers: this.servers(op.servers, `${id}: servers`),
      kind,
      messageId: typeof messageId === 'string' ? messageId : undefined,
      reply: this.reply(op['x-smswire-reply'], id),
      codes: buildCodes(id, op['x-smswire-codes']),
      oauth,
      secretReply: secretReply === true ? true : undefined,
      replyBudget: typeof replyBudget === 'number' ? replyBudget : undefined,
      wait: typeof wait === 'string' ? wait : undefined,
      tolerate: Array.isArray(tolerate) ? tolerate.filter(isDefect) : undefined,
    });
  }

  private reply(value: unknown, id: string): ReplyExtension | undefined {
    if (value === undefined) return undefined;
    const reply = node(value, `${id}: x-smswire-reply`);
    const stray = Object.keys(reply).filter((key) => !replyKeys.includes(key));
    if (stray.length) throw new SpecError(`${id}: unknown x-smswire-reply keys ${stray.join(', ')}`);
    const { codec, negative } = reply;
    if (!isCodec(codec)) throw new SpecError(`${id}: unknown reply codec ${String(codec)}`);
    if (negative !== undefined && negative !== 'code')
      throw new SpecError(`${id}: x-smswire-reply.negative may only be code`);
    return defined<ReplyExtension>({
      codec,
      status: string(reply.status, `${id}: x-smswire-reply.status`),
      statusOptional: boolean(reply.statusOptional, `${id}: x-smswire-reply.statusOptional`),
      xmlWhen: map(reply.xmlWhen, `${id}: xmlWhen`, (v, _, name) => {
        if (typeof v !== 'string')
          throw new SpecError(`${id}: xmlWhen names ${name}, which is not a string-valued parameter`);
        return v;
      }),
      negative: negative === 'code' ? negative : undefined,
    });
  }

  private parameter(value: unknown, where: string, id: string): Parameter {
    const param = node(this.deref(value), where);
    const name = need(string(param.name, `${where}.name`), `${where}.name`);
    const at = `${id}.${name}`;
    return defined<Parameter>({
      name,
      in: need(string(param.in, `${at}: in`), `${at}: in`),
      required: boolean(param.required, `${at}: required`),
      style: string(param.style, `${at}: style`),
      explode: boolean(param.explode, `${at}: explode`),
      schema: param.schema === undefined ? undefined : this.schema(param.schema, at),
      example: param.example,
      ...this.encoding(param, at),
    });
  }

  private encoding(raw: Node, where: string): Encoding {
    const encode = raw['x-smswire-encode'];
    if (encode !== undefined && typeof encode !== 'string')
      throw new SpecError(`${where}: unknown x-smswire-encode ${JSON.stringify(encode)}`);
    const when = raw['x-smswire-encode-when'];
    if (
      when !== undefined &&
      !(
        isNode(when) &&
        Object.keys(when).length > 0 &&
        Object.values(when).every((values) => Array.isArray(values) && values.length > 0 && values.every(isScalar))
      )
    )
      throw new SpecError(`${where}: x-smswire-encode-when maps parameter names to non-empty lists of values`);
    const max = raw['x-smswire-encode-max-length'];
    if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 1))
      throw new SpecError(`${where}: x-smswire-encode-max-length must be a positive integer`);
    return defined<Encoding>({
      encode: typeof encode === 'string' ? encode : undefined,
      encodeWhen: when === undefined ? undefined : map(when, where, (v, at) => scalars(v, at) ?? []),
      encodeMaxLength: typeof max === 'number' ? max : undefined,
    });
  }

  private response(value: unknown, where: string, id: string): Response {
    const response = node(this.deref(value), where);
    return defined<Response>({ content: this.content(response.content, id) });
  }

  private content(value: unknown, id: string): Record<string, MediaType> | undefined {
    return map(value, `${id}: content`, (raw, where): MediaType => {
      const media = node(this.deref(raw), where);
      return defined<MediaType>({
        schema: media.schema === undefined ? undefined : this.schema(media.schema, where),
        examples: map(media.examples, `${where}.examples`, (example, at) => node(this.deref(example), at).value) ?? {},
        encoding:
          map(media.encoding, `${where}.encoding`, (encoding, at) =>
            defined<{ explode?: boolean }>({ explode: boolean(node(encoding, at).explode, `${at}.explode`) }),
          ) ?? {},
      });
    });
  }

  /** A schema; a `$ref`'d one is parsed once, where it is defined. */
  schema(value: unknown, where: string): Schema {
    if (typeof value === 'boolean') return { keywords: [], boolean: value };
    const raw = node(value, where);
    const schema: Schema = { keywords: Object.keys(raw) };
    const ref = raw.$ref;
    if (ref !== undefined) {
      if (typeof ref !== 'string') throw new SpecError(`${where}.$ref must be a string`);
      schema.ref = ref;
      schema.target = this.referenced(ref);
    }
    const sub = (key: string) => (raw[key] === undefined ? undefined : this.schema(raw[key], `${where}.${key}`));
    const subs = (key: string) => list(raw[key], `${where}.${key}`, (v, at) => this.schema(v, at));
    const type = typeof raw.type === 'string' ? raw.type : strings(raw.type, `${where}.type`);
    const credential = raw['x-smswire-credential'];
    if (credential !== undefined && typeof credential !== 'string')
      throw new SpecError(`${where}: x-smswire-credential must name a client option`);
    const additional = raw.additionalProperties;
    const unless = raw['x-smswire-credential-unless'];
    if (
      unless !== undefined &&
      !(Array.isArray(unless) && unless.length > 0 && unless.every((n) => typeof n === 'string'))
    )
      throw new SpecError(
        `${where}: x-smswire-credential-unless lists the body's other fields that stand in for the credential`,
      );
    Object.assign(
      schema,
      defined<SchemaKeywords>({
        type,
        enum: scalars(raw.enum, `${where}.enum`),
        const: raw.const,
        minLength: number(raw.minLength, `${where}.minLength`),
        maxLength: number(raw.maxLength, `${where}.maxLength`),
        minimum: number(raw.minimum, `${where}.minimum`),
        maximum: number(raw.maximum, `${where}.maximum`),
        minItems: number(raw.minItems, `${where}.minItems`),
        maxItems: number(raw.maxItems, `${where}.maxItems`),
        pattern: string(raw.pattern, `${where}.pattern`),
        description: string(raw.description, `${where}.description`),
        example: raw.example,
        properties: map(raw.properties, `${where}.properties`, (v, at) => this.schema(v, at)),
        required: strings(raw.required, `${where}.required`),
        items: sub('items'),
        anyOf: subs('anyOf'),
        allOf: subs('allOf'),
        additionalProperties: typeof additional === 'boolean' ? additional : sub('additionalProperties'),
        dependentRequired: map(raw.dependentRequired, `${where}.dependentRequired`, (v, at) => strings(v, at) ?? []),
        ifSchema: sub('if'),
        thenSchema: sub('then'),
        contentMediaType: string(raw.contentMediaType, `${where}.contentMediaType`),
        contentSchema: sub('contentSchema'),
        xml: raw.xml === undefined ? undefined : xml(raw.xml, `${where}.xml`),
        credential: typeof credential === 'string' ? credential : undefined,
        credentialUnless: strings(unless, where),
        decode: string(raw['x-smswire-decode'], `${where}: x-smswire-decode`),
        ...this.encoding(raw, where),
      }),
    );
    return schema;
  }

  private referenced(ref: string): Schema {
    const known = this.schemas.get(ref);
    if (known) return known;
    // Registered before its contents are read, so a schema that refers to itself finds it.
    const target: Schema = { keywords: [] };
    this.schemas.set(ref, target);
    Object.assign(target, this.schema(this.deref({ $ref: ref }), ref.slice(2).replace(/\//g, '.')));
    return target;
  }
}

const replyKeys = ['codec', 'status', 'statusOptional', 'xmlWhen', 'negative'];
const codecs = ['json', 'xml', 'code', 'pipe', 'scalar'] as const;
const isCodec = (value: unknown): value is ReplyExtension['codec'] => codecs.some((c) => c === value);
const xmlDefects = ['unclosed-text', 'rootless'] as const satisfies readonly XmlDefect[];
const isDefect = (value: unknown): value is XmlDefect => xmlDefects.some((d) => d === value);

function xml(value: unknown, where: string): Xml {
  const raw = node(value, where);
  const anyName = raw['x-smswire-any-name'];
  if (anyName !== undefined && anyName !== true) throw new SpecError(`${where}: x-smswire-any-name may only be true`);
  const text = raw['x-smswire-text'];
  if (text !== undefined && text !== true) throw new SpecError(`${where}: x-smswire-text may only be true`);
  const name = raw.name;
  if (name !== undefined && typeof name !== 'string') throw new SpecError(`${where}: xml.name must be a string`);
  return defined<Xml>({
    name,
    attribute: boolean(raw.attribute, `${where}.attribute`),
    wrapped: boolean(raw.wrapped, `${where}.wrapped`),
    text: text === true ? true : undefined,
    anyName: anyName === true ? true : undefined,
  });
}
