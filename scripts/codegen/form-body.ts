import type { CredentialDefinition, ParamDefinition, RequiredIf } from '../../packages/core/src/vendor-definition.js';
import { type Body, bodyCredential, checkBodyKeywords, type TypeOverride } from './body.js';
import { componentName, deref, isScalar, type Operation, type Schema, type Spec } from './model.js';
import {
  checkListLimit,
  encodingCondition,
  isEncoding,
  isTextEncoding,
  paramSchema,
  stringEncodings,
  zonedEncodings,
} from './params.js';
import { formType, need, SpecError } from './spec.js';

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
  const requestBody = need(op.requestBody, `${id}: requestBody`);
  const media = need(requestBody.content[formType], `${id}: ${formType} body`);
  const schema = deref(need(media.schema, `${id}: request body schema`));
  if (schema.type !== 'object') throw new SpecError(`${id}: the form body schema must be an object`);
  checkBodyKeywords(schema, id, ['xml']);
  const { timeZone } = spec;
  const properties = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const jsonTypes: TypeOverride[] = [];
  const credentialUnless: Record<string, string[]> = {};
  for (const [name, raw] of Object.entries(properties)) {
    const prop = deref(raw);
    const where = `${id}.${name}`;
    const option = prop.credential;
    if (option !== undefined) {
      security.push(bodyCredential(credentials, option, { in: 'form', name }, where));
      injected.push(name);
      const unless = prop.credentialUnless;
      if (unless !== undefined) {
        if (!unless.every((n) => n !== name && Object.hasOwn(properties, n))) {
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
    const encode = prop.encode;
    const explode = media.encoding[name]?.explode;
    // `msisdn` rewrites the string wherever it is (the schema's `encode`), not how the field is written.
    let encoding: ParamDefinition['encode'] | 'msisdn';
    if (prop.contentMediaType !== undefined) {
      // JSON text in a form field (OpenAPI 3.1): checked and typed by its contentSchema.
      if (prop.contentMediaType !== 'application/json' || prop.type !== 'string')
        throw new SpecError(`${where}: only string fields with contentMediaType application/json are supported`);
      const ref = need(prop.contentSchema?.ref, `${where}: contentSchema as a $ref to components/schemas`);
      const component = componentName(prop.contentSchema);
      if (!ref.startsWith('#/components/schemas/') || component === undefined)
        throw new SpecError(`${where}: contentSchema must $ref a components schema`);
      if (encode !== undefined && encode !== 'json' && encode !== 'json-nested')
        throw new SpecError(`${where}: JSON text takes x-smswire-encode json or json-nested`);
      encodingCondition(prop, encode ?? 'json', where);
      jsonTypes.push({
        name,
        required: required.has(name),
        type: { component },
      });
      params[name] = {
        in: 'form',
        required: required.has(name),
        schema: paramSchema(prop.contentSchema!, where, true),
        encode: encode ?? 'json',
      };
      continue;
    }
    if (encode !== undefined) {
      if (!isEncoding(encode) && !isTextEncoding(encode))
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
    const fieldSchema = paramSchema(prop, where, false, [
      'description',
      'x-smswire-encode',
      'x-smswire-encode-when',
      'x-smswire-encode-max-length',
    ]);
    if (encoding === 'csv') checkListLimit(fieldSchema, prop.example, where);
    params[name] = {
      in: 'form',
      required: required.has(name),
      schema: encode === 'msisdn' ? { ...fieldSchema, encode } : fieldSchema,
      ...(encoding && encoding !== 'msisdn' ? { encode: encoding } : {}),
      ...(encoding !== undefined && zonedEncodings.has(encoding) ? { timeZone: timeZone! } : {}),
      ...encodingCondition(prop, encoding, where),
    };
  }
  for (const name of required)
    if (!params[name] && !injected.includes(name))
      throw new SpecError(`${id}: required form field ${name} is not a property`);
  const { dependentRequired } = schema;
  for (const [key, names] of Object.entries(dependentRequired ?? {})) {
    for (const name of [key, ...names])
      if (!params[name]) throw new SpecError(`${id}: dependentRequired names ${name}, which is not a parameter`);
  }
  for (const option of Object.keys(credentialUnless)) {
    const field = Object.keys(properties).find((name) => deref(properties[name]!).credential === option)!;
    if (required.has(field))
      throw new SpecError(`${id}.${field}: a credential sent only without its stand-ins cannot be required`);
  }
  const requiredIf =
    schema.ifSchema === undefined && schema.thenSchema === undefined ? undefined : conditional(id, schema, params);
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
  const cond = schema.ifSchema;
  const then = schema.thenSchema;
  if (cond === undefined || cond.boolean !== undefined || then === undefined || then.boolean !== undefined)
    throw new SpecError(`${where} needs both, as objects`);
  const stray = [
    ...cond.keywords.filter((k) => k !== 'properties' && k !== 'required'),
    ...then.keywords.filter((k) => k !== 'properties' && k !== 'required'),
  ];
  if (stray.length)
    throw new SpecError(`${where}: only properties and required are supported (found ${stray.join(', ')})`);
  const conditions = Object.entries(cond.properties ?? {});
  if (conditions.length !== 1) throw new SpecError(`${where}: if.properties must give exactly one parameter its value`);
  const [name, sub] = conditions[0]!;
  if (!params[name]) throw new SpecError(`${where} names ${name}, which is not a parameter`);
  const value = sub.const;
  if (sub.keywords.length !== 1 || sub.keywords[0] !== 'const' || !isScalar(value))
    throw new SpecError(`${where}: if.properties.${name} must be just { const: <value> }`);
  if (cond.required?.length !== 1 || cond.required[0] !== name)
    throw new SpecError(`${where}: if.required must be [${name}], so that leaving it out does not match`);
  const needed = then.required ?? [];
  if (needed.length === 0) throw new SpecError(`${where}: then.required lists nothing`);
  for (const name of needed)
    if (!params[name]) throw new SpecError(`${where}: then requires ${name}, which is not a parameter`);
  for (const [name, sub] of Object.entries(then.properties ?? {})) {
    const empty = sub.boolean === true || (sub.boolean === undefined && sub.keywords.length === 0);
    if (!empty || !needed.includes(name))
      throw new SpecError(`${where}: then.properties may only name required parameters, as true or {}`);
  }
  return { name, value, required: needed };
}

/**
 * The one `anyOf` shape the client checks on a body: branches of only `required`, each naming
 * parameters, none required by the body itself (that branch would always hold).
 */
function requiredSets(id: string, anyOf: Schema[], params: Record<string, ParamDefinition>): string[][] {
  const where = `${id}: anyOf`;
  if (anyOf.length < 2) throw new SpecError(`${where} needs at least two branches`);
  return anyOf.map((branch) => {
    const names = branch.required;
    if (branch.keywords.length !== 1 || branch.keywords[0] !== 'required' || !names || names.length === 0)
      throw new SpecError(`${where}: each branch may only be { required: [<parameter>, …] }`);
    for (const name of names)
      if (!params[name]) throw new SpecError(`${where} requires ${name}, which is not a parameter`);
    if (names.every((name) => params[name]!.required))
      throw new SpecError(`${where}: a branch of required parameters always holds`);
    return names;
  });
}
