import type {
  CodeDefinition,
  CredentialDefinition,
  OperationDefinition,
  ParamDefinition,
  ParamSchema,
  ReplyDefinition,
  VendorDefinition,
} from '../../packages/core/src/index.js';
import { supportedKeywords } from '../../packages/core/src/index.js';
import type { Spec } from './vendors.js';

/** Everything the generator learns about one operation, beyond the runtime table. */
export interface OperationInfo {
  id: string;
  definition: OperationDefinition;
  summary: string;
  description: string;
  /** Media type of the success reply, for the result type. */
  mediaType: string;
  /** `x-smswire-decode` fields and whether the schema requires them. */
  decoded: { field: string; as: 'epoch-ms' }[];
  hasParams: boolean;
}

export class SpecError extends Error {
  override name = 'SpecError';
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Schema keywords that document but do not constrain; dropped from the runtime table. */
const documentationKeywords = new Set(['example', 'examples', 'title']);
/** The parameter types validate.ts checks. */
const checkedTypes = new Set(['string', 'integer', 'number', 'boolean']);

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
  for (const [scheme, raw] of Object.entries<Spec>(spec.components?.securitySchemes ?? {})) {
    const def = resolve(spec, raw);
    const option = def['x-smswire-credential'];
    if (typeof option !== 'string') throw new SpecError(`securityScheme ${scheme} needs x-smswire-credential`);
    if (def.type !== 'apiKey' || def.in !== 'query') throw new SpecError(`securityScheme ${scheme}: only apiKey in query is supported`);
    credentials[option] = { in: 'query', name: def.name };
    schemeToOption.set(scheme, option);
  }

  const operations: OperationInfo[] = [];
  for (const [path, item] of Object.entries<Spec>(spec.paths ?? {})) {
    for (const method of methods.filter((m) => item[m])) {
      const op = item[method] as Spec;
      const where = `${method.toUpperCase()} ${path}`;
      if (method !== 'get') throw new SpecError(`${where}: only GET operations are supported so far`);
      const id = need(op.operationId, `${where}: operationId`);
      operations.push(buildOperation(spec, { id, path, op, item, where, schemeToOption }));
    }
  }
  const definition: VendorDefinition = {
    vendor,
    servers: (spec.servers ?? []).map((s: Spec) => s.url as string),
    credentials,
    operations: Object.fromEntries(operations.map((o) => [o.id, o.definition])),
  };
  if (definition.servers.length === 0) throw new SpecError('the spec needs at least one server');
  return { definition, operations };
}

interface OperationSource {
  id: string;
  path: string;
  op: Spec;
  item: Spec;
  where: string;
  schemeToOption: Map<string, string>;
}

function buildOperation(spec: Spec, { id, path, op, item, where, schemeToOption }: OperationSource): OperationInfo {
  const kind = op['x-smswire-kind'];
  if (kind !== 'read' && kind !== 'write') throw new SpecError(`${id}: x-smswire-kind must be read or write`);

  const params: Record<string, ParamDefinition> = {};
  for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = resolve(spec, raw);
    if (param.in !== 'query') throw new SpecError(`${id}: parameter ${param.name} is in ${param.in}; only query is supported`);
    params[param.name] = { in: 'query', required: param.required === true, schema: paramSchema(spec, param.schema ?? {}, `${id}.${param.name}`) };
  }

  const requirements: Spec[] = op.security ?? spec.security ?? [];
  if (requirements.length > 1) throw new SpecError(`${id}: alternative security requirements are not supported`);
  const security = Object.keys(requirements[0] ?? {}).map((scheme) =>
    need(schemeToOption.get(scheme), `${id}: security scheme ${scheme}`),
  );
  for (const scheme of Object.keys(requirements[0] ?? {})) {
    const wireName = resolve(spec, spec.components.securitySchemes[scheme]).name;
    if (Object.hasOwn(params, wireName)) throw new SpecError(`${id}: parameter ${wireName} collides with the credential of the same name`);
  }

  const ok = resolve(spec, need(op.responses?.['200'], `${where}: a 200 response`));
  const [mediaType, media] = Object.entries<Spec>(need(ok.content, `${id}: 200 content`))[0] ?? [];
  const replyExt = need(op['x-smswire-reply'], `${id}: x-smswire-reply`);
  const codes = buildCodes(id, op['x-smswire-codes'] ?? {});
  const decoded: OperationInfo['decoded'] = [];
  let reply: ReplyDefinition;
  switch (replyExt.codec) {
    case 'json': {
      const schema = resolve(spec, media?.schema ?? {});
      for (const [field, prop] of Object.entries<Spec>(schema.properties ?? {})) {
        const as = resolve(spec, prop)['x-smswire-decode'];
        if (as === undefined) continue;
        if (as !== 'epoch-ms') throw new SpecError(`${id}.${field}: unknown x-smswire-decode ${as}`);
        decoded.push({ field, as });
      }
      const status = need(replyExt.status, `${id}: x-smswire-reply.status`);
      reply = decoded.length
        ? { codec: 'json', status, decode: Object.fromEntries(decoded.map((d) => [d.field, d.as])) }
        : { codec: 'json', status };
      break;
    }
    case 'pipe':
    case 'scalar':
      reply = { codec: replyExt.codec };
      break;
    default:
      throw new SpecError(`${id}: unknown reply codec ${replyExt.codec}`);
  }
  if (reply.codec !== 'scalar' && Object.keys(codes).length === 0) throw new SpecError(`${id}: x-smswire-codes is empty`);
  checkExamples(id, reply, codes, media?.examples ?? {});

  const definition: OperationDefinition = {
    method: 'get',
    path,
    kind,
    ...(op.servers ? { servers: op.servers.map((s: Spec) => s.url as string) } : {}),
    security,
    params,
    reply,
    codes,
  };
  return {
    id,
    definition,
    summary: need(op.summary, `${id}: summary`),
    description: op.description ?? '',
    mediaType: need(mediaType, `${id}: a 200 media type`),
    decoded,
    hasParams: Object.keys(params).length > 0,
  };
}

function paramSchema(spec: Spec, raw: Spec, where: string): ParamSchema {
  const schema = resolve(spec, raw);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (documentationKeywords.has(key)) continue;
    if (!supportedKeywords.has(key)) throw new SpecError(`${where}: schema keyword ${key} is not checked by the client`);
    if (key === 'type' && !checkedTypes.has(value as string)) throw new SpecError(`${where}: type ${JSON.stringify(value)} is not checked by the client`);
    if (key === 'pattern') {
      try {
        new RegExp(value as string, 'u');
      } catch {
        throw new SpecError(`${where}: pattern ${value} is not a valid (unicode) regular expression`);
      }
    }
    out[key] = key === 'anyOf' ? (value as Spec[]).map((s, i) => paramSchema(spec, s, `${where}.anyOf[${i}]`)) : value;
  }
  return out as ParamSchema;
}

function buildCodes(id: string, raw: Spec): Record<string, CodeDefinition> {
  const codes: Record<string, CodeDefinition> = {};
  for (const [code, entry] of Object.entries<Spec>(raw)) {
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

/** Each catalog code has an example reply and each example's code is in the catalog. */
function checkExamples(id: string, reply: ReplyDefinition, codes: Record<string, CodeDefinition>, examples: Spec) {
  if (Object.keys(examples).length === 0) throw new SpecError(`${id}: the 200 reply needs examples`);
  const seen = new Set<string>();
  for (const [name, example] of Object.entries<Spec>(examples)) {
    const value = example.value;
    const found: string[] = [];
    if (reply.codec === 'json') found.push(String(value?.[reply.status]));
    if (reply.codec === 'pipe') {
      for (const entry of String(value).split(/[\r\n,]+/)) if (entry.trim()) found.push(entry.split('|')[0]!.trim());
    }
    for (const code of found) {
      if (!Object.hasOwn(codes, code)) throw new SpecError(`${id}: example ${name} has code ${code}, which is not in x-smswire-codes`);
    }
    if (found[0] !== undefined) seen.add(found[0]);
  }
  const missing = Object.keys(codes).filter((code) => !seen.has(code));
  if (missing.length) throw new SpecError(`${id}: no example reply starts with code ${missing.join(', ')}`);
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new SpecError(`missing ${what}`);
  return value;
}
