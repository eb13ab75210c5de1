import type {
  CodeDefinition,
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
  ParamSchema,
  ReplyDefinition,
  RequiredIf,
  VendorDefinition,
  XmlProperty,
  XmlShape,
} from '../../packages/core/src/index.js';
// Not all exported by core's entry, which only the runtime needs.
import { dateEncodings } from '../../packages/core/src/request.js';
import { checkSchema, supportedKeywords } from '../../packages/core/src/validate.js';
import { isCodeShaped } from '../../packages/core/src/codecs/context.js';
import type { Spec } from './vendors.js';

/** Everything the generator learns about one operation, beyond the runtime table. */
export interface OperationInfo {
  id: string;
  definition: OperationDefinition;
  summary: string;
  description: string;
  /** Media type of the success reply, for the result type. */
  mediaType: string;
  /** Media type of a form body, when the parameters are in one. */
  bodyType?: string;
  /** Properties of the form body the client fills in itself (credentials, constants). */
  injected: string[];
  /** Parameters typed otherwise than openapi-typescript types the wire: Dates, JSON-in-text. */
  overrides: { name: string; required: boolean; type: string }[];
  /** The codes this operation's example replies carry. */
  exampleCodes: string[];
  /** `x-smswire-decode` fields and whether the schema requires them. */
  decoded: { field: string; as: 'epoch-ms' }[];
  hasParams: boolean;
}

export class SpecError extends Error {
  override name = 'SpecError';
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Schema keywords that document but do not constrain; dropped from the runtime table. */
const documentationKeywords = new Set(['example', 'examples', 'title', 'default']);
/** The parameter types validate.ts checks. */
const checkedTypes = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);
/** `x-smswire-encode` values of a form field or XML element (JSON text has its own, see formBody). */
const encodings = new Set(['unix-seconds', 'dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm', 'msisdn']);
/** Encodings that rewrite a string wherever it is (core's `ParamSchema.encode`), not the way a field is written. */
const stringEncodings = new Set(['msisdn']);
/** Date encodings written in the spec's `x-smswire-time-zone`. */
const zonedEncodings = new Set(['dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm']);
/** Keywords of a request body schema the generator reads; any other would be silently ignored. */
const bodyKeywords = new Set(['type', 'required', 'additionalProperties', 'properties', 'dependentRequired', 'if', 'then', 'description', 'title', 'example', 'examples', 'xml']);
/** Encodings of text that core writes into a query parameter or form field (request.ts). */
const textEncodings = new Set(['ucs2-hex']);
const formType = 'application/x-www-form-urlencoded';
const xmlType = 'application/xml';
const xmlDefects = new Set(['unclosed-text', 'rootless']);

export function resolve(spec: Spec, node: Spec): Spec {
  if (typeof node?.$ref !== 'string') return node;
  if (!node.$ref.startsWith('#/')) throw new SpecError(`only local $refs are supported: ${node.$ref}`);
  let target: Spec = spec;
  for (const part of node.$ref.slice(2).split('/')) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (target === undefined) throw new SpecError(`unresolved $ref ${node.$ref}`);
  return resolve(spec, target);
}

/** Reads the `x-smswire-*` extensions and parameters of a spec into core's runtime tables. */
export function buildDefinition(vendor: string, spec: Spec): { definition: VendorDefinition; operations: OperationInfo[] } {
  const credentials: Record<string, CredentialDefinition> = {};
  const schemeToOption = new Map<string, string>();
  const oauthSchemes = new Set<string>();
  for (const [scheme, raw] of Object.entries<Spec>(spec.components?.securitySchemes ?? {})) {
    const def = resolve(spec, raw);
    // OAuth2 tokens come from the vendor's own token operations (x-smswire-oauth), not an option.
    if (def.type === 'oauth2') {
      oauthSchemes.add(scheme);
      continue;
    }
    const option = def['x-smswire-credential'];
    if (typeof option !== 'string') throw new SpecError(`securityScheme ${scheme} needs x-smswire-credential`);
    if (def.type === 'apiKey' && def.in === 'query') credentials[option] = { in: 'query', name: def.name };
    else if (def.type === 'http' && String(def.scheme).toLowerCase() === 'bearer') credentials[option] = { in: 'bearer', name: 'Authorization' };
    else throw new SpecError(`securityScheme ${scheme}: only apiKey in query, http bearer and oauth2 are supported`);
    schemeToOption.set(scheme, option);
  }

  // A defect is tolerated only by the operations whose documented replies show it.
  if (spec['x-smswire-xml-tolerate'] !== undefined) throw new SpecError('x-smswire-xml-tolerate belongs on each operation whose documented replies show the defects, not on the spec root');
  // The vendor's catalog where its document has one table of codes; operations add to it or
  // give a code their own meaning (Dreams' -110 is a taken username only for Register).
  const vendorCodes = buildCodes('x-smswire-codes', spec['x-smswire-codes'] ?? {});
  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries<Spec>(spec.paths ?? {})) {
    for (const method of methods.filter((m) => item[m])) {
      const op = item[method] as Spec;
      const where = `${method.toUpperCase()} ${path}`;
      if (method !== 'get' && method !== 'post') throw new SpecError(`${where}: only GET and POST operations are supported`);
      const id = need(op.operationId, `${where}: operationId`);
      operations.push(buildOperation(spec, { id, path, method, op, item, where, schemeToOption, oauthSchemes, credentials, vendorCodes }));
    }
  }
  // A credential only the OAuth2 token operations use is needed only when those are.
  for (const [option, credential] of Object.entries(credentials)) {
    if (operations.every((o) => !o.definition.security.includes(option) || o.definition.oauth)) credential.optional = true;
  }
  const serverNames = namedServers(spec.servers ?? [], 'servers');
  for (const o of operations) {
    if (!o.definition.servers) continue;
    o.definition.servers = alignServers(spec.paths[o.definition.path][o.definition.method].servers, serverNames, o.id);
  }
  const definition: VendorDefinition = {
    vendor,
    servers: (spec.servers ?? []).map((s: Spec) => s.url as string),
    ...(serverNames ? { serverNames } : {}),
    credentials,
    operations: Object.fromEntries(operations.map((o) => [o.id, o.definition])),
  };
  if (definition.servers.length === 0) throw new SpecError('the spec needs at least one server');
  const exemplified = new Set(operations.flatMap((o) => o.exampleCodes));
  const unexampled = Object.keys(vendorCodes).filter((code) => !exemplified.has(code));
  if (unexampled.length) throw new SpecError(`x-smswire-codes: no operation has an example reply with code ${unexampled.join(', ')}`);
  return { definition, operations };
}

/** The `x-smswire-server` names of a server list: all or none named, each once. */
function namedServers(servers: Spec[], where: string): string[] | undefined {
  const names = servers.map((s) => s['x-smswire-server']);
  if (names.every((n) => n === undefined)) return undefined;
  if (!names.every((n) => typeof n === 'string' && /^[a-z][a-z0-9-]*$/.test(n))) throw new SpecError(`${where}: every server needs an x-smswire-server name (lower-case) when one has`);
  if (new Set(names).size !== names.length) throw new SpecError(`${where}: x-smswire-server names repeat`);
  return names;
}

/**
 * An operation's own servers in the order of the vendor's names, so one `server` option moves
 * every operation to its server of that name.
 */
function alignServers(servers: Spec[], vendorNames: string[] | undefined, id: string): string[] {
  const names = namedServers(servers, `${id}: servers`);
  if (!vendorNames) {
    if (names) throw new SpecError(`${id}: servers are named, but the vendor's servers are not`);
    return servers.map((s) => s.url as string);
  }
  if (!names || names.length !== vendorNames.length || !vendorNames.every((n) => names.includes(n))) {
    throw new SpecError(`${id}: servers must be named like the vendor's (${vendorNames.join(', ')})`);
  }
  return vendorNames.map((name) => servers[names.indexOf(name)]!.url as string);
}

interface OperationSource {
  id: string;
  path: string;
  method: 'get' | 'post';
  op: Spec;
  item: Spec;
  where: string;
  schemeToOption: Map<string, string>;
  oauthSchemes: Set<string>;
  credentials: Record<string, CredentialDefinition>;
  vendorCodes: Record<string, CodeDefinition>;
}

function buildOperation(spec: Spec, source: OperationSource): OperationInfo {
  const { id, path, method, op, item, where, schemeToOption, oauthSchemes } = source;
  const kind = op['x-smswire-kind'];
  if (kind !== 'read' && kind !== 'write') throw new SpecError(`${id}: x-smswire-kind must be read or write`);

  const params: Record<string, ParamDefinition> = {};
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = resolve(spec, raw);
    if (param.in !== 'query') throw new SpecError(`${id}: parameter ${param.name} is in ${param.in}; only query is supported`);
    const encode = param['x-smswire-encode'];
    if (encode !== undefined && !textEncodings.has(encode)) throw new SpecError(`${id}.${param.name}: unknown x-smswire-encode ${encode} for a query parameter`);
    params[param.name] = {
      in: 'query',
      required: param.required === true,
      schema: paramSchema(spec, param.schema ?? {}, `${id}.${param.name}`),
      ...(encode ? { encode } : {}),
      ...encodingCondition(param, encode, `${id}.${param.name}`),
    };
  }
  const body = method !== 'post' ? undefined : bodyType(spec, id, op) === xmlType ? xmlBody(spec, id, op, source.credentials) : formBody(spec, id, op, source.credentials);
  if (method === 'post' && Object.keys(params).length > 0) throw new SpecError(`${id}: a POST operation takes its parameters in the form body`);
  Object.assign(params, body?.params);
  checkEncodingConditions(id, params);

  const requirements: Spec[] = op.security ?? spec.security ?? [];
  // `[{}, {oauth2: []}]`: the bearer token is sent when the client has OAuth2 credentials.
  const bearer = requirements.some((r) => Object.keys(r).some((scheme) => oauthSchemes.has(scheme)));
  const required = requirements.filter((r) => !Object.keys(r).some((scheme) => oauthSchemes.has(scheme)));
  if (required.length > 1 || (bearer && required.some((r) => Object.keys(r).length > 0))) {
    throw new SpecError(`${id}: alternative security requirements are only supported as [{}, {<oauth2 scheme>: []}]`);
  }
  const security = [
    ...Object.keys(required[0] ?? {}).map((scheme) => need(schemeToOption.get(scheme), `${id}: security scheme ${scheme}`)),
    ...(body?.security ?? []),
  ];
  for (const scheme of Object.keys(required[0] ?? {})) {
    const wireName = resolve(spec, spec.components.securitySchemes[scheme]).name;
    if (Object.hasOwn(params, wireName)) throw new SpecError(`${id}: parameter ${wireName} collides with the credential of the same name`);
  }
  const oauth = op['x-smswire-oauth'];
  if (oauth !== undefined && !['token', 'refresh', 'revoke'].includes(oauth)) throw new SpecError(`${id}: x-smswire-oauth must be token, refresh or revoke`);
  const secretReply = op['x-smswire-secret-reply'];
  if (secretReply !== undefined && secretReply !== true) throw new SpecError(`${id}: x-smswire-secret-reply must be true (or left out)`);

  const ok = resolve(spec, need(op.responses?.['200'], `${where}: a 200 response`));
  const content = need(ok.content, `${id}: 200 content`) as Spec;
  const [mediaType, media] = Object.entries<Spec>(content)[0] ?? [];
  const replyExt = need(op['x-smswire-reply'], `${id}: x-smswire-reply`);
  const known = ['codec', 'status', 'statusOptional', 'xmlWhen', 'negative'];
  const stray = Object.keys(replyExt).filter((key) => !known.includes(key));
  if (stray.length) throw new SpecError(`${id}: unknown x-smswire-reply keys ${stray.join(', ')}`);
  if (op['x-smswire-xml-tolerate'] !== undefined && replyExt.codec !== 'xml') throw new SpecError(`${id}: x-smswire-xml-tolerate needs the xml reply codec`);
  const own = buildCodes(id, op['x-smswire-codes'] ?? {});
  const codes = { ...source.vendorCodes, ...own };
  const decoded: OperationInfo['decoded'] = [];
  let reply: ReplyDefinition;
  let resultMedia = need(mediaType, `${id}: a 200 media type`);
  switch (replyExt.codec) {
    case 'json': {
      const schema = resolve(spec, content['application/json']?.schema ?? media?.schema ?? {});
      for (const [field, prop] of Object.entries<Spec>(schema.properties ?? {})) {
        const as = resolve(spec, prop)['x-smswire-decode'];
        if (as === undefined) continue;
        if (as !== 'epoch-ms') throw new SpecError(`${id}.${field}: unknown x-smswire-decode ${as}`);
        decoded.push({ field, as });
      }
      const status = need(replyExt.status, `${id}: x-smswire-reply.status`);
      const shape = xmlShape(spec, content['application/json']?.schema ?? media?.schema ?? {}, `${id} reply`);
      reply = { codec: 'json', status, shape };
      if (replyExt.statusOptional === true) reply.statusOptional = true;
      if (decoded.length) reply.decode = Object.fromEntries(decoded.map((d) => [d.field, d.as]));
      if (replyExt.xmlWhen !== undefined) {
        const xml = need(content['application/xml'], `${id}: xmlWhen needs an application/xml reply`);
        if (!content['application/json']) throw new SpecError(`${id}: xmlWhen needs an application/json reply too`);
        for (const [name, value] of Object.entries<unknown>(replyExt.xmlWhen)) {
          if (!params[name] || typeof value !== 'string') throw new SpecError(`${id}: xmlWhen names ${name}, which is not a string-valued parameter`);
        }
        const xmlForm = xmlReply(spec, xml.schema ?? {}, `${id} reply`);
        // One schema for both forms is the norm: its shape is then written once.
        reply.xml = {
          when: replyExt.xmlWhen,
          ...(JSON.stringify(xmlForm.shape) === JSON.stringify(shape) ? {} : { shape: xmlForm.shape }),
          ...(xmlForm.root ? { root: xmlForm.root } : {}),
        };
        resultMedia = 'application/json';
      }
      break;
    }
    case 'xml': {
      const xml = need(content['application/xml'], `${id}: an application/xml reply`);
      const { shape, root } = xmlReply(spec, xml.schema ?? {}, `${id} reply`);
      reply = { codec: 'xml', shape, ...(root ? { root } : {}) };
      if (replyExt.status !== undefined) reply.status = replyExt.status;
      const tolerate = op['x-smswire-xml-tolerate'];
      if (tolerate !== undefined) {
        if (!Array.isArray(tolerate) || !tolerate.every((d) => xmlDefects.has(d))) throw new SpecError(`${id}: x-smswire-xml-tolerate lists only ${[...xmlDefects].join(', ')}`);
        reply.tolerate = tolerate;
      }
      resultMedia = 'application/xml';
      break;
    }
    case 'code':
    case 'pipe':
      reply = { codec: replyExt.codec };
      break;
    case 'scalar':
      reply = { codec: 'scalar' };
      if (replyExt.negative !== undefined) {
        if (replyExt.negative !== 'code') throw new SpecError(`${id}: x-smswire-reply.negative may only be code`);
        reply.negative = 'code';
      }
      break;
    default:
      throw new SpecError(`${id}: unknown reply codec ${replyExt.codec}`);
  }
  if (replyExt.negative !== undefined && reply.codec !== 'scalar') throw new SpecError(`${id}: x-smswire-reply.negative is only for the scalar codec`);
  if (reply.codec !== 'scalar' && Object.keys(codes).length === 0) throw new SpecError(`${id}: x-smswire-codes is empty`);
  // Other documented replies with a body (OAuth2's 400) are decoded by the same codec.
  const replyStatuses = Object.keys(op.responses ?? {}).filter((status) => /^[45][0-9][0-9]$/.test(status) && resolve(spec, op.responses[status]).content);
  const examples = [ok, ...replyStatuses.map((status) => resolve(spec, op.responses[status]))].flatMap((response) =>
    Object.entries<Spec>(response.content).map(([type, m]) => ({ type, examples: m.examples ?? {} })),
  );
  const exampleCodes = checkExamples(spec, id, reply, codes, own, examples);
  if (reply.codec === 'xml' && reply.tolerate) checkDefects(spec, id, reply.tolerate, examples);

  const definition: OperationDefinition = {
    method,
    path,
    kind,
    ...(op.servers ? { servers: op.servers.map((s: Spec) => s.url as string) } : {}),
    security,
    ...(body && Object.keys(body.credentialUnless).length ? { credentialUnless: body.credentialUnless } : {}),
    params,
    ...(body && Object.keys(body.fixed).length ? { fixed: body.fixed } : {}),
    ...(body?.dependentRequired ? { dependentRequired: body.dependentRequired } : {}),
    ...(body?.requiredIf ? { requiredIf: body.requiredIf } : {}),
    ...(body?.xml ? { xml: body.xml } : {}),
    ...(replyStatuses.length ? { replyStatuses: replyStatuses.map(Number) } : {}),
    ...(oauth ? { oauth } : {}),
    ...(bearer ? { bearer: true as const } : {}),
    // Token and refresh replies always carry new tokens.
    ...(secretReply || oauth === 'token' || oauth === 'refresh' ? { secretReply: true as const } : {}),
    reply,
    codes,
  };
  return {
    id,
    definition,
    summary: need(op.summary, `${id}: summary`),
    description: op.description ?? '',
    mediaType: resultMedia,
    ...(body ? { bodyType: body.xml ? xmlType : formType } : {}),
    injected: body?.injected ?? [],
    overrides: [
      ...Object.entries(params)
        .filter(([, p]) => p.encode !== undefined && dateEncodings.has(p.encode))
        .map(([name, p]) => ({ name, required: p.required, type: `${body ? 'form' : 'query'}:${name} | Date` })),
      ...(body?.jsonTypes ?? []),
    ],
    decoded,
    hasParams: Object.keys(params).length > 0,
    exampleCodes,
  };
}

/**
 * `x-smswire-encode-when` (the encoding applies only when other parameters have the listed
 * values) and `x-smswire-encode-max-length` (UTF-16 code units while `ucs2-hex` applies) of a
 * query parameter or form field.
 */
function encodingCondition(node: Spec, encode: unknown, where: string): Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> {
  const when = node['x-smswire-encode-when'];
  const max = node['x-smswire-encode-max-length'];
  const out: Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> = {};
  if (when !== undefined) {
    if (!textEncodings.has(encode as string)) throw new SpecError(`${where}: x-smswire-encode-when needs a text x-smswire-encode (${[...textEncodings].join(', ')})`);
    const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
    if (when === null || typeof when !== 'object' || Array.isArray(when) || Object.keys(when).length === 0
      || !Object.values(when).every((values) => Array.isArray(values) && values.length > 0 && values.every(scalar))) {
      throw new SpecError(`${where}: x-smswire-encode-when maps parameter names to non-empty lists of values`);
    }
    out.encodeWhen = when;
  }
  if (max !== undefined) {
    if (encode !== 'ucs2-hex') throw new SpecError(`${where}: x-smswire-encode-max-length counts UTF-16 code units and needs x-smswire-encode: ucs2-hex`);
    if (!Number.isInteger(max) || max < 1) throw new SpecError(`${where}: x-smswire-encode-max-length must be a positive integer`);
    out.encodeMaxLength = max;
  }
  return out;
}

/** Each `x-smswire-encode-when` names another parameter of the operation, with values it accepts. */
function checkEncodingConditions(id: string, params: Record<string, ParamDefinition>) {
  for (const [name, param] of Object.entries(params)) {
    for (const [other, values] of Object.entries(param.encodeWhen ?? {})) {
      const target = params[other];
      if (!target || other === name) throw new SpecError(`${id}.${name}: x-smswire-encode-when names ${other}, which is not another parameter`);
      const refused = values.filter((value) => checkSchema(target.schema, value) !== undefined);
      if (refused.length) throw new SpecError(`${id}.${name}: x-smswire-encode-when lists ${refused.join(', ')}, which ${other} does not accept`);
    }
  }
}

/** Records a credential a body property carries (`x-smswire-credential`); one option, one place. */
function bodyCredential(credentials: Record<string, CredentialDefinition>, option: unknown, credential: CredentialDefinition, where: string): string {
  if (typeof option !== 'string') throw new SpecError(`${where}: x-smswire-credential must name a client option`);
  const existing = credentials[option];
  if (existing && (existing.in !== credential.in || existing.name !== credential.name)) throw new SpecError(`${where}: credential ${option} is already sent as ${existing.in} ${existing.name}`);
  credentials[option] = credential;
  return option;
}

/** The one media type of a POST body: a URL-encoded form or XML. */
function bodyType(spec: Spec, id: string, op: Spec): string {
  const requestBody = resolve(spec, need(op.requestBody, `${id}: a POST operation needs a requestBody`));
  const types = Object.keys(requestBody.content ?? {});
  if (types.length !== 1 || (types[0] !== formType && types[0] !== xmlType)) {
    throw new SpecError(`${id}: the request body must be ${formType} or ${xmlType} (found ${types.join(', ') || 'none'})`);
  }
  return types[0]!;
}

/**
 * The children of an XML body's root: each property is a parameter, except those holding
 * credentials (`x-smswire-credential` on the property or on one of its properties, e.g.
 * `<user><username>`) and constants, which the client fills in. The root's `xml.name` names
 * the element; the `xml` objects say how the rest is written (see xmlShape).
 */
function xmlBody(spec: Spec, id: string, op: Spec, credentials: Record<string, CredentialDefinition>) {
  const media = resolve(spec, op.requestBody).content[xmlType];
  const schema = merged(spec, need(media.schema, `${id}: request body schema`));
  checkBodyKeywords(resolve(spec, media.schema), id, ['dependentRequired', 'if', 'then']);
  const root = need(schema.xml?.name, `${id}: the XML request schema's xml.name (the root element)`) as string;
  const shape = xmlShape(spec, media.schema, `${id} request`, { request: true });
  if (shape.type !== 'object') throw new SpecError(`${id}: the XML request body must be an object`);
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string | string[]> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const timeZone = spec['x-smswire-time-zone'];
  for (const [name, raw] of Object.entries<Spec>(schema.properties ?? {})) {
    const prop = merged(spec, raw);
    const where = `${id}.${name}`;
    const held = [[name, prop], ...Object.entries<Spec>(prop.properties ?? {}).map(([sub, s]) => [`${name}.${sub}`, resolve(spec, s)])] as [string, Spec][];
    const creds = held.filter(([, s]) => s['x-smswire-credential'] !== undefined);
    if (creds.length > 0) {
      for (const [path, s] of creds) {
        security.push(bodyCredential(credentials, s['x-smswire-credential'], { in: 'xml', name: path }, where));
      }
      if (creds.length !== held.length - (held.length > 1 ? 1 : 0)) throw new SpecError(`${where}: an element holding a credential may hold nothing else`);
      injected.push(name);
      continue;
    }
    if (prop.const !== undefined) {
      if (typeof prop.const !== 'string' && !(Array.isArray(prop.const) && prop.const.every((v: unknown) => typeof v === 'string'))) {
        throw new SpecError(`${where}: an XML constant must be a string or a list of strings`);
      }
      fixed[name] = prop.const;
      injected.push(name);
      continue;
    }
    if (typeof prop.description !== 'string' || prop.description.length < 3) throw new SpecError(`${where}: every XML element needs a description`);
    const { 'x-smswire-encode': encode, description: _d, ...rest } = prop;
    if (encode !== undefined && !encodings.has(encode)) throw new SpecError(`${where}: unknown x-smswire-encode ${encode}`);
    if (encode === 'msisdn') throw new SpecError(`${where}: x-smswire-encode msisdn is only supported in form bodies`);
    if (zonedEncodings.has(encode) && typeof timeZone !== 'string') throw new SpecError(`${where}: ${encode} needs the spec's x-smswire-time-zone`);
    params[name] = {
      in: 'xml',
      required: required.has(name),
      schema: paramSchema(spec, rest, where),
      ...(encode ? { encode } : {}),
      ...(zonedEncodings.has(encode) ? { timeZone } : {}),
    };
  }
  for (const name of required) if (!params[name] && !injected.includes(name)) throw new SpecError(`${id}: required element ${name} is not a property`);
  return { params, fixed, security, injected, dependentRequired: undefined, requiredIf: undefined, jsonTypes: [] as OperationInfo['overrides'], xml: { root, shape }, credentialUnless: {} };
}

/**
 * The fields of an `application/x-www-form-urlencoded` body: each property is a parameter,
 * except credentials (`x-smswire-credential`) and constants (`const`), which the client fills in.
 */
function formBody(spec: Spec, id: string, op: Spec, credentials: Record<string, CredentialDefinition>) {
  const requestBody = resolve(spec, op.requestBody);
  const media = requestBody.content[formType];
  const schema = resolve(spec, need(media.schema, `${id}: request body schema`));
  if (schema.type !== 'object') throw new SpecError(`${id}: the form body schema must be an object`);
  checkBodyKeywords(schema, id, ['xml']);
  const timeZone = spec['x-smswire-time-zone'];
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const jsonTypes: OperationInfo['overrides'] = [];
  const credentialUnless: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries<Spec>(schema.properties ?? {})) {
    const prop = resolve(spec, raw);
    const where = `${id}.${name}`;
    const option = prop['x-smswire-credential'];
    if (option !== undefined) {
      security.push(bodyCredential(credentials, option, { in: 'form', name }, where));
      injected.push(name);
      const unless = prop['x-smswire-credential-unless'];
      if (unless !== undefined) {
        if (!Array.isArray(unless) || unless.length === 0 || !unless.every((n) => typeof n === 'string' && n !== name && Object.hasOwn(schema.properties, n))) {
          throw new SpecError(`${where}: x-smswire-credential-unless lists the body's other fields that stand in for the credential`);
        }
        credentialUnless[option] = unless;
      }
      continue;
    }
    if (prop.const !== undefined) {
      fixed[name] = String(prop.const);
      injected.push(name);
      continue;
    }
    if (typeof prop.description !== 'string' || prop.description.length < 3) throw new SpecError(`${where}: every form field needs a description`);
    if (prop.example === undefined) throw new SpecError(`${where}: every form field needs an example`);
    const { 'x-smswire-encode': encode, description: _d, ...rest } = prop;
    const explode = media.encoding?.[name]?.explode;
    let encoding: ParamDefinition['encode'];
    if (prop.contentMediaType !== undefined) {
      // JSON text in a form field (OpenAPI 3.1): checked and typed by its contentSchema.
      if (prop.contentMediaType !== 'application/json' || prop.type !== 'string') throw new SpecError(`${where}: only string fields with contentMediaType application/json are supported`);
      const ref = need(prop.contentSchema?.$ref, `${where}: contentSchema as a $ref to components/schemas`) as string;
      if (!ref.startsWith('#/components/schemas/')) throw new SpecError(`${where}: contentSchema must $ref a components schema`);
      if (encode !== undefined && encode !== 'json' && encode !== 'json-nested') throw new SpecError(`${where}: JSON text takes x-smswire-encode json or json-nested`);
      encodingCondition(prop, encode ?? 'json', where);
      jsonTypes.push({ name, required: required.has(name), type: `components['schemas'][${JSON.stringify(ref.slice('#/components/schemas/'.length))}]` });
      params[name] = { in: 'form', required: required.has(name), schema: paramSchema(spec, prop.contentSchema, where, true), encode: encode ?? 'json' };
      continue;
    }
    if (encode !== undefined) {
      if (!encodings.has(encode) && !textEncodings.has(encode)) throw new SpecError(`${where}: unknown x-smswire-encode ${encode}`);
      if (stringEncodings.has(encode) && explode === false) throw new SpecError(`${where}: x-smswire-encode ${encode} is for a single string, not a comma-joined list`);
      if (encode === 'msisdn' && prop.type !== 'string') throw new SpecError(`${where}: x-smswire-encode msisdn is for string fields`);
      if (zonedEncodings.has(encode) && typeof timeZone !== 'string') throw new SpecError(`${where}: ${encode} needs the spec's x-smswire-time-zone`);
      encoding = encode;
    } else if (explode === false) {
      encoding = 'csv';
    }
    const { 'x-smswire-encode-when': _w, 'x-smswire-encode-max-length': _m, ...checked } = rest;
    params[name] = {
      in: 'form',
      required: required.has(name),
      schema: stringEncodings.has(encode) ? { ...paramSchema(spec, checked, where), encode } : paramSchema(spec, checked, where),
      ...(encoding && !stringEncodings.has(encoding) ? { encode: encoding } : {}),
      ...(zonedEncodings.has(encoding as string) ? { timeZone } : {}),
      ...encodingCondition(prop, encoding, where),
    };
  }
  for (const name of required) if (!params[name] && !injected.includes(name)) throw new SpecError(`${id}: required form field ${name} is not a property`);
  const dependentRequired = schema.dependentRequired as Record<string, string[]> | undefined;
  for (const [key, names] of Object.entries(dependentRequired ?? {})) {
    for (const name of [key, ...names]) if (!params[name]) throw new SpecError(`${id}: dependentRequired names ${name}, which is not a parameter`);
  }
  for (const option of Object.keys(credentialUnless)) {
    const field = Object.keys(schema.properties).find((name) => resolve(spec, schema.properties[name])['x-smswire-credential'] === option)!;
    if (required.has(field)) throw new SpecError(`${id}.${field}: a credential sent only without its stand-ins cannot be required`);
  }
  const requiredIf = schema.if === undefined && schema.then === undefined ? undefined : conditional(id, schema, params);
  return { params, fixed, security, injected, dependentRequired, requiredIf, jsonTypes, xml: undefined, credentialUnless };
}

/** A body schema keyword the generator does not read would be a check that never happens. */
function checkBodyKeywords(schema: Spec, id: string, refused: string[]) {
  for (const key of Object.keys(schema)) {
    if (!bodyKeywords.has(key) || refused.includes(key)) throw new SpecError(`${id}: request body keyword ${key} is not supported`);
  }
}

/**
 * The one `if`/`then` shape the client checks: `if` gives one parameter a constant value (and
 * requires it, so leaving it out does not match), `then` only requires parameters (its
 * `properties` may name them with `true` or `{}`, which Redocly wants). No `else`.
 */
function conditional(id: string, schema: Spec, params: Record<string, ParamDefinition>): RequiredIf {
  const where = `${id}: if/then`;
  const cond = schema.if;
  const then = schema.then;
  if (cond === null || typeof cond !== 'object' || then === null || typeof then !== 'object') throw new SpecError(`${where} needs both, as objects`);
  const stray = [...Object.keys(cond).filter((k) => k !== 'properties' && k !== 'required'), ...Object.keys(then).filter((k) => k !== 'properties' && k !== 'required')];
  if (stray.length) throw new SpecError(`${where}: only properties and required are supported (found ${stray.join(', ')})`);
  const conditions = Object.entries<Spec>(cond.properties ?? {});
  if (conditions.length !== 1) throw new SpecError(`${where}: if.properties must give exactly one parameter its value`);
  const [name, sub] = conditions[0]!;
  if (!params[name]) throw new SpecError(`${where} names ${name}, which is not a parameter`);
  const keys = Object.keys(sub ?? {});
  if (keys.length !== 1 || keys[0] !== 'const' || !['string', 'number', 'boolean'].includes(typeof sub.const)) throw new SpecError(`${where}: if.properties.${name} must be just { const: <value> }`);
  if (!Array.isArray(cond.required) || cond.required.length !== 1 || cond.required[0] !== name) throw new SpecError(`${where}: if.required must be [${name}], so that leaving it out does not match`);
  const needed: unknown[] = then.required ?? [];
  if (needed.length === 0) throw new SpecError(`${where}: then.required lists nothing`);
  for (const name of needed) if (typeof name !== 'string' || !params[name]) throw new SpecError(`${where}: then requires ${String(name)}, which is not a parameter`);
  for (const [name, sub] of Object.entries<unknown>(then.properties ?? {})) {
    const empty = sub === true || (typeof sub === 'object' && sub !== null && Object.keys(sub).length === 0);
    if (!empty || !needed.includes(name)) throw new SpecError(`${where}: then.properties may only name required parameters, as true or {}`);
  }
  return { name, value: sub.const, required: needed as string[] };
}

/** An XML reply: its shape, and the root element the schema names (checked on every reply). */
function xmlReply(spec: Spec, raw: Spec, where: string): { shape: XmlShape; root?: string } {
  const root = merged(spec, raw).xml?.name;
  if (root !== undefined && typeof root !== 'string') throw new SpecError(`${where}: xml.name must be a string`);
  return { shape: xmlShape(spec, raw, where), ...(root ? { root } : {}) };
}

/** How the XML form of a schema maps onto its JSON shape (see XmlShape in core). */
function xmlShape(spec: Spec, raw: Spec, where: string, options: { request?: boolean } = {}, depth = 0): XmlShape {
  if (depth > 16) throw new SpecError(`${where}: the reply schema nests too deep (recursive?)`);
  const schema = merged(spec, raw);
  // Reply schemas may leave `type` out: Redocly would otherwise check the XML examples' text against `object`.
  const declared = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
  const type = declared ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return { type };
    case 'array': {
      const items = merged(spec, schema.items ?? {});
      const shape: XmlShape = { type: 'array', items: xmlShape(spec, items, `${where}[]`, options, depth + 1) };
      if (schema.xml?.wrapped) shape.item = need(items.xml?.name, `${where}: a wrapped XML list needs items.xml.name`);
      return shape;
    }
    case 'object': {
      const props: Record<string, XmlProperty> = {};
      for (const [name, rawProp] of Object.entries<Spec>(schema.properties ?? {})) {
        const prop = merged(spec, rawProp);
        const shape = xmlShape(spec, prop, `${where}.${name}`, options, depth + 1);
        // A list that is not wrapped repeats its item element in place.
        const repeated = (prop.type === 'array' || (!prop.type && prop.items)) && !prop.xml?.wrapped;
        const itemXml = repeated ? merged(spec, prop.items ?? {}).xml : undefined;
        const element = repeated ? (itemXml?.name ?? prop.xml?.name) : prop.xml?.name;
        const anyName = itemXml?.['x-smswire-any-name'];
        if (anyName !== undefined) {
          if (anyName !== true) throw new SpecError(`${where}.${name}: x-smswire-any-name may only be true`);
          if (options.request) throw new SpecError(`${where}.${name}: x-smswire-any-name is for replies; a request names its elements`);
          if (itemXml?.name !== undefined) throw new SpecError(`${where}.${name}: an item element with any name has no xml.name`);
          if (Object.values(props).some((p) => p.anyName)) throw new SpecError(`${where}: only one property may take elements of any name`);
        }
        props[name] = {
          ...(element && element !== name ? { name: element } : {}),
          ...(prop.xml?.attribute ? { attribute: true as const } : {}),
          ...(prop.xml?.['x-smswire-text'] ? { text: true as const } : {}),
          ...(anyName ? { anyName: true as const } : {}),
          shape,
        };
      }
      return { type: 'object', props };
    }
    default:
      return { type: 'string' };
  }
}

/** A schema with `$ref` resolved and `allOf` members merged (properties and required lists). */
function merged(spec: Spec, raw: Spec): Spec {
  // OpenAPI 3.1 allows keywords beside a `$ref` (e.g. `xml`); they apply on top of the target.
  if (typeof raw?.$ref === 'string' && Object.keys(raw).length > 1) {
    const { $ref, ...siblings } = raw;
    return { ...merged(spec, { $ref }), ...siblings };
  }
  const schema = resolve(spec, raw);
  if (!schema.allOf) return schema;
  const out: Spec = { ...schema, allOf: undefined, properties: { ...schema.properties }, required: [...(schema.required ?? [])] };
  for (const part of schema.allOf as Spec[]) {
    const member = merged(spec, part);
    out.type ??= member.type;
    out.xml ??= member.xml;
    Object.assign(out.properties, member.properties);
    out.required.push(...(member.required ?? []));
  }
  return out;
}

/** A parameter schema for validate.ts; `inJson`: inside a JSON-text field, where strings may carry `x-smswire-encode: msisdn`. */
function paramSchema(spec: Spec, raw: Spec, where: string, inJson = false): ParamSchema {
  const schema = resolve(spec, raw);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (documentationKeywords.has(key) || key === 'xml') continue;
    if (key === 'x-smswire-encode' && inJson) {
      if (value !== 'msisdn' || schema.type !== 'string') throw new SpecError(`${where}: inside JSON text, x-smswire-encode may only be msisdn, on a string`);
      out.encode = value;
      continue;
    }
    if (!supportedKeywords.has(key)) throw new SpecError(`${where}: schema keyword ${key} is not checked by the client`);
    if (key === 'type' && !checkedTypes.has(value as string)) throw new SpecError(`${where}: type ${JSON.stringify(value)} is not checked by the client`);
    if (key === 'pattern') {
      try {
        new RegExp(value as string, 'u');
      } catch {
        throw new SpecError(`${where}: pattern ${value} is not a valid (unicode) regular expression`);
      }
    }
    if (key === 'additionalProperties' && value !== false) throw new SpecError(`${where}: additionalProperties may only be false`);
    // validate.ts reads items only of an array and properties only of an object.
    if ((key === 'items' && schema.type !== 'array') || ((key === 'properties' || key === 'required') && schema.type !== 'object')) {
      throw new SpecError(`${where}: ${key} is only checked with type ${key === 'items' ? 'array' : 'object'}`);
    }
    if (key === 'anyOf') out[key] = (value as Spec[]).map((s, i) => paramSchema(spec, s, `${where}.anyOf[${i}]`, inJson));
    else if (key === 'items') out[key] = paramSchema(spec, value as Spec, `${where}[]`, inJson);
    else if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries<Spec>(value).map(([name, s]) => [name, paramSchema(spec, s, `${where}.${name}`, inJson)]));
    } else out[key] = value;
  }
  return out as ParamSchema;
}

function buildCodes(id: string, raw: Spec): Record<string, CodeDefinition> {
  const codes: Record<string, CodeDefinition> = {};
  for (const [code, entry] of Object.entries<Spec>(raw)) {
    // The client takes nothing else for a code, so that a sentence quoting the request never becomes one.
    if (!isCodeShaped(code)) throw new SpecError(`${id} code ${code}: a code is a number or a word like invalid_client`);
    if (entry.outcome !== 'success' && entry.outcome !== 'error') throw new SpecError(`${id} code ${code}: outcome must be success or error`);
    const description = need(entry.description, `${id} code ${code}: description`);
    const unknown = Object.keys(entry).filter((key) => !['outcome', 'description', 'retryable'].includes(key));
    if (unknown.length) throw new SpecError(`${id} code ${code}: unknown keys ${unknown.join(', ')} (unquoted comma?)`);
    codes[code] = entry.retryable === true
      ? { outcome: entry.outcome, description, retryable: true }
      : { outcome: entry.outcome, description };
  }
  return codes;
}

/**
 * Each code of the operation's own catalog has an example reply, and each example's code is in
 * the operation's catalog (its own and the vendor's). With both a JSON and an XML form, every
 * example exists in both, under the same name. Returns the codes the examples carry.
 */
function checkExamples(
  spec: Spec,
  id: string,
  reply: ReplyDefinition,
  codes: Record<string, CodeDefinition>,
  own: Record<string, CodeDefinition>,
  media: { type: string; examples: Spec }[],
): string[] {
  if (media.every((m) => Object.keys(m.examples).length === 0)) throw new SpecError(`${id}: the 200 reply needs examples`);
  const seen = new Set<string>();
  const names = new Map<string, Set<string>>();
  for (const { type, examples } of media) {
    for (const [name, raw] of Object.entries<Spec>(examples)) {
      const value = resolve(spec, raw).value;
      const key = type === 'application/json' || type === 'application/xml' ? type : 'other';
      if (!names.has(key)) names.set(key, new Set());
      names.get(key)!.add(name);
      const code = exampleCode(reply, type, value, codes);
      for (const found of code.all) {
        if (!Object.hasOwn(codes, found)) throw new SpecError(`${id}: example ${name} has code ${found}, which is not in x-smswire-codes`);
      }
      if (code.all[0] !== undefined) seen.add(code.all[0]);
    }
  }
  const missing = Object.keys(own).filter((code) => !seen.has(code));
  if (missing.length) throw new SpecError(`${id}: no example reply starts with code ${missing.join(', ')}`);
  if (reply.codec === 'json' && reply.xml) {
    const json = [...(names.get('application/json') ?? [])].sort().join();
    const xml = [...(names.get('application/xml') ?? [])].sort().join();
    if (json !== xml) throw new SpecError(`${id}: the JSON and XML replies need the same example names`);
  }
  return [...seen];
}

/**
 * A tolerated defect is one the operation's documented replies show: each listed defect appears
 * in at least one of its example replies, so a defect is read only where the vendor showed it.
 */
function checkDefects(spec: Spec, id: string, tolerate: readonly string[], media: { type: string; examples: Spec }[]) {
  const texts = media.flatMap(({ examples }) => Object.values<Spec>(examples).map((raw) => String(resolve(spec, raw).value)));
  const shows: Record<string, (text: string) => boolean> = {
    'unclosed-text': (text) => /<([A-Za-z_][\w.-]*)>[^<]*<\1>/.test(text),
    // Not one element from start to end: the first element's end is not the reply's.
    rootless: (text) => {
      const body = text.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
      const first = /^<([A-Za-z_][\w.-]*)/.exec(body)?.[1];
      return first !== undefined && !body.endsWith(`</${first}>`);
    },
  };
  for (const defect of tolerate) {
    if (!texts.some((text) => shows[defect]!(text))) throw new SpecError(`${id}: x-smswire-xml-tolerate lists ${defect}, which no example reply shows`);
  }
}

/** The codes an example reply carries, read without the client's codecs. */
function exampleCode(reply: ReplyDefinition, type: string, value: unknown, codes: Record<string, CodeDefinition>): { all: string[] } {
  const text = String(value);
  switch (reply.codec) {
    case 'json':
    case 'xml': {
      const status = reply.status;
      if (typeof value === 'string') {
        if (Object.hasOwn(codes, text.trim())) return { all: [text.trim()] };
        if (status === undefined) return { all: [] };
        const match = new RegExp(`<${status}>([^<]*)</${status}>`).exec(text);
        return { all: match ? [match[1]!.trim()] : [] };
      }
      const field = status === undefined ? undefined : (value as Spec)?.[status];
      return { all: field === undefined ? [] : [String(field)] };
    }
    case 'code':
      return { all: [text.trim().replace(/^Result:\s*/i, '')] };
    case 'scalar':
      // With `negative: code`, a negative reply is a code, so it must be in the catalog.
      return { all: Object.hasOwn(codes, text.trim()) || (reply.negative === 'code' && text.trim().startsWith('-')) ? [text.trim()] : [] };
    case 'pipe':
      return { all: text.split(/[\r\n,]+/).filter((e) => e.trim()).map((e) => e.split('|')[0]!.trim()) };
  }
  void type;
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new SpecError(`missing ${what}`);
  return value;
}
