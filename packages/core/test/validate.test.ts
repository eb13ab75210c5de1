import { describe, expect, it } from 'vitest';
import type { ParamDefinition } from '../src/definition.js';
import { validateParams } from '../src/validate.js';

const params: Record<string, ParamDefinition> = {
  type: { in: 'query', required: true, schema: { type: 'integer', enum: [0, 1, 2] } },
  message: { in: 'query', required: true, schema: { type: 'string', minLength: 1 } },
  source: {
    in: 'query',
    required: false,
    schema: {
      anyOf: [
        { type: 'string', pattern: '^\\+?[0-9]{1,18}$' },
        { type: 'string', pattern: '^[A-Za-z0-9]{1,11}$' },
      ],
    },
  },
  count: { in: 'query', required: false, schema: { type: 'number', minimum: 1, maximum: 10 } },
  code: { in: 'query', required: false, schema: { type: 'string', maxLength: 3 } },
};

describe('parameter validation', () => {
  it('accepts a valid call', () => {
    expect(validateParams(params, { type: 1, message: 'hi', source: 'ACME', count: 2 })).toEqual([]);
    expect(validateParams(params, { type: 0, message: 'hi', source: '+919812345678' })).toEqual([]);
  });

  it.each([
    [{ message: 'hi' }, 'type', 'is required'],
    [{ type: 9, message: 'hi' }, 'type', 'must be one of 0, 1, 2'],
    [{ type: '1', message: 'hi' }, 'type', 'must be an integer'],
    [{ type: 1.5, message: 'hi' }, 'type', 'must be an integer'],
    [{ type: 1, message: '' }, 'message', 'must not be empty'],
    [{ type: 1, message: 'hi', count: 0 }, 'count', 'must be at least 1'],
    [{ type: 1, message: 'hi', count: Number.NaN }, 'count', 'must be a number'],
    [{ type: 1, message: 'hi', code: '😀😀😀😀' }, 'code', 'must be at most 3 characters'],
    [{ type: 1, message: 'hi', nope: 1 }, 'nope', 'is not a parameter of this operation'],
  ])('reports %j at %s', (args, path, message) => {
    expect(validateParams(params, args)).toContainEqual({ path, message });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateParams(params, { type: 1, message: 'hi', code: '😀😀😀' })).toEqual([]);
  });

  it.each(['ACMEBANKLTD1', '+1234567890123456789', 'AC-ME', ''])('refuses source %j by every alternative', (source) => {
    const [issue] = validateParams(params, { type: 1, message: 'hi', source });
    expect(issue?.path).toBe('source');
    expect(issue?.message).toContain(', or ');
  });

  it('refuses a non-object', () => {
    expect(validateParams(params, 'hi')).toEqual([{ path: 'params', message: 'must be an object' }]);
  });
});
