import type { ParamDefinition, ParamSchema, RequiredIf } from './definition.js';
import type { ValidationIssue } from './errors.js';
import { dateEncodings, dateValue, encodingApplies } from './request.js';

/**
 * Checks call arguments against the parameter schemas of the spec before anything is sent.
 * Only the keywords the specs use are interpreted; the generator refuses any other keyword,
 * so a spec cannot silently ask for a check that does not happen.
 */
export const supportedKeywords = new Set([
  'type', 'enum', 'const', 'minLength', 'maxLength', 'minimum', 'maximum', 'pattern', 'anyOf', 'description',
  'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties',
]);

export function validateParams(
  params: Readonly<Record<string, ParamDefinition>>,
  args: unknown,
  dependentRequired: Readonly<Record<string, readonly string[]>> = {},
  requiredIf?: RequiredIf,
): ValidationIssue[] {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return [{ path: 'params', message: 'must be an object' }];
  }
  const issues: ValidationIssue[] = [];
  const values = args as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!Object.hasOwn(params, key)) issues.push({ path: key, message: 'is not a parameter of this operation' });
  }
  for (const [name, param] of Object.entries(params)) {
    const value = values[name];
    if (value === undefined) {
      if (param.required) issues.push({ path: name, message: 'is required' });
      continue;
    }
    const problem = value instanceof Date && dateEncodings.has(param.encode!)
      ? (Number.isNaN(value.getTime()) ? 'is an invalid Date' : checkSchema(param.schema, dateValue(param, value)))
      : (checkSchema(param.schema, value, param.in === 'xml') ?? checkEncodable(param, value, values));
    if (problem) issues.push({ path: name, message: problem });
  }
  for (const [key, needed] of Object.entries(dependentRequired)) {
    if (values[key] === undefined) continue;
    for (const name of needed) if (values[name] === undefined) issues.push({ path: name, message: `is required when ${key} is given` });
  }
  if (requiredIf && values[requiredIf.name] === requiredIf.value) {
    for (const name of requiredIf.required) if (values[name] === undefined) issues.push({ path: name, message: `is required when ${requiredIf.name} is ${requiredIf.value}` });
  }
  return issues;
}

const loneSurrogate = /[\ud800-\udfff]/u;

/**
 * What a `ucs2-hex` value must also be when the encoding applies to this call: text without lone
 * surrogates (they would be sent as half a character), within `encodeMaxLength` UTF-16 code units.
 */
function checkEncodable(param: ParamDefinition, value: unknown, values: Readonly<Record<string, unknown>>): string | undefined {
  if (param.encode !== 'ucs2-hex' || typeof value !== 'string' || !encodingApplies(param, values)) return undefined;
  if (loneSurrogate.test(value)) return 'contains a lone surrogate';
  if (value.length > (param.encodeMaxLength ?? Infinity)) {
    const when = Object.entries(param.encodeWhen ?? {}).map(([name, allowed]) => ` when ${name} is ${allowed.join(' or ')}`).join(' and');
    return `must be at most ${param.encodeMaxLength} characters${when}, counted in UTF-16 code units (an emoji counts two); it has ${value.length}`;
  }
  return undefined;
}

// What XML 1.0 cannot carry at all: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates.
const unfit = /[\0-\x08\v\f\x0e-\x1f\ufffe\uffff\ud800-\udfff]/u;

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

/**
 * Returns why `value` breaks `schema`, or undefined. With `xml`, the value goes into an XML body,
 * and every string in it must be one XML can carry.
 */
export function checkSchema(schema: ParamSchema, value: unknown, xml = false): string | undefined {
  if (xml && typeof value === 'string' && unfit.test(value)) return 'contains a control character or lone surrogate, which XML cannot carry';
  if (schema.anyOf) {
    const problems = schema.anyOf.map((s) => checkSchema(s, value, xml));
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
      return checkArray(schema, value, xml);
    case 'object':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'must be an object';
      return checkObject(schema, value as Record<string, unknown>, xml);
    case undefined:
      if (schema.anyOf) break;
      if (!['string', 'number', 'boolean'].includes(typeof value)) return 'must be a string, number or boolean';
  }
  if (schema.const !== undefined && value !== schema.const) return `must be ${JSON.stringify(schema.const)}`;
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    return `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}${schema.description ? ` (${schema.description})` : ''}`;
  }
  if (typeof value === 'string') {
    const length = schema.minLength === undefined && schema.maxLength === undefined ? 0 : codePoints(value);
    if (schema.minLength !== undefined && length < schema.minLength) {
      return schema.minLength === 1 ? 'must not be empty' : `must be at least ${schema.minLength} characters`;
    }
    if (schema.maxLength !== undefined && length > schema.maxLength) return `must be at most ${schema.maxLength} characters`;
    if (schema.pattern !== undefined && !compiled(schema.pattern).test(value)) {
      return `must match ${schema.pattern}${schema.description ? ` (${schema.description})` : ''}`;
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `must be at least ${schema.minimum}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `must be at most ${schema.maximum}`;
  }
  return undefined;
}

function checkArray(schema: ParamSchema, value: readonly unknown[], xml: boolean): string | undefined {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    return schema.minItems === 1 ? 'must not be empty' : `must have at least ${schema.minItems} items`;
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) return `must have at most ${schema.maxItems} items`;
  if (schema.items) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkSchema(schema.items, value[i], xml);
      if (problem) return `[${i}] ${problem}`;
    }
  }
  return undefined;
}

function checkObject(schema: ParamSchema, value: Record<string, unknown>, xml: boolean): string | undefined {
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
    const problem = checkSchema(properties[name] as ParamSchema, item, xml);
    if (problem) return `.${name} ${problem}`;
  }
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
