import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { JournalLine, Previous } from './journal.js';
import { FingerprintMap } from './key-set.js';

/** A message ID an `unknown` line lacks, carried from an earlier line of its key. */
type Carried = Pick<JournalLine, 'vendor'> & { messageId: string };

const idOf = (line: JournalLine): Carried | undefined =>
  line.messageId ? { ...(line.vendor ? { vendor: line.vendor } : {}), messageId: line.messageId } : undefined;

/**
 * What a journal says about each key, for resuming: the place in the file of each key's last
 * line that has a state, not the line (a million-row journal read into a `Map` held 900 MB;
 * docs/benchmarks.md, "Flat memory"). A key's state is read from its line when asked for.
 *
 * Exact, though places are found by fingerprint: the line a fingerprint leads to is read and its
 * key compared, and a key that shares another's fingerprint is kept by name in `collided`.
 */
export class JournalIndex implements Iterable<[string, Previous]> {
  private readonly collided = new Map<string, number>();
  private readonly carried = new Map<string, Carried>();

  private constructor(
    private readonly fd: number | undefined,
    private readonly places: FingerprintMap,
  ) {}

  /**
   * Reads the journal at `path` once, a chunk at a time; a missing file is an empty journal.
   * `places` is for tests that make keys share fingerprints.
   */
  static async read(path: string, places = new FingerprintMap()): Promise<JournalIndex> {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new JournalIndex(undefined, places);
      throw error;
    }
    const index = new JournalIndex(fd, places);
    try {
      await index.scan(path);
    } catch (error) {
      index.close();
      throw error;
    }
    return index;
  }

  get size(): number {
    return this.places.size + this.collided.size;
  }

  /** The key's state as its lines leave it, or undefined for a key the journal does not name. */
  get(key: string): Previous | undefined {
    const place = this.placeOf(key);
    if (place === undefined) return undefined;
    const line = this.lineAt(place);
    // Another key's line, met through a shared fingerprint: this key has none.
    if (line?.key !== key) return undefined;
    return stateOf(line, this.carried.get(key));
  }

  /**
   * As `get`, and marks the key met: asked again, it is `'again'` (a key the CSV has twice). A
   * resumed run keeps the keys it met in the index, not in a second table beside it.
   */
  take(key: string): Previous | 'again' | undefined {
    const state = this.get(key);
    if (!state) return undefined;
    const marked = this.collided.get(key) ?? this.places.get(key)!;
    if (marked < 0) return 'again';
    if (this.collided.has(key)) this.collided.set(key, -marked - 1);
    else this.places.set(key, -marked - 1);
    return state;
  }

  /** Every key and its state, in the order of their last lines. */
  *[Symbol.iterator](): Generator<[string, Previous]> {
    for (const { line, state } of this.lines()) yield [line.key, state];
  }

  /** Every key's last line with a state, and the state it gives, in the order of the lines. */
  *lines(): Generator<{ line: JournalLine; state: Previous }> {
    const places = Float64Array.from([...this.places.numbers(), ...this.collided.values()], unmarked).sort();
    for (const place of places) {
      const line = this.lineAt(place);
      if (line) yield { line, state: stateOf(line, this.carried.get(line.key)) };
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }

  private placeOf(key: string): number | undefined {
    const place = this.collided.get(key) ?? this.places.get(key);
    return place === undefined ? undefined : unmarked(place);
  }

  private async scan(path: string): Promise<void> {
    const file = await open(path, 'r');
    try {
      let rest = Buffer.alloc(0);
      let restAt = 0;
      for (;;) {
        const { bytesRead, buffer } = await file.read({ buffer: Buffer.allocUnsafe(1 << 20) });
        if (bytesRead === 0) break;
        const text = rest.length ? Buffer.concat([rest, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
        let start = 0;
        for (let end = text.indexOf(10); end !== -1; end = text.indexOf(10, start)) {
          this.scanLine(text.toString('utf8', start, end), restAt + start);
          start = end + 1;
        }
        restAt += start;
        rest = Buffer.from(text.subarray(start));
      }
      // A last line without its newline: cut short by a kill, unless it parses whole.
      if (rest.length) this.scanLine(rest.toString('utf8'), restAt);
    } finally {
      await file.close();
    }
  }

  /** One line of the journal, at `place`: it becomes its key's last word if it has a state. */
  private scanLine(text: string, place: number): void {
    const line = parse(text);
    if (!line || !statusOf(line)) return;
    const key = line.key;
    const earlier = this.placeOf(key);
    const before = earlier === undefined ? undefined : this.lineAt(earlier);
    const same = before?.key === key;
    // An unknown line without an ID keeps the one an earlier line of the key had (SMS Leads
    // makes it before the request; the line that says "unknown" never had the reply naming it).
    const carried = same ? (idOf(before!) ?? this.carried.get(key)) : undefined;
    if (carried && statusOf(line) === 'unknown' && !line.messageId && (!line.vendor || line.vendor === carried.vendor))
      this.carried.set(key, carried);
    else if (this.carried.size) this.carried.delete(key);
    if (before && !same) this.collided.set(key, place);
    else if (this.collided.has(key)) this.collided.set(key, place);
    else this.places.set(key, place);
  }

  /** The line starting at `place`, read from the file. */
  private lineAt(place: number): JournalLine | undefined {
    let buffer = Buffer.allocUnsafe(512);
    let length = 0;
    for (;;) {
      const read = readSync(this.fd!, buffer, length, buffer.length - length, place + length);
      const end = buffer.indexOf(10, length);
      length += read;
      if (end !== -1 && end < length) return parse(buffer.toString('utf8', 0, end));
      if (read === 0) return parse(buffer.toString('utf8', 0, length));
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    }
  }
}

/** A place marked by `take` is stored as -(place + 1). */
const unmarked = (place: number) => (place < 0 ? -place - 1 : place);

function parse(text: string): JournalLine | undefined {
  try {
    const line = JSON.parse(text) as JournalLine;
    return typeof line?.key === 'string' ? line : undefined;
  } catch {
    // A line cut short by a kill: it was never followed by a send.
    return undefined;
  }
}

const statusOf = (line: JournalLine) => (line.state === 'pending' ? 'unknown' : line.status);

/** A key's last line with a state, as what resuming needs; `carried`, an ID an earlier line had. */
function stateOf(line: JournalLine, carried: Carried | undefined): Previous {
  const status = statusOf(line)!;
  const known = carried && status === 'unknown' && !line.messageId ? carried : line;
  return {
    row: line.row,
    to: line.to,
    status,
    ...(line.reason ? { reason: line.reason } : line.state === 'pending' ? { reason: 'ambiguous' as const } : {}),
    ...(known.vendor ? { vendor: known.vendor } : {}),
    ...(known.messageId ? { messageId: known.messageId } : {}),
    ...(status === 'unknown'
      ? { message: line.message ?? 'sent, no reply recorded: the run stopped before the vendor answered' }
      : {}),
  };
}
