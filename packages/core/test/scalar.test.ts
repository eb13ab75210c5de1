import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { decodeScalar } from '../src/codecs/scalar.js';
import { ParseError } from '../src/errors.js';
import { replyContext, thrown } from './helpers.js';

const ctx = replyContext({});

describe('scalar codec', () => {
  it.each([
    ['10.000000', 10],
    [' 10.5\r\n', 10.5],
    ['0', 0],
    ['-3.25', -3.25],
  ])('decodes %j', (body, value) => {
    expect(decodeScalar(body, ctx)).toBe(value);
  });

  it.each(['', 'abc', '1e5', 'NaN', 'Infinity', '10,00', '10.', '.5', '0x10', '{"balance":10}', '1'.repeat(80)])(
    'refuses %j with a ParseError',
    (body) => {
      expect(thrown(() => decodeScalar(body, ctx))).toBeInstanceOf(ParseError);
    },
  );

  it('never returns anything but a finite number', () => {
    fc.assert(
      fc.property(fc.string(), (body) => {
        try {
          expect(Number.isFinite(decodeScalar(body, ctx))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('scalar codec whose value is never negative (negative: code)', () => {
  // Dreams L122-124: "Number: The balance", "-100: Missing parameters"; every failure code is a negative whole number.
  const catalog = replyContext({ '-100': { outcome: 'error', description: 'Missing parameters.' } });
  it('takes a negative number as a code, documented or not', () => {
    expect(thrown(() => decodeScalar('-100', catalog, 'code'))).toMatchObject({
      name: 'VendorError',
      code: '-100',
      description: 'Missing parameters.',
    });
    expect(thrown(() => decodeScalar('-110\n', catalog, 'code'))).toMatchObject({
      name: 'VendorError',
      code: '-110',
      description: 'undocumented code -110',
    });
    expect(thrown(() => decodeScalar('-3.75', catalog, 'code'))).toMatchObject({ name: 'VendorError', code: '-3.75' });
    expect(thrown(() => decodeScalar('-x', catalog, 'code'))).toBeInstanceOf(ParseError);
    expect(decodeScalar('0', catalog, 'code')).toBe(0);
    expect(decodeScalar('1520.5', catalog, 'code')).toBe(1520.5);
  });
});
