import type { DateCodec, ParamDefinition, ParamSchema, RequiredIf } from './vendor-definition.js';
import type { ValidationIssue } from './errors.js';
import { encodingApplies } from './request.js';

/**
 * Checks call arguments against the parameter schemas of the spec before anything is sent.
 * Only the keywords the specs use are interpreted; the generator refuses any other keyword,
 * so a spec cannot silently ask for a check that does not happen.
 */
export const supportedKeywords = new Set([
  'type',
  'enum',
  'const',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'pattern',
  'anyOf',
  'description',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'additionalProperties',
]);

/** Reads and checks a call's arguments: the declared parameters as plain data; each problem is added to `issues`. */
export type ArgumentReader = (args: unknown, issues: ValidationIssue[]) => Record<string, unknown>;

/**
 * An operation's reader, made once per client. Each declared parameter (and, by the schema,
 * each declared property inside it) is read once with `value[name]`, so one on a prototype or
 * behind a getter counts, and validation and encoding see the same values; any other own
 * property is refused. The loops run over arrays made here, not over the tables' entries on
 * every call (docs/benchmarks.md, "Made once").
 */
export function argumentReader(
  op: {
    params: Readonly<Record<string, ParamDefinition>>;
    dependentRequired?: Readonly<Record<string, readonly string[]>> | undefined;
    requiredIf?: RequiredIf | undefined;
    requiredAnyOf?: readonly (readonly string[])[] | undefined;
  },
  /** The definition's, when it has date parameters: without it a Date is no parameter's value. */
  dates?: DateCodec,
): ArgumentReader {
  const { params, requiredIf, requiredAnyOf } = op;
  const names = Object.keys(params);
  const definitions = names.map((name) => params[name]!);
  const dependents = Object.entries(op.dependentRequired ?? {});
  return (args, issues) => {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      issues.push({ path: 'params', message: 'must be an object' });
      return {};
    }
    const given = args as Record<string, unknown>;
    for (const key in given) {
      if (!Object.hasOwn(params, key) && Object.hasOwn(given, key))
        issues.push({ path: key, message: 'is not a parameter of this operation' });
    }
    // All read before any is checked: a ucs2-hex limit depends on another parameter's value.
    const values: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const value = given[names[i]!];
      if (value !== undefined)
        values[names[i]!] =
          value !== null && typeof value === 'object' && !(value instanceof Date)
            ? plain(value, definitions[i]!.schema)
            : value;
    }
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const param = definitions[i]!;
      const value = values[name];
      if (value === undefined) {
        if (param.required) issues.push({ path: name, message: 'is required' });
        continue;
      }
      const problem =
        value instanceof Date && dates?.encodings.has(param.encode!)
          ? checkDate(param, value, dates)
          : (checkSchema(param.schema, value) ?? checkEncodable(param, value, values));
      if (problem) issues.push({ path: name, message: problem });
    }
    for (const [key, needed] of dependents) {
      if (values[key] === undefined) continue;
      for (const name of needed)
        if (values[name] === undefined) issues.push({ path: name, message: `is required when ${key} is given` });
    }
    if (requiredIf && values[requiredIf.name] === requiredIf.value) {
      for (const name of requiredIf.required)
        if (values[name] === undefined)
          issues.push({ path: name, message: `is required when ${requiredIf.name} is ${requiredIf.value}` });
    }
    if (requiredAnyOf && !requiredAnyOf.some((set) => set.every((name) => values[name] !== undefined))) {
      const choices = requiredAnyOf.map((set) => set.join(' with ')).join(', or ');
      issues.push({ path: requiredAnyOf[0]![0]!, message: `is required: give ${choices}` });
    }
    return values;
  };
}

function plain(value: unknown, schema: ParamSchema): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => (schema.items ? plain(item, schema.items) : item));
  const copy: Record<string, unknown> = { ...value };
  for (const name in schema.properties) {
    const item = Object.hasOwn(copy, name) ? copy[name] : (value as Record<string, unknown>)[name];
    if (item !== undefined) copy[name] = plain(item, schema.properties[name]!);
  }
  return copy;
}

/**
 * A Date for a date parameter: valid, and one its encoding can hold. Two year digits hold the
 * years 2000 to 2099 (in the parameter's time zone), read back as 20yy.
 */
function checkDate(param: ParamDefinition, date: Date, dates: DateCodec): string | undefined {
  if (Number.isNaN(date.getTime())) return 'is an invalid Date';
  if (param.encode === 'dd/mm/yy hh:mm' && !/^20\d\d$/.test(dates.zoned(param, date).year!))
    return 'must be in the years 2000 to 2099 (dd/mm/yy has two year digits)';
  return checkSchema(param.schema, dates.value(param, date));
}

/**
 * What a `ucs2-hex` value must also be when the encoding applies to this call: within
 * `encodeMaxLength` UTF-16 code units.
 */
function checkEncodable(
  param: ParamDefinition,
  value: unknown,
  values: Readonly<Record<string, unknown>>,
): string | undefined {
  if (param.encode !== 'ucs2-hex' || typeof value !== 'string' || !encodingApplies(param, values)) return undefined;
  if (value.length > (param.encodeMaxLength ?? Infinity)) {
    const when = Object.entries(param.encodeWhen ?? {})
      .map(([name, allowed]) => ` when ${name} is ${allowed.join(' or ')}`)
      .join(' and');
    return `must be at most ${param.encodeMaxLength} characters${when}, counted in UTF-16 code units (an emoji counts two); it has ${value.length}`;
  }
  return undefined;
}

// What no text parameter may hold, whatever its wire (docs/ARCHITECTURE.md, "Text and
// headers"): control characters (C0, DEL, C1) but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const unfit = /[\0-\x08\v\f\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]/u;

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    patterns.set(pattern, regex);
  }
  return regex;
}

/** Returns why `value` breaks `schema`, or undefined. Every string in it must be text that can be sent. */
export function checkSchema(schema: ParamSchema, value: unknown): string | undefined {
  if (typeof value === 'string' && unfit.test(value)) return unfitMessage;
  if (schema.anyOf) {
    const problems = schema.anyOf.map((s) => checkSchema(s, value));
    if (problems.every((p) => p !== undefined)) return problems.join(', or ');
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return 'must be a string';
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return 'must be a boolean';
      break;
    case 'array':
      if (!Array.isArray(value)) return 'must be an array';
      return checkArray(schema, value);
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be an object';
      return checkObject(schema, value as Record<string, unknown>);
    case undefined:
      if (schema.anyOf) break;
      if (!['string', 'number', 'boolean'].includes(typeof value)) return 'must be a string, number or boolean';
  }
  if (schema.const !== undefined && value !== schema.const) return `must be ${JSON.stringify(schema.const)}`;
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    return `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}${schema.description ? ` (${schema.description})` : ''}`;
  }
  if (typeof value === 'string') {
    const problem = lengthProblem(schema, value);
    if (problem) return problem;
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) return patternMessage(schema);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `must be at most ${schema.maximum}`;
  }
  return undefined;
}

function checkArray(schema: ParamSchema, value: readonly unknown[]): string | undefined {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return schema.minItems === 1 ? 'must not be empty' : `must have at least ${schema.minItems} items`;
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    return `must have at most ${schema.maxItems} items`;
  if (schema.items) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkSchema(schema.items, value[i]);
      if (problem) return `[${i}] ${problem}`;
    }
  }
  return undefined;
}

function checkObject(schema: ParamSchema, value: Record<string, unknown>): string | undefined {
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) if (value[name] === undefined) return `.${name} is required`;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    const item = value[name];
    if (!Object.hasOwn(properties, name)) {
      if (schema.additionalProperties === false) return `.${name} is not allowed`;
      continue;
    }
    if (item === undefined) continue;
    const problem = checkSchema(properties[name] as ParamSchema, item);
    if (problem) return `.${name} ${problem}`;
  }
  return undefined;
}

const unfitMessage = 'contains a control character, lone surrogate or noncharacter';
const patternMessage = (schema: ParamSchema) =>
  `must match ${schema.pattern}${schema.description ? ` (${schema.description})` : ''}`;

/** `minLength` and `maxLength`, in characters as a user counts them (code points). */
function lengthProblem(schema: ParamSchema, value: string): string | undefined {
  const { minLength: min, maxLength: max } = schema;
  const units = value.length;
  // A string of n UTF-16 units has n/2 to n code points: counted only when that range straddles a bound.
  const length =
    (min !== undefined && units < 2 * min) || (max !== undefined && units > max) ? codePoints(value) : units;
  if (min !== undefined && length < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (max !== undefined && length > max) return `must be at most ${max} characters`;
  return undefined;
}

/** Length in characters as a user counts them (code points), without an array per string. */
function codePoints(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}
