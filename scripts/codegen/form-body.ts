import type { CredentialDefinition, ParamDefinition, RequiredIf } from '../../packages/core/src/vendor-definition.js';
import { type Body, bodyCredential, checkBodyKeywords, type TypeOverride } from './body.js';
import {
  checkListLimit,
  encodingCondition,
  encodings,
  paramSchema,
  stringEncodings,
  textEncodings,
  zonedEncodings,
} from './params.js';
import { ext, formType, need, type Operation, resolve, type Schema, type Spec, SpecError } from './spec.js';

/**
 * The fields of an `application/x-www-form-urlencoded` body: each property is a parameter,
 * except credentials (`x-smswire-credential`) and constants (`const`), which the client fills in.
 */
export function formBody(
  spec: Spec,
  id: string,
  op: Operation,
  credentials: Record<string, CredentialDefinition>,
): Body {
  const requestBody = resolve(spec, need(op.requestBody, `${id}: requestBody`));
  const media = resolve(spec, need(requestBody.content[formType], `${id}: ${formType} body`));
  const schema: Schema = resolve(spec, need(media.schema, `${id}: request body schema`));
  if (schema.type !== 'object') throw new SpecError(`${id}: the form body schema must be an object`);
  checkBodyKeywords(schema, id, ['xml']);
  const timeZone = ext(spec, 'x-smswire-time-zone');
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const jsonTypes: TypeOverride[] = [];
  const credentialUnless: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries<Schema>(schema.properties ?? {})) {
    const prop = resolve(spec, raw);
    const where = `${id}.${name}`;
    const option = ext(prop, 'x-smswire-credential');
    if (option !== undefined) {
      security.push(bodyCredential(credentials, option, { in: 'form', name }, where));
      injected.push(name);
      const unless = ext(prop, 'x-smswire-credential-unless');
      if (unless !== undefined) {
        if (
          !Array.isArray(unless) ||
          unless.length === 0 ||
          !unless.every((n) => typeof n === 'string' && n !== name && Object.hasOwn(schema.properties, n))
        ) {
          throw new SpecError(
            `${where}: x-smswire-credential-unless lists the body's other fields that stand in for the credential`,
          );
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
    if (typeof prop.description !== 'string' || prop.description.length < 3)
      throw new SpecError(`${where}: every form field needs a description`);
    if (prop.example === undefined) throw new SpecError(`${where}: every form field needs an example`);
    const { 'x-smswire-encode': encode, description: _d, ...rest } = prop;
    const explode: unknown = media.encoding?.[name]?.explode;
    let encoding: ParamDefinition['encode'];
    if (prop.contentMediaType !== undefined) {
      // JSON text in a form field (OpenAPI 3.1): checked and typed by its contentSchema.
      if (prop.contentMediaType !== 'application/json' || prop.type !== 'string')
        throw new SpecError(`${where}: only string fields with contentMediaType application/json are supported`);
      const ref = need(prop.contentSchema?.$ref, `${where}: contentSchema as a $ref to components/schemas`) as string;
      if (!ref.startsWith('#/components/schemas/'))
        throw new SpecError(`${where}: contentSchema must $ref a components schema`);
      if (encode !== undefined && encode !== 'json' && encode !== 'json-nested')
        throw new SpecError(`${where}: JSON text takes x-smswire-encode json or json-nested`);
      encodingCondition(prop, encode ?? 'json', where);
      jsonTypes.push({
        name,
        required: required.has(name),
        type: `components['schemas'][${JSON.stringify(ref.slice('#/components/schemas/'.length))}]`,
      });
      params[name] = {
        in: 'form',
        required: required.has(name),
        schema: paramSchema(spec, prop.contentSchema, where, true),
        encode: encode ?? 'json',
      };
      continue;
    }
    if (encode !== undefined) {
      if (!encodings.has(encode) && !textEncodings.has(encode))
        throw new SpecError(`${where}: unknown x-smswire-encode ${encode}`);
      if (stringEncodings.has(encode) && explode === false)
        throw new SpecError(`${where}: x-smswire-encode ${encode} is for a single string, not a comma-joined list`);
      if (encode === 'msisdn' && prop.type !== 'string')
        throw new SpecError(`${where}: x-smswire-encode msisdn is for string fields`);
      if (zonedEncodings.has(encode) && typeof timeZone !== 'string')
        throw new SpecError(`${where}: ${encode} needs the spec's x-smswire-time-zone`);
      encoding = encode;
    } else if (explode === false) {
      encoding = 'csv';
    }
    const { 'x-smswire-encode-when': _w, 'x-smswire-encode-max-length': _m, ...checked } = rest;
    const fieldSchema = paramSchema(spec, checked, where);
    if (encoding === 'csv') checkListLimit(fieldSchema, prop.example, where);
    params[name] = {
      in: 'form',
      required: required.has(name),
      schema: stringEncodings.has(encode) ? { ...fieldSchema, encode } : fieldSchema,
      ...(encoding && !stringEncodings.has(encoding) ? { encode: encoding } : {}),
      ...(zonedEncodings.has(encoding as string) ? { timeZone: timeZone! } : {}),
      ...encodingCondition(prop, encoding, where),
    };
  }
  for (const name of required)
    if (!params[name] && !injected.includes(name))
      throw new SpecError(`${id}: required form field ${name} is not a property`);
  const dependentRequired = schema.dependentRequired as Record<string, string[]> | undefined;
  for (const [key, names] of Object.entries(dependentRequired ?? {})) {
    for (const name of [key, ...names])
      if (!params[name]) throw new SpecError(`${id}: dependentRequired names ${name}, which is not a parameter`);
  }
  for (const option of Object.keys(credentialUnless)) {
    const field = Object.keys(schema.properties).find(
      (name) => ext(resolve(spec, schema.properties[name]), 'x-smswire-credential') === option,
    )!;
    if (required.has(field))
      throw new SpecError(`${id}.${field}: a credential sent only without its stand-ins cannot be required`);
  }
  const requiredIf = schema.if === undefined && schema.then === undefined ? undefined : conditional(id, schema, params);
  const requiredAnyOf = schema.anyOf === undefined ? undefined : requiredSets(id, schema.anyOf, params);
  return {
    params,
    fixed,
    security,
    injected,
    ...(dependentRequired ? { dependentRequired } : {}),
    ...(requiredIf ? { requiredIf } : {}),
    ...(requiredAnyOf ? { requiredAnyOf } : {}),
    jsonTypes,
    credentialUnless,
  };
}

/**
 * The one `if`/`then` shape the client checks: `if` gives one parameter a constant value (and
 * requires it, so leaving it out does not match), `then` only requires parameters (its
 * `properties` may name them with `true` or `{}`, which Redocly wants). No `else`.
 */
function conditional(id: string, schema: Schema, params: Record<string, ParamDefinition>): RequiredIf {
  const where = `${id}: if/then`;
  const cond = schema.if;
  const then = schema.then;
  if (cond === null || typeof cond !== 'object' || then === null || typeof then !== 'object')
    throw new SpecError(`${where} needs both, as objects`);
  const stray = [
    ...Object.keys(cond).filter((k) => k !== 'properties' && k !== 'required'),
    ...Object.keys(then).filter((k) => k !== 'properties' && k !== 'required'),
  ];
  if (stray.length)
    throw new SpecError(`${where}: only properties and required are supported (found ${stray.join(', ')})`);
  const conditions = Object.entries<Schema>(cond.properties ?? {});
  if (conditions.length !== 1) throw new SpecError(`${where}: if.properties must give exactly one parameter its value`);
  const [name, sub] = conditions[0]!;
  if (!params[name]) throw new SpecError(`${where} names ${name}, which is not a parameter`);
  const keys = Object.keys(sub ?? {});
  if (keys.length !== 1 || keys[0] !== 'const' || !['string', 'number', 'boolean'].includes(typeof sub.const))
    throw new SpecError(`${where}: if.properties.${name} must be just { const: <value> }`);
  if (!Array.isArray(cond.required) || cond.required.length !== 1 || cond.required[0] !== name)
    throw new SpecError(`${where}: if.required must be [${name}], so that leaving it out does not match`);
  const needed: unknown[] = then.required ?? [];
  if (needed.length === 0) throw new SpecError(`${where}: then.required lists nothing`);
  for (const name of needed)
    if (typeof name !== 'string' || !params[name])
      throw new SpecError(`${where}: then requires ${String(name)}, which is not a parameter`);
  for (const [name, sub] of Object.entries<unknown>(then.properties ?? {})) {
    const empty = sub === true || (typeof sub === 'object' && sub !== null && Object.keys(sub).length === 0);
    if (!empty || !needed.includes(name))
      throw new SpecError(`${where}: then.properties may only name required parameters, as true or {}`);
  }
  return { name, value: sub.const, required: needed as string[] };
}

/**
 * The one `anyOf` shape the client checks on a body: branches of only `required`, each naming
 * parameters, none required by the body itself (that branch would always hold).
 */
function requiredSets(id: string, anyOf: unknown, params: Record<string, ParamDefinition>): string[][] {
  const where = `${id}: anyOf`;
  if (!Array.isArray(anyOf) || anyOf.length < 2) throw new SpecError(`${where} needs at least two branches`);
  return anyOf.map((branch: Schema) => {
    const keys = Object.keys(branch ?? {});
    const names: unknown = branch?.required;
    if (keys.length !== 1 || keys[0] !== 'required' || !Array.isArray(names) || names.length === 0)
      throw new SpecError(`${where}: each branch may only be { required: [<parameter>, …] }`);
    for (const name of names)
      if (typeof name !== 'string' || !params[name])
        throw new SpecError(`${where} requires ${String(name)}, which is not a parameter`);
    if (names.every((name: string) => params[name]!.required))
      throw new SpecError(`${where}: a branch of required parameters always holds`);
    return names as string[];
  });
}
