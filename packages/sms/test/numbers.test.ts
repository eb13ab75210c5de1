import { ValidationError } from '@smswire/core/errors';
import fc from 'fast-check';
import { getCountries, getExampleNumber, type CountryCode } from 'libphonenumber-js/mobile';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it, vi } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { normalizeNumber, wireNumber } from '../src/numbers.js';
import { vendorIds } from '../src/vendors.js';

/** One example mobile number of every country libphonenumber knows. */
const samples = getCountries()
  .map((country) => ({ country, phone: getExampleNumber(country, examples) }))
  .filter((s): s is { country: CountryCode; phone: NonNullable<typeof s.phone> } => s.phone !== undefined);

describe('normalizeNumber', () => {
  it('reads what people type', () => {
    expect(normalizeNumber('054-123-4567', { country: 'IL' })).toBe('+972541234567');
    expect(normalizeNumber('+966 50 123 4567')).toBe('+966501234567');
    expect(normalizeNumber('00880 1712-345678')).toBe('+8801712345678');
    expect(normalizeNumber('(0) 1712 345678', { country: 'BD' })).toBe('+8801712345678');
    expect(normalizeNumber('+30 697 100 0000')).toBe('+306971000000');
  });

  it('refuses a number that is not possible for its country, and one without a country', () => {
    for (const [input, country] of [
      ['+96650123', undefined],
      ['054-123', 'IL'],
      ['0541234567', undefined],
      ['call me', 'IL'],
      ['+972 54 123 4567 ext', 'IL'],
      ['', 'IL'],
    ] as const) {
      expect(() => normalizeNumber(input, { country }), input).toThrow(ValidationError);
    }
  });

  it('only warns, through the hook, for a possible number in no known mobile range', () => {
    const onWarning = vi.fn();
    // Israel's 059 block is possible (ten digits) but no mobile range in the metadata.
    expect(normalizeNumber('+972 59 000 0000', { onWarning })).toBe('+972590000000');
    expect(onWarning).toHaveBeenCalledWith(expect.objectContaining({ kind: 'invalidNumber', number: '+972590000000' }));
    onWarning.mockClear();
    normalizeNumber('050-234-5678', { country: 'IL', onWarning });
    expect(onWarning).not.toHaveBeenCalled();
  });

  it(`gives the same E.164 for every spelling of ${samples.length} countries' example mobiles`, () => {
    expect(samples.length).toBeGreaterThan(200);
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.constantFrom(' ', '-', '.', ''), ({ country, phone }, separator) => {
        const e164 = phone.number;
        const international = phone.formatInternational().replace(/ /g, separator);
        expect(normalizeNumber(international)).toBe(e164);
        expect(normalizeNumber(`00${international.slice(1)}`)).toBe(e164);
        expect(normalizeNumber(phone.formatNational(), { country })).toBe(e164);
        expect(normalizeNumber(e164, { country: 'IL' })).toBe(e164);
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns E.164 or throws ValidationError for any text, and its answer is a fixed point', () => {
    const input = fc.oneof(
      fc.stringMatching(/^\+?[0-9 ()-]{0,20}$/),
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...samples).map((s) => s.phone.number.slice(0, -1)),
    );
    fc.assert(
      fc.property(
        input,
        fc.constantFrom<CountryCode | undefined>(undefined, 'IL', 'BD', 'SA', 'GR', 'IN'),
        (text, country) => {
          let e164: string;
          try {
            e164 = normalizeNumber(text, { country });
          } catch (error) {
            expect(error).toBeInstanceOf(ValidationError);
            return;
          }
          expect(e164).toMatch(/^\+[1-9][0-9]{5,14}$/);
          expect(normalizeNumber(e164)).toBe(e164);
        },
      ),
      { numRuns: runs(10_000) },
    );
  });
});

describe('wireNumber', () => {
  it('writes each vendor its own form', () => {
    // dinisoft.yaml toUser example `8801712345678`; unified.yaml destination `919812345678`;
    // sms365.yaml `to` "in international format (`306971000000`)"; dreams.yaml `966500000000`.
    expect(wireNumber('dinisoft', '+8801712345678')).toBe('8801712345678');
    expect(wireNumber('unified', '+919812345678')).toBe('919812345678');
    expect(wireNumber('sms365', '+306971000000')).toBe('306971000000');
    expect(wireNumber('dreams', '+966500000000')).toBe('966500000000');
    // smsleads.yaml: "a mobile number is `^0?5[0-9]{8}$`" (Israeli national form).
    expect(wireNumber('smsleads', '+972541234567')).toBe('0541234567');
    expect(() => wireNumber('smsleads', '+966500000000')).toThrow(ValidationError);
    expect(() => wireNumber('smsleads', '+97231234567')).toThrow(ValidationError);
  });

  it('keeps every digit of the number for every vendor', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.constantFrom(...vendorIds), ({ phone }, vendor) => {
        const e164 = phone.number;
        if (vendor === 'smsleads') {
          if (phone.country !== 'IL') expect(() => wireNumber(vendor, e164)).toThrow(ValidationError);
          else expect(`+972${wireNumber(vendor, e164).slice(1)}`).toBe(e164);
        } else expect(`+${wireNumber(vendor, e164)}`).toBe(e164);
      }),
      { numRuns: 1_000 },
    );
  });
});
