/**
 * The row keys a bulk run has met, to refuse a key met twice, in 8 bytes a key or less: a
 * 64-bit fingerprint of each in an open-addressed table of 32-bit words, not the strings in a
 * `Set` (about 50 bytes a key: a million-row run held 50 MB of them; docs/benchmarks.md, "Flat
 * memory"). Two keys share a fingerprint with odds of about n²/2⁶⁵ (3 in 100 million for a
 * million keys); then the second is refused as a duplicate: reported, never sent twice.
 */
export class KeySet {
  /** Pairs of words, a fingerprint each; (0, 0) is an empty slot. */
  private slots = new Uint32Array(2 * 1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** What the table holds in memory. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** Adds the key; false when it was there already. */
  add(key: string): boolean {
    const [high, low] = fingerprint(key);
    if (this.insert(high, low)) {
      this.count++;
      // Kept at most half full, so a probe ends after a step or two.
      if (this.count * 2 > this.slots.length / 2) this.grow();
      return true;
    }
    return false;
  }

  private insert(high: number, low: number): boolean {
    const mask = this.slots.length / 2 - 1;
    for (let i = (high ^ low) & mask; ; i = (i + 1) & mask) {
      const h = this.slots[2 * i]!;
      const l = this.slots[2 * i + 1]!;
      if (h === 0 && l === 0) {
        this.slots[2 * i] = high;
        this.slots[2 * i + 1] = low;
        return true;
      }
      if (h === high && l === low) return false;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(old[i]!, old[i + 1]!);
  }
}

/** Two independent 32-bit hashes of the key's UTF-16 code units (cyrb53's mixing, both halves kept). */
function fingerprint(key: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  h1 >>>= 0;
  h2 >>>= 0;
  // (0, 0) marks an empty slot.
  return h1 === 0 && h2 === 0 ? [0, 1] : [h1, h2];
}
