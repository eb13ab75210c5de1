import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { gsm7Alphabet, segments } from '../src/segments.js';

const chars = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
const basic = [...gsm7Alphabet.basic];
const extension = [...gsm7Alphabet.extension];
/**
 * Letters that never join their neighbours into one grapheme cluster (no combining marks, no
 * emoji modifiers, no regional indicators, no ZWJ): there the reference library, which counts
 * grapheme clusters, and 3GPP's code units must agree exactly.
 */
const unicode = [
  ...chars(0x0410, 0x044f),
  ...chars(0x05d0, 0x05ea),
  ...chars(0x0621, 0x063a),
  ...chars(0x4e00, 0x4e40),
  'ç',
  '`',
  '€',
];
const emoji = chars(0x1f600, 0x1f64f);

describe('segments, from 3GPP TS 23.038 and 23.040', () => {
  it('has the 127 characters of the default alphabet (128 codes less the escape) and the 10 of the extension table', () => {
    // 23.038 §6.2.1: 0x1B is the escape to the extension table, not a character.
    expect(basic).toHaveLength(127);
    expect(new Set(basic).size).toBe(127);
    expect(extension).toEqual(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€']);
  });

  it('counts 160/153 septets for GSM-7 and 70/67 code units for UCS-2', () => {
    expect(segments('a'.repeat(160))).toEqual({ encoding: 'gsm7', parts: 1, perPart: 160, length: 160 });
    expect(segments('a'.repeat(161))).toEqual({ encoding: 'gsm7', parts: 2, perPart: 153, length: 161 });
    expect(segments('a'.repeat(306)).parts).toBe(2);
    expect(segments('a'.repeat(307)).parts).toBe(3);
    expect(segments('Ж'.repeat(70))).toEqual({ encoding: 'ucs2', parts: 1, perPart: 70, length: 70 });
    expect(segments('Ж'.repeat(71))).toEqual({ encoding: 'ucs2', parts: 2, perPart: 67, length: 71 });
    expect(segments('Ж'.repeat(134)).parts).toBe(2);
    expect(segments('Ж'.repeat(135)).parts).toBe(3);
    expect(segments('')).toEqual({ encoding: 'gsm7', parts: 1, perPart: 160, length: 0 });
  });

  it('counts an extension character as two septets and never splits its escape pair', () => {
    expect(segments('€'.repeat(80))).toEqual({ encoding: 'gsm7', parts: 1, perPart: 160, length: 160 });
    expect(segments('€'.repeat(81)).parts).toBe(2);
    // 152 septets then an escape pair: the pair would straddle septets 153/154, so it opens part two.
    expect(segments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ parts: 3, length: 306 });
    expect(segments(`${'a'.repeat(151)}€${'a'.repeat(153)}`)).toMatchObject({ parts: 2, length: 306 });
  });

  it('never splits a surrogate pair', () => {
    // 66 units then an emoji: the pair would straddle units 67/68, so it opens part two.
    expect(segments(`${'Ж'.repeat(66)}😀${'Ж'.repeat(66)}`)).toMatchObject({ parts: 3, length: 134 });
    expect(segments(`${'Ж'.repeat(65)}😀${'Ж'.repeat(67)}`)).toMatchObject({ parts: 2, length: 134 });
    expect(segments('😀'.repeat(35))).toMatchObject({ encoding: 'ucs2', parts: 1, length: 70 });
  });

  it('takes Ç (0x09) as GSM-7 and ç as UCS-2, as the 23.038 table has it', () => {
    expect(segments('Ç').encoding).toBe('gsm7');
    expect(segments('ç').encoding).toBe('ucs2');
    expect(segments('`').encoding).toBe('ucs2');
  });

  it('uses a vendor limit only where the vendor documents one', () => {
    // unified.txt L14: "longer than 160 characters for plain text, 140 for flash, and 280 for Unicode"
    // (280 hex digits = 70 UCS-2 units, specs/unified.yaml).
    expect(segments('a'.repeat(141), { vendor: 'unified', flash: true })).toMatchObject({ parts: 2, perPart: 153 });
    expect(segments('a'.repeat(140), { vendor: 'unified', flash: true })).toMatchObject({ parts: 1, perPart: 140 });
    expect(segments('a'.repeat(141), { vendor: 'unified' })).toMatchObject({ parts: 1, perPart: 160 });
    expect(segments('a'.repeat(141), { vendor: 'sms365', flash: true })).toMatchObject({ parts: 1, perPart: 160 });
    expect(segments('Ж'.repeat(70), { vendor: 'unified', flash: true })).toMatchObject({ parts: 1, perPart: 70 });
  });

  it(`agrees with sms-segments-calculator on ${runs(10_000)} generated texts`, () => {
    const alphabet = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...basic) },
      { weight: 2, arbitrary: fc.constantFrom(...extension) },
      { weight: 1, arbitrary: fc.constantFrom(...unicode) },
      { weight: 1, arbitrary: fc.constantFrom(...emoji) },
    );
    // Mostly-GSM texts and pure-GSM texts, short and long, so both encodings cross part boundaries.
    const text = fc.oneof(
      fc.array(alphabet, { maxLength: 500 }).map((a) => a.join('')),
      fc
        .array(fc.oneof(fc.constantFrom(...basic), fc.constantFrom(...extension)), { maxLength: 800 })
        .map((a) => a.join('')),
      fc
        .array(fc.oneof(fc.constantFrom(...unicode), fc.constantFrom(...emoji)), { maxLength: 300 })
        .map((a) => a.join('')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const ours = segments(t);
        const reference = new SegmentedMessage(t);
        expect(ours.encoding).toBe(reference.encodingName === 'GSM-7' ? 'gsm7' : 'ucs2');
        expect(ours.parts).toBe(reference.segmentsCount);
        if (ours.encoding === 'gsm7') expect(ours.length).toBe(reference.numberOfCharacters);
      }),
      { numRuns: runs(10_000) },
    );
  }, 120_000);

  /**
   * Where the reference library is wrong or counts something 23.040 does not: it never splits a
   * grapheme cluster, so it wastes room at part ends, and a cluster longer than a part makes it
   * count too few parts.
   */
  describe('where sms-segments-calculator differs', () => {
    it('flags: a regional-indicator pair is two surrogate pairs, which 23.040 may put in different parts', () => {
      const flags = '🇬🇷'.repeat(33); // 132 units: 66 + 66
      expect(segments(flags)).toMatchObject({ encoding: 'ucs2', parts: 2, length: 132 });
      expect(new SegmentedMessage(flags).segmentsCount).toBe(3); // 16 flags (64 units) per part
    });

    it('a cluster longer than one part: 201 units are three parts, the library says two', () => {
      const zalgo = `a${'\u0301'.repeat(200)}`;
      expect(segments(zalgo)).toMatchObject({ encoding: 'ucs2', parts: 3, length: 201 });
      expect(new SegmentedMessage(zalgo).segmentsCount).toBe(2);
    });
  });
});
