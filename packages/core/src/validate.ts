import type { ParamDefinition, ParamSchema } from './definition.js';
import type { ValidationIssue } from './errors.js';

/**
 * Checks call arguments against the parameter schemas of the spec before anything is sent.
 * Only the keywords the specs use are interpreted; the generator refuses any other keyword,
 * so a spec cannot silently ask for a check that does not happen.
 */
export const supportedKeywords = new Set([
  'type', 'enum', 'minLength', 'maxLength', 'minimum', 'maximum', 'pattern', 'anyOf', 'description',
]);

export function validateParams(
  params: Readonly<Record<string, ParamDefinition>>,
  args: unknown,
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
    const problem = checkSchema(param.schema, value);
    if (problem) issues.push({ path: name, message: problem });
  }
  return issues;
}

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) patterns.set(pattern, (regex = new RegExp(pattern, 'u')));
  return regex;
}

/** Returns why `value` breaks `schema`, or undefined. */
export function checkSchema(schema: ParamSchema, value: unknown): string | undefined {
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
    case undefined:
      if (!['string', 'number', 'boolean'].includes(typeof value)) return 'must be a string, number or boolean';
  }
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    return `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
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
