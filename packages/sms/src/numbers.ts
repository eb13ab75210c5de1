import { ValidationError } from '@smswire/core/errors';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/mobile';
import type { VendorId } from './vendors.js';

export type { CountryCode };

/** Something worth telling the caller that does not stop the send. */
export interface NumberWarning {
  kind: 'invalidNumber';
  /** The number as E.164. */
  number: string;
  message: string;
}

export interface NumberOptions {
  /** ISO 3166-1 alpha-2 country for numbers written without their country code (`054-123-4567`). */
  country?: CountryCode | undefined;
  /** Called when a number has a possible length but no mobile range of its country covers it. */
  onWarning?: ((warning: NumberWarning) => void) | undefined;
}

const context = { vendor: 'sms', operation: 'normalizeNumber' };
const refuse = (message: string) => new ValidationError({ ...context, issues: [{ path: 'to', message }] });

/**
 * What people type, as E.164 (`+8801712345678`), checked against libphonenumber's mobile
 * metadata. A number that cannot exist in its country (wrong length, no country) is a
 * `ValidationError`; one that has a possible length but is not in a known mobile range only warns
 * (`onWarning`), since numbering plans change faster than metadata.
 */
export function normalizeNumber(input: string, options: NumberOptions = {}): string {
  return parseNumber(input, options).e164;
}

/**
 * `normalizeNumber` with the country it found: a send needs both, and libphonenumber's parse
 * was the largest share of sendMany's CPU per message when done twice.
 */
export function parseNumber(input: string, options: NumberOptions = {}): { e164: string; country?: CountryCode } {
  if (typeof input !== 'string' || !/[0-9]/.test(input)) throw refuse('is not a phone number');
  // `00` is the international prefix almost everywhere; libphonenumber reads it only with a default country.
  const text = input.trim().replace(/^00(?=[1-9])/, '+');
  if (/[^0-9+\s().\-/]/.test(text) || text.lastIndexOf('+') > 0)
    throw refuse(`${JSON.stringify(input)} has characters a phone number cannot have`);
  const phone = parsePhoneNumberFromString(text, options.country ? { defaultCountry: options.country } : {});
  if (!phone) {
    throw refuse(
      text.startsWith('+') || options.country
        ? `${JSON.stringify(input)} is not a phone number`
        : `${JSON.stringify(input)} has no country code and no default country was given`,
    );
  }
  if (!phone.isPossible())
    throw refuse(
      `${JSON.stringify(input)} is not a possible mobile number${phone.country ? ` for ${phone.country}` : ''}`,
    );
  const e164 = phone.number;
  // Only when someone listens: the mobile-range check is most of a parse's cost (docs/benchmarks.md).
  if (options.onWarning && !phone.isValid()) {
    options.onWarning({
      kind: 'invalidNumber',
      number: e164,
      message: `${e164} is in no known mobile range of its country; sending anyway`,
    });
  }
  return phone.country ? { e164, country: phone.country } : { e164 };
}

/**
 * The form each vendor documents for a destination. DiniSoft (`8801712345678`), Unified
 * (`919812345678`), sms365 (`306971000000`) and Dreams (`966500000000`) take the international
 * digits without `+`; SMS Leads takes Israeli mobile numbers only, in their national form
 * (`0501234567`, specs/smsleads.yaml: `^0?5[0-9]{8}$`).
 */
export function wireNumber(vendor: VendorId, e164: string): string {
  if (vendor === 'smsleads') {
    if (!/^\+9725[0-9]{8}$/.test(e164)) {
      throw new ValidationError({
        vendor,
        operation: 'send',
        issues: [
          { path: 'to', message: `${e164} is not an Israeli mobile number; SMS Leads sends only to 05X numbers` },
        ],
      });
    }
    return `0${e164.slice(4)}`;
  }
  return e164.slice(1);
}
