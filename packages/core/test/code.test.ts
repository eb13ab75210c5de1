import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { decodeCode } from '../src/codecs/code.js';
import { decodeScalar } from '../src/codecs/scalar.js';
import { ParseError, VendorError } from '../src/errors.js';
import { replyContext, thrown } from './helpers.js';

const ctx = replyContext({
  '999': { outcome: 'success', description: 'Success' },
  Success: { outcome: 'success', description: 'Sent' },
  '-100': { outcome: 'error', description: 'Missing parameters' },
  '-113': { outcome: 'error', description: 'Not enough balance' },
});

describe('bare-code codec', () => {
  it.each([
    ['999', '999', 'Success'],
    ['999\r\n', '999', 'Success'],
    ['Result: Success', 'Success', 'Sent'],
    ['result:Success ', 'Success', 'Sent'],
  ])('decodes %j', (body, code, description) => {
    expect(decodeCode(body, ctx)).toEqual({ code, description });
  });

  it('reports a catalog error code, and an undocumented code, as a VendorError', () => {
    expect(thrown(() => decodeCode('-113', ctx))).toMatchObject({
      name: 'VendorError',
      code: '-113',
      description: 'Not enough balance',
    });
    expect(thrown(() => decodeCode('Result: -113', ctx))).toMatchObject({ code: '-113' });
    expect(thrown(() => decodeCode('-999', ctx))).toMatchObject({
      name: 'VendorError',
      code: '-999',
      description: 'undocumented code -999',
    });
  });

  it.each(['', '   ', 'Result:', '<html>busy</html>', '999\n-113', 'x'.repeat(65)])(
    'refuses %j with a ParseError',
    (body) => {
      expect(thrown(() => decodeCode(body, ctx))).toBeInstanceOf(ParseError);
    },
  );

  it('either decodes or throws a typed error for any input', () => {
    const bodies = fc.oneof(
      fc.string(),
      fc.constantFrom('999', '-100', 'Result: Success', 'Result: '),
      fc.integer().map(String),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          expect(['999', 'Success']).toContain(decodeCode(body, ctx).code);
        } catch (error) {
          expect(error instanceof ParseError || error instanceof VendorError).toBe(true);
        }
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('scalar codec with a catalog', () => {
  it('takes a body equal to an error code as that error, any other number as the value', () => {
    expect(thrown(() => decodeScalar('-100\n', ctx))).toMatchObject({ name: 'VendorError', code: '-100' });
    expect(decodeScalar('1520.5', ctx)).toBe(1520.5);
    expect(decodeScalar('-5', ctx)).toBe(-5);
  });
});
