import type { ParamDefinition, ParamSchema } from '../../packages/core/src/vendor-definition.js';
import { checkSchema, supportedKeywords } from '../../packages/core/src/validate.js';
import { ext, resolve, type Schema, type Spec, SpecError } from './spec.js';

/** Schema keywords that document but do not constrain; dropped from the runtime table. */
const documentationKeywords = new Set(['example', 'examples', 'title', 'default']);
/** The parameter types validate.ts checks. */
const checkedTypes = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);
/** `x-smswire-encode` values of a form field or XML element (JSON text has its own, see form-body.ts). */
export const encodings = new Set(['unix-seconds', 'dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm', 'msisdn']);
/** Encodings that rewrite a string wherever it is (core's `ParamSchema.encode`), not the way a field is written. */
export const stringEncodings = new Set(['msisdn']);
/** Date encodings written in the spec's `x-smswire-time-zone`. */
export const zonedEncodings = new Set(['dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm']);
/** Encodings of text that core writes into a query parameter or form field (request.ts). */
export const textEncodings = new Set(['ucs2-hex']);

/** A parameter schema for validate.ts; `inJson`: inside a JSON-text field, where strings may carry `x-smswire-encode: msisdn`. */
export function paramSchema(spec: Spec, raw: Schema, where: string, inJson = false): ParamSchema {
  const schema = resolve(spec, raw);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (documentationKeywords.has(key) || key === 'xml') continue;
    if (key === 'x-smswire-encode' && inJson) {
      if (value !== 'msisdn' || schema.type !== 'string')
        throw new SpecError(`${where}: inside JSON text, x-smswire-encode may only be msisdn, on a string`);
      out.encode = value;
      continue;
    }
    if (!supportedKeywords.has(key))
      throw new SpecError(`${where}: schema keyword ${key} is not checked by the client`);
    if (key === 'type' && !checkedTypes.has(value as string))
      throw new SpecError(`${where}: type ${JSON.stringify(value)} is not checked by the client`);
    if (key === 'pattern') {
      try {
        new RegExp(value as string, 'u');
      } catch {
        throw new SpecError(`${where}: pattern ${value} is not a valid (unicode) regular expression`);
      }
    }
    if (key === 'additionalProperties' && value !== false)
      throw new SpecError(`${where}: additionalProperties may only be false`);
    // validate.ts reads items only of an array and properties only of an object.
    if (
      (key === 'items' && schema.type !== 'array') ||
      ((key === 'properties' || key === 'required') && schema.type !== 'object')
    ) {
      throw new SpecError(`${where}: ${key} is only checked with type ${key === 'items' ? 'array' : 'object'}`);
    }
    if (key === 'anyOf')
      out[key] = (value as Schema[]).map((s, i) => paramSchema(spec, s, `${where}.anyOf[${i}]`, inJson));
    else if (key === 'items') out[key] = paramSchema(spec, value as Schema, `${where}[]`, inJson);
    else if (key === 'properties') {
      out[key] = Object.fromEntries(
        Object.entries<Schema>(value).map(([name, s]) => [name, paramSchema(spec, s, `${where}.${name}`, inJson)]),
      );
    } else out[key] = value;
  }
  return out as ParamSchema;
}

/** The query parameters of a GET operation (path-item ones first). */
export function queryParams(spec: Spec, id: string, raws: unknown[]): Record<string, ParamDefinition> {
  const params: Record<string, ParamDefinition> = {};
  for (const raw of raws) {
    const param = resolve(spec, raw) as Schema;
    if (param.in !== 'query')
      throw new SpecError(`${id}: parameter ${param.name} is in ${param.in}; only query is supported`);
    const where = `${id}.${param.name}`;
    const explicit = ext(param, 'x-smswire-encode');
    if (explicit !== undefined && !textEncodings.has(explicit))
      throw new SpecError(`${where}: unknown x-smswire-encode ${explicit} for a query parameter`);
    if ((param.style ?? 'form') !== 'form') throw new SpecError(`${where}: only style form is supported`);
    // OpenAPI's comma-joined list (`style: form, explode: false`); exploded lists (`to=a&to=b`) no vendor takes.
    const csv = param.explode === false;
    if (csv && explicit !== undefined)
      throw new SpecError(`${where}: x-smswire-encode ${explicit} is for a single string, not a comma-joined list`);
    const encode = csv ? 'csv' : explicit;
    const schema = paramSchema(spec, param.schema ?? {}, where);
    if (csv) checkListLimit(schema, param.example, where);
    params[param.name] = {
      in: 'query',
      required: param.required === true,
      schema,
      ...(encode ? { encode: encode as NonNullable<ParamDefinition['encode']> } : {}),
      ...encodingCondition(param, explicit, where),
    };
  }
  return params;
}

/**
 * `x-smswire-encode-when` (the encoding applies only when other parameters have the listed
 * values) and `x-smswire-encode-max-length` (UTF-16 code units while `ucs2-hex` applies) of a
 * query parameter or form field.
 */
export function encodingCondition(
  node: Schema,
  encode: unknown,
  where: string,
): Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> {
  const when = ext(node, 'x-smswire-encode-when');
  const max = ext(node, 'x-smswire-encode-max-length');
  const out: Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> = {};
  if (when !== undefined) {
    if (!textEncodings.has(encode as string))
      throw new SpecError(
        `${where}: x-smswire-encode-when needs a text x-smswire-encode (${[...textEncodings].join(', ')})`,
      );
    const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
    if (
      when === null ||
      typeof when !== 'object' ||
      Array.isArray(when) ||
      Object.keys(when).length === 0 ||
      !Object.values(when).every((values) => Array.isArray(values) && values.length > 0 && values.every(scalar))
    ) {
      throw new SpecError(`${where}: x-smswire-encode-when maps parameter names to non-empty lists of values`);
    }
    out.encodeWhen = when;
  }
  if (max !== undefined) {
    if (encode !== 'ucs2-hex')
      throw new SpecError(
        `${where}: x-smswire-encode-max-length counts UTF-16 code units and needs x-smswire-encode: ucs2-hex`,
      );
    if (!Number.isInteger(max) || max < 1)
      throw new SpecError(`${where}: x-smswire-encode-max-length must be a positive integer`);
    out.encodeMaxLength = max;
  }
  return out;
}

/** Each `x-smswire-encode-when` names another parameter of the operation, with values it accepts. */
export function checkEncodingConditions(id: string, params: Record<string, ParamDefinition>) {
  for (const [name, param] of Object.entries(params)) {
    for (const [other, values] of Object.entries(param.encodeWhen ?? {})) {
      const target = params[other];
      if (!target || other === name)
        throw new SpecError(`${id}.${name}: x-smswire-encode-when names ${other}, which is not another parameter`);
      const refused = values.filter((value) => checkSchema(target.schema, value) !== undefined);
      if (refused.length)
        throw new SpecError(
          `${id}.${name}: x-smswire-encode-when lists ${refused.join(', ')}, which ${other} does not accept`,
        );
    }
  }
}

/**
 * A comma-joined list written both ways (`anyOf` a comma-separated string and an array) must
 * take the same number of items either way: the array's `maxItems` is the limit (what
 * `@smswire/sms` reads), and the string form, which only a pattern can bound, must refuse one
 * item more and take that many. Checked with the example's first item repeated.
 */
export function checkListLimit(schema: ParamSchema, example: unknown, where: string) {
  const array = schema.anyOf?.find((s) => s.type === 'array');
  const text = schema.anyOf?.find((s) => s.type === 'string');
  const max = array?.maxItems;
  if (max === undefined || !text) return;
  const item = String(example ?? '').split(',')[0] ?? '';
  const list = (n: number) => Array.from({ length: n }, () => item).join(',');
  if (
    checkSchema(
      array!,
      Array.from({ length: max }, () => item),
    ) !== undefined ||
    checkSchema(text, list(max))
  )
    throw new SpecError(`${where}: the example's first item, ${max} times, should pass both forms of the list`);
  if (checkSchema(text, list(max + 1)) === undefined)
    throw new SpecError(
      `${where}: the comma-separated form takes more than the list form's maxItems (${max}); bound it with its pattern`,
    );
}
