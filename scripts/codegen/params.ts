import type { ParamDefinition, ParamSchema } from '../../packages/core/src/vendor-definition.js';
import { checkSchema, supportedKeywords } from '../../packages/core/src/validate.js';
import { deref, type Encoding, isScalar, type Parameter, type Schema } from './model.js';
import { SpecError } from './spec.js';

/** Schema keywords that document but do not constrain; dropped from the runtime table. */
const documentationKeywords = new Set(['example', 'examples', 'title', 'default']);
/** The parameter types validate.ts checks. */
const checkedTypes = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);
/** `x-smswire-encode` values of a form field or XML element (JSON text has its own, see form-body.ts). */
export const encodings = new Set(['unix-seconds', 'dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm', 'msisdn'] as const);
export type FieldEncoding = typeof encodings extends Set<infer E> ? E : never;
export const isEncoding = (encode: string | undefined): encode is FieldEncoding =>
  [...encodings].some((e) => e === encode);
/** Encodings that rewrite a string wherever it is (core's `ParamSchema.encode`), not the way a field is written. */
export const stringEncodings = new Set(['msisdn']);
/** Date encodings written in the spec's `x-smswire-time-zone`. */
export const zonedEncodings = new Set(['dd/mm/yy hh:mm', 'yyyy-mm-dd', 'hh:mm']);
/** Encodings of text that core writes into a query parameter or form field (request.ts). */
export const textEncodings = new Set(['ucs2-hex'] as const);
export const isTextEncoding = (encode: string | undefined): encode is 'ucs2-hex' =>
  [...textEncodings].some((e) => e === encode);

type ParamType = NonNullable<ParamSchema['type']>;
const isChecked = (type: unknown): type is ParamType => typeof type === 'string' && checkedTypes.has(type);

/**
 * A parameter schema for validate.ts, its keywords in the spec's order; `inJson`: inside a
 * JSON-text field, where strings may carry `x-smswire-encode: msisdn`. `omit`: keywords the
 * caller reads itself (a form field's description and encoding).
 */
export function paramSchema(raw: Schema, where: string, inJson = false, omit: readonly string[] = []): ParamSchema {
  const schema = deref(raw);
  const out: ParamSchema = {};
  for (const key of schema.keywords) {
    if (documentationKeywords.has(key) || key === 'xml' || omit.includes(key)) continue;
    if (key === 'x-smswire-encode' && inJson) {
      if (schema.encode !== 'msisdn' || schema.type !== 'string')
        throw new SpecError(`${where}: inside JSON text, x-smswire-encode may only be msisdn, on a string`);
      out.encode = schema.encode;
      continue;
    }
    if (!supportedKeywords.has(key))
      throw new SpecError(`${where}: schema keyword ${key} is not checked by the client`);
    switch (key) {
      case 'type':
        if (!isChecked(schema.type))
          throw new SpecError(`${where}: type ${JSON.stringify(schema.type)} is not checked by the client`);
        out.type = schema.type;
        break;
      case 'pattern':
        try {
          new RegExp(schema.pattern!, 'u');
        } catch {
          throw new SpecError(`${where}: pattern ${schema.pattern} is not a valid (unicode) regular expression`);
        }
        out.pattern = schema.pattern!;
        break;
      case 'additionalProperties':
        if (schema.additionalProperties !== false)
          throw new SpecError(`${where}: additionalProperties may only be false`);
        out.additionalProperties = false;
        break;
      case 'const':
        if (!isScalar(schema.const)) throw new SpecError(`${where}: const must be a string, number or boolean`);
        out.const = schema.const;
        break;
      case 'anyOf':
        out.anyOf = schema.anyOf!.map((s, i) => paramSchema(s, `${where}.anyOf[${i}]`, inJson));
        break;
      // validate.ts reads items only of an array and properties only of an object.
      case 'items':
        onlyWith(schema, key, 'array', where);
        out.items = paramSchema(schema.items!, `${where}[]`, inJson);
        break;
      case 'properties':
        onlyWith(schema, key, 'object', where);
        out.properties = Object.fromEntries(
          Object.entries(schema.properties!).map(([name, s]) => [name, paramSchema(s, `${where}.${name}`, inJson)]),
        );
        break;
      case 'required':
        onlyWith(schema, key, 'object', where);
        out.required = schema.required!;
        break;
      case 'enum':
      case 'minLength':
      case 'maxLength':
      case 'minimum':
      case 'maximum':
      case 'minItems':
      case 'maxItems':
      case 'description':
        copy(out, schema, key);
        break;
    }
  }
  return out;
}

/** Copies a keyword whose value the parser has checked and validate.ts reads as it is. */
function copy<
  K extends 'enum' | 'minLength' | 'maxLength' | 'minimum' | 'maximum' | 'minItems' | 'maxItems' | 'description',
>(out: ParamSchema, schema: Schema, key: K) {
  const value = schema[key];
  if (value !== undefined) Object.assign(out, { [key]: value });
}

function onlyWith(schema: Schema, key: string, type: 'array' | 'object', where: string) {
  if (schema.type !== type) throw new SpecError(`${where}: ${key} is only checked with type ${type}`);
}

/** The query parameters of a GET operation (path-item ones first). */
export function queryParams(id: string, parameters: Parameter[]): Record<string, ParamDefinition> {
  const params: Record<string, ParamDefinition> = {};
  for (const param of parameters) {
    if (param.in !== 'query')
      throw new SpecError(`${id}: parameter ${param.name} is in ${param.in}; only query is supported`);
    const where = `${id}.${param.name}`;
    const explicit = param.encode;
    if (explicit !== undefined && !isTextEncoding(explicit))
      throw new SpecError(`${where}: unknown x-smswire-encode ${explicit} for a query parameter`);
    if ((param.style ?? 'form') !== 'form') throw new SpecError(`${where}: only style form is supported`);
    // OpenAPI's comma-joined list (`style: form, explode: false`); exploded lists (`to=a&to=b`) no vendor takes.
    const csv = param.explode === false;
    if (csv && explicit !== undefined)
      throw new SpecError(`${where}: x-smswire-encode ${explicit} is for a single string, not a comma-joined list`);
    const encode = csv ? 'csv' : explicit;
    const schema = param.schema ? paramSchema(param.schema, where) : {};
    if (csv) checkListLimit(schema, param.example, where);
    params[param.name] = {
      in: 'query',
      required: param.required === true,
      schema,
      ...(encode ? { encode } : {}),
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
  node: Encoding,
  encode: string | undefined,
  where: string,
): Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> {
  const when = node.encodeWhen;
  const max = node.encodeMaxLength;
  const out: Pick<ParamDefinition, 'encodeWhen' | 'encodeMaxLength'> = {};
  if (when !== undefined) {
    if (!isTextEncoding(encode))
      throw new SpecError(
        `${where}: x-smswire-encode-when needs a text x-smswire-encode (${[...textEncodings].join(', ')})`,
      );
    out.encodeWhen = when;
  }
  if (max !== undefined) {
    if (encode !== 'ucs2-hex')
      throw new SpecError(
        `${where}: x-smswire-encode-max-length counts UTF-16 code units and needs x-smswire-encode: ucs2-hex`,
      );
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
