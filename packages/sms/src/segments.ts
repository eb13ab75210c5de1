import type { VendorId } from './vendors.js';

/**
 * SMS encoding and parts, from 3GPP TS 23.038 (the GSM 7-bit default alphabet and its extension
 * table, section 6.2.1) and TS 23.040 (140 octets of user data; a concatenated message spends 6
 * of them on its user data header, section 9.2.3.24.1).
 */
export type Encoding = 'gsm7' | 'ucs2';

export interface Segments {
  encoding: Encoding;
  /** How many SMS the text costs (an empty text is still one). */
  parts: number;
  /** Characters per part: 160 or 153 for GSM-7 (an extension character counts two), 70 or 67 for UCS-2 (UTF-16 code units). */
  perPart: number;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  length: number;
}

export interface SegmentOptions {
  /** Only limits a vendor documents differently change the count (Unified: 140 plain-text characters in one flash SMS). */
  vendor?: VendorId | undefined;
  flash?: boolean | undefined;
}

/**
 * The default alphabet in code order 0x00–0x7F; 0x1B is the escape to the extension table and
 * stands for no character of its own (written here as U+0000, which is never in the map).
 * Greek capitals are written as escapes so no look-alike (ohm sign, increment) slips in.
 */
const basic =
  '@£$¥èéùìòÇ\nØø\rÅå' +
  '\u0394_\u03A6\u0393\u039B\u03A9\u03A0\u03A8\u03A3\u0398\u039E\u0000ÆæßÉ' +
  ' !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table's characters (ESC + 0x0A form feed, 0x14 ^, 0x28 {, 0x29 }, 0x2F \, 0x3C [, 0x3D ~, 0x3E ], 0x40 |, 0x65 €). */
const extension = '\f^{}\\[~]|€';

/** Septets per UTF-16 code unit: 1 for the default alphabet, 2 for an escape pair. */
const septets = new Map<number, 1 | 2>();
for (const char of basic) if (char !== '\u0000') septets.set(char.charCodeAt(0), 1);
for (const char of extension) septets.set(char.charCodeAt(0), 2);

/** The characters GSM-7 can carry, for tests and for callers who want to check a template. */
export const gsm7Alphabet = { basic: basic.replace('\u0000', ''), extension } as const;

/** User data: 140 octets = 160 septets or 70 UCS-2 units; the 6-octet concatenation header leaves 153 septets (1072 bits) or 67 units. */
const limits = { gsm7: { single: 160, multi: 153 }, ucs2: { single: 70, multi: 67 } } as const;

/** Limits a vendor documents itself. unified.txt L14: "longer than 160 characters for plain text, 140 for flash". */
function singleLimit(encoding: Encoding, options: SegmentOptions): number {
  if (encoding === 'gsm7' && options.flash && options.vendor === 'unified') return 140;
  return limits[encoding].single;
}

export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!septets.has(text.charCodeAt(i))) return false;
  return true;
}

/**
 * The cost of each indivisible unit of the text: a GSM-7 escape pair (2 septets) or a UTF-16
 * surrogate pair (2 units) never splits across parts. Lone surrogates count one unit.
 */
function units(text: string, encoding: Encoding): number[] {
  const costs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (encoding === 'gsm7') costs.push(septets.get(code)!);
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        costs.push(2);
        i++;
      } else costs.push(1);
    } else costs.push(1);
  }
  return costs;
}

export function segments(text: string, options: SegmentOptions = {}): Segments {
  const encoding: Encoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const costs = units(text, encoding);
  const length = costs.reduce((sum, cost) => sum + cost, 0);
  const single = singleLimit(encoding, options);
  if (length <= single) return { encoding, parts: 1, perPart: single, length };
  const perPart = limits[encoding].multi;
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > perPart) {
      parts++;
      used = 0;
    }
    used += cost;
  }
  // A text over the single-part limit is concatenated, so at least two parts even where that
  // limit is below a part's (Unified flash: 140 < 153).
  return { encoding, parts: Math.max(parts, 2), perPart, length };
}
