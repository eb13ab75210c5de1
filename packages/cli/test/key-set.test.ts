import { describe, expect, it } from 'vitest';
import { KeySet } from '../src/key-set.js';

describe('the row keys a bulk run has met', () => {
  it('tells a key met before from a new one, across the table growing', () => {
    const keys = new KeySet();
    const count = 50_000;
    for (let i = 0; i < count; i++) expect(keys.add(`k${i}`)).toBe(true);
    for (let i = 0; i < count; i += 997) expect(keys.add(`k${i}`)).toBe(false);
    expect(keys.size).toBe(count);
    // Keys that differ in one character, or only in order, are different keys.
    expect(keys.add('k1 ')).toBe(true);
    expect(keys.add('1k')).toBe(true);
    expect(keys.add('')).toBe(true);
    expect(keys.add('')).toBe(false);
  });

  it('holds a fingerprint a key, not the key: a million keys in at most 16 MB', () => {
    const keys = new KeySet();
    for (let i = 0; i < 1_000_000; i++) keys.add(`row-${i}-${'x'.repeat(20)}`);
    expect(keys.size).toBe(1_000_000);
    expect(keys.bytes).toBeLessThanOrEqual(16 * 2 ** 20);
  });
});
