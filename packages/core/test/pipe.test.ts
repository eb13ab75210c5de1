import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { decodePipe } from '../src/codecs/pipe.js';
import { ParseError, VendorError } from '../src/errors.js';
import { replyContext, thrown } from './helpers.js';

const ctx = replyContext({
  '1701': { outcome: 'success', description: 'Success' },
  '1702': { outcome: 'error', description: 'Invalid URL' },
  '1706': { outcome: 'error', description: 'Invalid destination' },
  '1709': { outcome: 'error', description: 'User validation failed', retryable: true },
});

describe('pipe codec', () => {
  it('decodes the document sample shape', () => {
    expect(decodePipe('1701|919898123456|b1c5a8e2-4aa5', ctx)).toEqual({
      accepted: [{ destination: '919898123456', messageId: 'b1c5a8e2-4aa5' }],
      rejected: [],
    });
  });

  it.each([
    ['commas', '1701|911|a,1701|912|b'],
    ['newlines', '1701|911|a\n1701|912|b\n'],
    ['CRLF and spaces', ' 1701|911|a \r\n 1701|912|b '],
  ])('separates entries by %s', (_, body) => {
    expect(decodePipe(body, ctx).accepted).toEqual([
      { destination: '911', messageId: 'a' },
      { destination: '912', messageId: 'b' },
    ]);
  });

  it('returns accepted IDs alongside per-destination refusals', () => {
    expect(decodePipe('1701|911|a,1706|91x,1709|913', ctx)).toEqual({
      accepted: [{ destination: '911', messageId: 'a' }],
      rejected: [
        { destination: '91x', code: '1706', description: 'Invalid destination', retryable: false },
        { destination: '913', code: '1709', description: 'User validation failed', retryable: true },
      ],
    });
  });

  it('throws a VendorError listing every refusal when nothing was accepted', () => {
    const error = thrown(() => decodePipe('1706|91x,1702', ctx)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ code: '1706', description: 'Invalid destination', retryable: false });
    expect(error.rejected.map((r) => r.code)).toEqual(['1706', '1702']);
  });

  it('is retryable only when every refusal is', () => {
    expect(thrown(() => decodePipe('1709', ctx))).toMatchObject({ code: '1709', retryable: true });
    expect(thrown(() => decodePipe('1709,1702', ctx))).toMatchObject({ code: '1709', retryable: false });
  });

  it('reports an undocumented code as an error, never as success', () => {
    expect(thrown(() => decodePipe('1999', ctx))).toMatchObject({
      code: '1999',
      description: 'undocumented code 1999',
    });
  });

  it.each([
    ['with an empty ID', '1701|911|,1701|912|b'],
    ['with no ID field', '1701|911,1701|912|b'],
  ])('reads a success %s as accepted without an ID, never dropped and never given one', (_, body) => {
    expect(decodePipe(body, ctx)).toEqual({
      accepted: [{ destination: '911' }, { destination: '912', messageId: 'b' }],
      rejected: [],
    });
  });

  it.each(['', '  \n', 'OK', '1701', '1701|', '1701||id', '1701|911|a|extra', 'x1701|911|a', '<html>'])(
    'refuses %j with a ParseError',
    (body) => {
      expect(thrown(() => decodePipe(body, ctx))).toBeInstanceOf(ParseError);
    },
  );

  it('either decodes or throws a typed error, for random text and for near-valid replies', () => {
    const entry = fc
      .tuple(fc.constantFrom('1701', '1702', '1709', '42', 'x', ''), fc.string(), fc.string())
      .map((parts) => parts.join('|'));
    const reply = fc
      .array(entry, { maxLength: 5 })
      .chain((entries) => fc.constantFrom(',', '\n', '\r\n', '|').map((sep) => entries.join(sep)));
    fc.assert(
      fc.property(fc.oneof(fc.string(), reply), (body) => {
        try {
          const result = decodePipe(body, ctx);
          expect(result.accepted.length).toBeGreaterThan(0);
          for (const { destination, messageId } of result.accepted) {
            expect(destination).toMatch(/^[^|,\r\n]+$/);
            if (messageId !== undefined) expect(messageId).toMatch(/^[^|,\r\n]+$/);
          }
        } catch (error) {
          expect(error instanceof ParseError || error instanceof VendorError).toBe(true);
        }
      }),
      { numRuns: runs(10_000) },
    );
  });

  it('reads the fields of an entry as splitting it at every `|` would (the decoder reads them by index)', () => {
    const field = fc.constantFrom('', ' ', '911', ' 912 ', 'a', '1701', '1706', 'x y');
    const code = fc.constantFrom('1701', ' 1701', '1706 ');
    const entry = fc.tuple(code, fc.array(field, { maxLength: 4 })).map(([first, rest]) => [first, ...rest].join('|'));
    const bySplit = (body: string) => {
      const accepted: { destination: string; messageId?: string }[] = [];
      const rejected: (string | undefined)[] = [];
      for (const item of body.split(',')) {
        const parts = item.trim().split('|');
        if (item.trim() === '') continue;
        if (parts.length > 3) return 'malformed';
        const code = parts[0]!.trim();
        if (code === '1701') {
          if (!parts[1]?.trim()) return 'malformed';
          const messageId = parts[2]?.trim();
          accepted.push(messageId ? { destination: parts[1].trim(), messageId } : { destination: parts[1].trim() });
        } else rejected.push(parts[1]?.trim() || undefined);
      }
      return { accepted, rejected };
    };
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 4 }), (entries) => {
        const body = entries.join(',');
        const expected = bySplit(body);
        let actual: unknown;
        try {
          const result = decodePipe(body, ctx);
          actual = { accepted: result.accepted, rejected: result.rejected.map((r) => r.destination) };
        } catch (error) {
          if (error instanceof VendorError)
            actual = { accepted: [], rejected: error.rejected.map((r) => r.destination) };
          else actual = 'malformed';
        }
        if (expected !== 'malformed' && expected.accepted.length + expected.rejected.length === 0) return;
        expect(actual).toEqual(expected);
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('a refused destination that holds a credential', () => {
  const codes = {
    '1701': { outcome: 'success' as const, description: 'Success' },
    '1706': { outcome: 'error' as const, description: 'Invalid destination' },
  };

  it('is kept as the number it is when a credential is only part of it: the caller matches its messages by it', () => {
    const result = decodePipe('1701|972501001002|m1,1706|972501001001', replyContext(codes, ['1001']));
    expect(result).toMatchObject({ rejected: [{ destination: '972501001001', code: '1706' }] });
  });

  it('is hidden when it is a credential, or text quoting one', () => {
    const quoting = replyContext(codes, ['1001', 'p@ss w/rd+é!']);
    expect(decodePipe('1701|911|m1,1706|1001', quoting)).toMatchObject({ rejected: [{ destination: '[REDACTED]' }] });
    expect(decodePipe('1701|911|m1,1706|user:p%40ss%20w%2frd%2b%c3%a9!', quoting)).toMatchObject({
      rejected: [{ destination: 'user:[REDACTED]' }],
    });
  });
});
