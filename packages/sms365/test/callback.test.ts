import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseDeliveryReport, ValidationError, type DeliveryReport } from '../src/index.js';

// What sms365 appends to the `callback` URL given to smsSend (the user's own `id` stays in front).
const query = 'msgid=7316204&status=d&cost=1&to=306971000000&mcc=202&mnc=01';
const delivered: DeliveryReport = {
  msgid: '7316204',
  status: 'd',
  delivered: true,
  cost: 1,
  to: '306971000000',
  mcc: '202',
  mnc: '01',
};

const fields = ['msgid', 'status', 'cost', 'to', 'mcc', 'mnc'] as const;

/** The error thrown by `parseDeliveryReport(input)`, which must be a ValidationError. */
function refusal(input: string | URL | URLSearchParams): ValidationError {
  let error: unknown;
  try {
    parseDeliveryReport(input);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ vendor: 'sms365', operation: 'deliveryReport' });
  return error as ValidationError;
}

const withField = (name: string, value: string | undefined) => {
  const params = new URLSearchParams(query);
  if (value === undefined) params.delete(name);
  else params.set(name, value);
  return params;
};

describe('parseDeliveryReport', () => {
  it('reads a full URL, keeping the caller’s own parameters out', () => {
    const report = parseDeliveryReport(`https://myserver.example/callback?id=yourmsgid&${query}`);
    expect(report).toStrictEqual(delivered);
    expectTypeOf(report).toEqualTypeOf<DeliveryReport>();
  });

  it('reads a path with its query (a Node request’s req.url)', () => {
    expect(parseDeliveryReport(`/callback?${query}`)).toStrictEqual(delivered);
  });

  it('reads URLSearchParams and URL objects', () => {
    expect(parseDeliveryReport(new URLSearchParams(query))).toStrictEqual(delivered);
    expect(parseDeliveryReport(new URL(`http://127.0.0.1:8080/dlr?${query}`))).toStrictEqual(delivered);
  });

  it('status f is not delivered; the cost may be fractional; mcc and mnc may be empty', () => {
    expect(parseDeliveryReport('/cb?msgid=a.b_c-1&status=f&cost=0.15&to=%2B306971000000&mcc=&mnc=')).toStrictEqual({
      msgid: 'a.b_c-1',
      status: 'f',
      delivered: false,
      cost: 0.15,
      to: '+306971000000',
      mcc: '',
      mnc: '',
    });
  });

  it.each(fields)('a missing %s is a ValidationError on that path', (name) => {
    const error = refusal(withField(name, undefined));
    expect(error.issues).toEqual([{ path: name, message: 'is required' }]);
  });

  it.each(fields)('a repeated %s is a ValidationError on that path', (name) => {
    const params = new URLSearchParams(query);
    params.append(name, params.get(name)!);
    const error = refusal(`/cb?${params}`);
    expect(error.issues).toEqual([{ path: name, message: 'is repeated' }]);
  });

  it.each([
    ['msgid', ''],
    ['msgid', 'a b'],
    ['msgid', '7316204/../x'],
    ['msgid', 'x'.repeat(65)],
    ['status', ''],
    ['status', 'D'],
    ['status', 'delivered'],
    ['status', 'df'],
    ['cost', ''],
    ['cost', 'abc'],
    ['cost', '-1'],
    ['cost', '1e3'],
    ['cost', '1,5'],
    ['cost', '.5'],
    ['to', ''],
    ['to', '12345'],
    ['to', '30697abc0000'],
    ['to', '+30 697 100 0000'],
    ['to', '1'.repeat(19)],
    ['mcc', '2020'],
    ['mcc', 'ab'],
    ['mnc', '-1'],
    ['mnc', '0001'],
  ] as const)('a malformed %s (%j) is a ValidationError on that path', (name, value) => {
    const error = refusal(withField(name, value));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe(name);
    expect(error.issues[0]!.message).toMatch(/^must be /);
  });

  it('lists every problem at once', () => {
    const error = refusal('/callback?id=yourmsgid');
    expect(error.issues.map((i) => i.path)).toEqual([...fields]);
    expect(error.issues.every((i) => i.message === 'is required')).toBe(true);
    expect(refusal('/cb?msgid=1&msgid=2&status=x&cost=1&to=306971000000&mcc=1&mnc=1').issues).toEqual([
      { path: 'msgid', message: 'is repeated' },
      { path: 'status', message: 'must be "d" (delivered) or "f" (failed)' },
    ]);
  });

  it.each([
    ['an empty string', ''],
    ['a bare question mark', '?'],
    ['a lone percent sign', '/cb?%'],
    ['a broken percent escape', '/cb?msgid=%E0%A4%A&status=d&cost=1&to=306971000000&mcc=202&mnc=01'],
    ['a NUL byte', '/cb?msgid=\u0000&status=d&cost=1&to=306971000000&mcc=202&mnc=01'],
    ['a fragment hiding the fields', `/cb#${query}`],
    ['a __proto__ parameter', `/cb?__proto__=x&constructor=y`],
    ['a huge query', `/cb?msgid=${'9'.repeat(100_000)}`],
    ['an unrelated URL', 'https://example.com/'],
  ])('%s is a ValidationError, nothing else', (_, input) => {
    refusal(input);
  });

  // A Node server hands `GET //[?msgid=… HTTP/1.1` to the handler as req.url === '//[?msgid=…'
  // (checked with a raw socket): `new URL('//[…', base)` throws a TypeError ("Invalid URL"),
  // which escapes parseDeliveryReport. Marked `fails` until src/callback.ts catches it.
  it.each([
    ['a protocol-relative path with an invalid host (a possible req.url)', `//[?${query}`],
    ['an absolute URL with an invalid host', `http://[bad/?${query}`],
    ['an absolute URL with a space in the host', `http://a b/?${query}`],
  ])('%s is a ValidationError, nothing else', (_, input) => {
    refusal(input);
  });
});
