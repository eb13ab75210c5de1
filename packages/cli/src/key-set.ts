/**
 * Row keys held as 64-bit fingerprints in an open-addressed table of 32-bit words, not as
 * strings (about 50 bytes a key in a `Set` or `Map`: a million-row run held 50 MB of them;
 * docs/benchmarks.md, "Flat memory").
 */
class FingerprintTable {
  /** Pairs of words, a fingerprint each; (0, 0) is an empty slot. */
  protected slots = new Uint32Array(2 * 1024);
  /** A number for each slot, when the table keeps one. */
  protected values: Float64Array | undefined;
  private count = 0;

  constructor(
    withValues: boolean,
    private readonly hash: (key: string) => [number, number] = fingerprint,
  ) {
    if (withValues) this.values = new Float64Array(this.slots.length / 2);
  }

  get size(): number {
    return this.count;
  }

  /** What the table holds in memory. */
  get bytes(): number {
    return this.slots.byteLength + (this.values?.byteLength ?? 0);
  }

  /** The key's slot, and whether the key's fingerprint is already in it. */
  protected slot(key: string): { index: number; found: boolean; high: number; low: number } {
    const [high, low] = this.hash(key);
    return { ...this.probe(high, low), high, low };
  }

  /** The slot of a fingerprint: where it is, or the empty one where it would go. */
  private probe(high: number, low: number): { index: number; found: boolean } {
    const mask = this.slots.length / 2 - 1;
    for (let i = (high ^ low) & mask; ; i = (i + 1) & mask) {
      const h = this.slots[2 * i]!;
      const l = this.slots[2 * i + 1]!;
      if (h === 0 && l === 0) return { index: i, found: false };
      if (h === high && l === low) return { index: i, found: true };
    }
  }

  /** Puts a fingerprint (and its number) in the empty slot `index`; the table may grow, and slots move. */
  protected fill(index: number, high: number, low: number, value = 0): void {
    this.slots[2 * index] = high;
    this.slots[2 * index + 1] = low;
    if (this.values) this.values[index] = value;
    this.count++;
    // Kept at most half full, so a probe ends after a step or two.
    if (this.count * 2 > this.slots.length / 2) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    const oldValues = this.values;
    this.slots = new Uint32Array(old.length * 2);
    if (oldValues) this.values = new Float64Array(this.slots.length / 2);
    for (let from = 0; from < old.length / 2; from++) {
      const high = old[2 * from]!;
      const low = old[2 * from + 1]!;
      if (high === 0 && low === 0) continue;
      const to = this.probe(high, low).index;
      this.slots[2 * to] = high;
      this.slots[2 * to + 1] = low;
      if (oldValues) this.values![to] = oldValues[from]!;
    }
  }
}

/**
 * The row keys a bulk run has met, to refuse a key met twice, in 8 bytes a key or less. Two keys
 * share a fingerprint with odds of about n²/2⁶⁵ (3 in 100 million for a million keys); then the
 * second is refused as a duplicate: reported, never sent twice.
 */
export class KeySet extends FingerprintTable {
  constructor() {
    super(false);
  }

  /** Adds the key; false when it was there already. */
  add(key: string): boolean {
    const { index, found, high, low } = this.slot(key);
    if (found) return false;
    this.fill(index, high, low);
    return true;
  }
}

/**
 * A number for each key (a journal line's place in its file), 24 bytes a key or less. A
 * fingerprint names a key only almost surely: the caller checks the key where the number leads
 * (`JournalIndex` reads the line and compares its key) and keeps a key that shares another's
 * fingerprint elsewhere.
 */
export class FingerprintMap extends FingerprintTable {
  /** `hash` is for tests that need keys to share a fingerprint. */
  constructor(hash?: (key: string) => [number, number]) {
    super(true, hash);
  }

  get(key: string): number | undefined {
    const { index, found } = this.slot(key);
    return found ? this.values![index] : undefined;
  }

  set(key: string, value: number): void {
    const { index, found, high, low } = this.slot(key);
    if (found) this.values![index] = value;
    else this.fill(index, high, low, value);
  }

  /** Every number held, in no order. */
  *numbers(): Generator<number> {
    const values = this.values!;
    for (let i = 0; i < values.length; i++)
      if (this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0) yield values[i]!;
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
