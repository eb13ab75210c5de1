import { describe, expect, it } from 'vitest';
import type { ParamDefinition } from '../src/vendor-definition.js';
import type { ValidationIssue } from '../src/errors.js';
import { argumentReader } from '../src/validate.js';
import { validateParams } from './helpers.js';

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

  it('says why an enum refuses a value when the schema describes it', () => {
    const described: Record<string, ParamDefinition> = {
      type: { in: 'query', required: true, schema: { type: 'integer', enum: [0, 2], description: '1 is reserved' } },
    };
    expect(validateParams(described, { type: 1 })).toEqual([
      { path: 'type', message: 'must be one of 0, 2 (1 is reserved)' },
    ]);
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

describe('structured parameters', () => {
  const form: Record<string, ParamDefinition> = {
    to: {
      in: 'form',
      required: true,
      schema: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9]+$' } },
        ],
      },
      encode: 'csv',
    },
    pairs: {
      in: 'form',
      required: false,
      schema: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['to', 'message'],
          additionalProperties: false,
          properties: { to: { type: 'string' }, message: { type: 'string', minLength: 1 } },
        },
      },
    },
    at: { in: 'form', required: false, schema: { type: 'integer', minimum: 0 }, encode: 'unix-seconds' },
    grant: { in: 'form', required: false, schema: { type: 'string', const: 'x' } },
    is_calander: { in: 'form', required: false, schema: { type: 'integer', enum: [1] } },
    calander_date: { in: 'form', required: false, schema: { type: 'string' } },
  };
  const dependent = { is_calander: ['calander_date'] };

  it('accepts arrays, objects, Dates for Unix seconds, and a present dependency', () => {
    expect(
      validateParams(
        form,
        {
          to: ['1', '2'],
          pairs: [{ to: '1', message: 'hi' }],
          at: new Date(),
          is_calander: 1,
          calander_date: '2026-01-01',
        },
        dependent,
      ),
    ).toEqual([]);
    expect(validateParams(form, { to: '1,2', at: 0 }, dependent)).toEqual([]);
  });

  it.each([
    [{ to: [] }, 'to'],
    [{ to: ['1', 'x'] }, 'to'],
    [{ to: '1', pairs: [{ to: '1' }] }, 'pairs'],
    [{ to: '1', pairs: [{ to: '1', message: 'm', extra: 1 }] }, 'pairs'],
    [{ to: '1', pairs: 'a' }, 'pairs'],
    [{ to: '1', at: new Date('nope') }, 'at'],
    [{ to: '1', at: new Date(-5000) }, 'at'],
    [{ to: '1', grant: 'y' }, 'grant'],
    [{ to: '1', is_calander: 1 }, 'calander_date'],
  ])('refuses %j at %s', (args, path) => {
    expect(validateParams(form, args, dependent).map((i) => i.path)).toEqual([path]);
  });
});

describe('a body if/then (requiredIf)', () => {
  // Dreams L199-200: "calander_date: required if is_calander=1", "calander_time: required if is_calander=1".
  const form: Record<string, ParamDefinition> = {
    is_calander: { in: 'form', required: false, schema: { type: 'integer', enum: [0, 1] } },
    calander_date: {
      in: 'form',
      required: false,
      schema: { type: 'string', minLength: 1 },
      encode: 'yyyy-mm-dd',
      timeZone: 'Asia/Riyadh',
    },
    calander_time: {
      in: 'form',
      required: false,
      schema: { type: 'string', minLength: 1 },
      encode: 'hh:mm',
      timeZone: 'Asia/Riyadh',
    },
  };
  const requiredIf = { name: 'is_calander', value: 1, required: ['calander_date', 'calander_time'] };

  it('requires the listed parameters only when the condition holds', () => {
    expect(validateParams(form, { is_calander: 1 }, {}, requiredIf)).toEqual([
      { path: 'calander_date', message: 'is required when is_calander is 1' },
      { path: 'calander_time', message: 'is required when is_calander is 1' },
    ]);
    expect(validateParams(form, { is_calander: 0 }, {}, requiredIf)).toEqual([]);
    expect(validateParams(form, {}, {}, requiredIf)).toEqual([]);
  });

  it('takes a Date for yyyy-mm-dd and hh:mm, checked as the text it becomes', () => {
    const at = new Date('2030-01-31T09:30:00Z');
    expect(validateParams(form, { is_calander: 1, calander_date: at, calander_time: at }, {}, requiredIf)).toEqual([]);
    expect(
      validateParams(form, { is_calander: 1, calander_date: new Date('nope'), calander_time: at }, {}, requiredIf),
    ).toEqual([{ path: 'calander_date', message: 'is an invalid Date' }]);
  });
});

describe('text parameters, whatever their wire', () => {
  const text: Record<string, ParamDefinition> = {
    message: { in: 'query', required: true, schema: { type: 'string' } },
    list: {
      in: 'form',
      required: false,
      schema: { type: 'array', items: { type: 'object', properties: { note: { type: 'string' } } } },
    },
  };

  it('keep tab, line feed and carriage return, which an SMS may hold and every wire carries', () => {
    expect(validateParams(text, { message: 'line 1\r\nline 2\tend', list: [{ note: 'a\nb' }] })).toEqual([]);
  });

  it.each(['\0', '\x08', '\v', '\f', '\x1f', '\x7f', '\x80', '\x9f', '\ud83d', '\ude00x', '\ufffe', '\uffff'])(
    'refuse %j, in a value or inside a list',
    (bad) => {
      const message = 'contains a control character, lone surrogate or noncharacter';
      expect(validateParams(text, { message: `a${bad}b` })).toEqual([{ path: 'message', message }]);
      expect(validateParams(text, { message: 'ok', list: [{ note: bad }] })).toEqual([
        { path: 'list', message: `[0] .note ${message}` },
      ]);
    },
  );

  it('keep a character outside the BMP, whose surrogates come as a pair', () => {
    expect(validateParams(text, { message: '😀\ud83d\ude00' })).toEqual([]);
  });
});

describe('argumentReader', () => {
  const nested: Record<string, ParamDefinition> = {
    message: { in: 'form', required: true, schema: { type: 'string' } },
    pairs: {
      in: 'form',
      required: false,
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: ['to'],
          additionalProperties: false,
          properties: { to: { type: 'string' } },
        },
      },
    },
  };
  const read = (args: unknown) => {
    const issues: ValidationIssue[] = [];
    return { params: argumentReader({ params: nested })(args, issues), issues };
  };

  it('reads declared parameters and properties from prototypes and getters into plain data, once each', () => {
    let reads = 0;
    class Pair {
      get to() {
        reads++;
        return '1';
      }
    }
    const { params, issues } = read(Object.create({ message: 'hi', pairs: [new Pair()] }));
    expect(params).toEqual({ message: 'hi', pairs: [{ to: '1' }] });
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(reads).toBe(1);
    expect(issues).toEqual([]);
  });

  it('refuses unknown own properties, at the top and inside, and copies `__proto__` as data', () => {
    const { issues } = read(JSON.parse('{"message":"hi","__proto__":{"x":1},"pairs":[{"to":"1","extra":2}]}'));
    expect(issues.map((i) => i.path)).toEqual(['__proto__', 'pairs']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses what is not an object', () => {
    for (const args of [null, 42, 'hi', undefined, []])
      expect(read(args)).toEqual({ params: {}, issues: [{ path: 'params', message: 'must be an object' }] });
  });
});
