import { closeSync, openSync, read, readSync } from 'node:fs';
import type { JournalLine, Previous } from './journal-line.js';
import { FingerprintMap } from './key-set.js';

/**
 * What a journal says about each key, for resuming: the place in the file of each key's last
 * line that has a state, not the line (a million-row journal read into a `Map` held 900 MB;
 * docs/benchmarks.md, "Flat memory"). A key's state is read from its line when asked for.
 */
export class JournalIndex implements Iterable<[string, Previous]> {
  /** Each key's last line with a state. */
  private readonly last: KeyPlaces;
  /**
   * For a key whose last line is `unknown` without a message ID: the earlier line of the key
   * that has one (SMS Leads makes it before the request; the line that says "unknown" never had
   * the reply naming it), so the row can still be reconciled.
   */
  private readonly idFrom: KeyPlaces;
  private closed = false;

  private constructor(
    private readonly fd: number | undefined,
    places: FingerprintMap,
  ) {
    const lineAt = (place: number) => this.lineAt(place);
    this.last = new KeyPlaces(lineAt, places);
    this.idFrom = new KeyPlaces(lineAt, new FingerprintMap());
  }

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
      await index.scan(fd);
    } catch (error) {
      index.close();
      throw error;
    }
    return index;
  }

  get size(): number {
    return this.last.size;
  }

  /** The key's state as its lines leave it, or undefined for a key the journal does not name. */
  get(key: string): Previous | undefined {
    const found = this.last.find(key);
    return found && stateOf(found.line, this.carriedId(key));
  }

  /**
   * As `get`, and marks the key met: asked again, it is `'again'` (a key the CSV has twice). A
   * resumed run keeps the keys it met in the index, not in a second table beside it.
   */
  take(key: string): Previous | 'again' | undefined {
    const found = this.last.find(key);
    if (!found) return undefined;
    if (found.marked) return 'again';
    this.last.put(key, found.place, { where: found.where, marked: true });
    return stateOf(found.line, this.carriedId(key));
  }

  /** Every key and its state, in the order of their last lines. */
  *[Symbol.iterator](): Generator<[string, Previous]> {
    for (const { line, state } of this.lines()) yield [line.key, state];
  }

  /** Every key's last line with a state, and the state it gives, in the order of the lines. */
  *lines(): Generator<{ line: JournalLine; state: Previous }> {
    for (const place of this.last.places().sort()) {
      const line = this.lineAt(place);
      if (line) yield { line, state: stateOf(line, this.carriedId(line.key)) };
    }
  }

  /** Closes the file; the index answers nothing after (a read then throws, never reads another file). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
  }

  /** The ID an earlier line of the key had, for its last line when that is `unknown` without one. */
  private carriedId(key: string): Carried | undefined {
    const found = this.idFrom.find(key);
    return found && idOf(found.line);
  }

  /** Reads the file a chunk at a time; a line ends at LF or CR (CRLF is a line and an empty one). */
  private async scan(fd: number): Promise<void> {
    let rest = Buffer.alloc(0);
    let restAt = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const bytesRead = await new Promise<number>((resolve, reject) =>
        read(fd, chunk, 0, chunk.length, restAt + rest.length, (error, n) => (error ? reject(error) : resolve(n))),
      );
      if (bytesRead === 0) break;
      const text = Buffer.concat([rest, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let end = lineEnd(text, start); end !== -1; end = lineEnd(text, start)) {
        if (end > start) this.scanLine(text.toString('utf8', start, end), restAt + start);
        start = end + 1;
      }
      restAt += start;
      rest = text.subarray(start);
    }
    // A last line without its newline: cut short by a kill, unless it parses whole.
    if (rest.length) this.scanLine(rest.toString('utf8'), restAt);
  }

  /** One line of the journal, at `place`: it becomes its key's last word if it has a state. */
  private scanLine(text: string, place: number): void {
    const line = parse(text);
    const status = line && statusOf(line);
    if (!line || !status) return;
    const key = line.key;
    const earlier = this.last.find(key);
    // The line an ID would come from: the key's line before this one, or where that one took its ID.
    const source = !earlier ? undefined : earlier.line.messageId ? earlier : this.idFrom.find(key);
    if (source && status === 'unknown' && !line.messageId && (!line.vendor || line.vendor === source.line.vendor))
      this.idFrom.put(key, source.place);
    else if (earlier) this.idFrom.clear(key);
    this.last.put(key, place, earlier && { where: earlier.where });
  }

  /** The line starting at `place`, read from the file. */
  private lineAt(place: number): JournalLine | undefined {
    if (this.closed || this.fd === undefined) throw new Error('the journal index is closed');
    let buffer = Buffer.allocUnsafe(512);
    let length = 0;
    for (;;) {
      const read = readSync(this.fd, buffer, length, buffer.length - length, place + length);
      const end = lineEnd(buffer.subarray(0, length + read), length);
      length += read;
      if (end !== -1) return parse(buffer.toString('utf8', 0, end));
      if (read === 0) return parse(buffer.toString('utf8', 0, length));
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    }
  }
}

/** Where a key's place is kept: its fingerprint's slot, or by name (it shares a fingerprint). */
type Where = 'slot' | 'name';

/** A place stored as NaN: the key has none (a fingerprint table cannot forget a key). */
const none = Number.NaN;

/**
 * A place in the file for each key, by fingerprint, exact: the line a place leads to is read
 * and its key compared, and a key whose fingerprint another key's place holds is kept by name.
 * A place marked (met by `take`) is stored as -(place + 1).
 */
class KeyPlaces {
  private readonly byName = new Map<string, number>();

  constructor(
    private readonly lineAt: (place: number) => JournalLine | undefined,
    private readonly slots: FingerprintMap,
  ) {}

  get size(): number {
    return this.slots.size + this.byName.size;
  }

  /** The key's place and its line, or undefined when it has none. */
  find(key: string): { place: number; marked: boolean; where: Where; line: JournalLine } | undefined {
    const named = this.byName.get(key);
    const stored = named ?? this.slots.get(key);
    if (stored === undefined || Number.isNaN(stored)) return undefined;
    const place = unmarked(stored);
    const line = this.lineAt(place);
    // Another key's line, met through a shared fingerprint: this key has none.
    if (line?.key !== key) return undefined;
    return { place, marked: stored < 0, where: named === undefined ? 'slot' : 'name', line };
  }

  /** Sets the key's place; `known.where` when `find` has just found the key there. */
  put(key: string, place: number, known?: { where: Where; marked?: boolean }): void {
    const value = known?.marked ? -place - 1 : place;
    const where = known?.where ?? this.whereFor(key);
    if (where === 'name') this.byName.set(key, value);
    else this.slots.set(key, value);
  }

  /** Forgets the key's place. */
  clear(key: string): void {
    if (this.byName.delete(key) || this.slots.size === 0) return;
    if (this.find(key)) this.slots.set(key, none);
  }

  /** Every place held, unmarked, in no order. */
  places(): Float64Array {
    const places = new Float64Array(this.size);
    let n = 0;
    for (const stored of [this.slots.numbers(), this.byName.values()])
      for (const value of stored) if (!Number.isNaN(value)) places[n++] = unmarked(value);
    return places.subarray(0, n);
  }

  /** A key new to this map: its fingerprint's slot, unless another key's place is in it. */
  private whereFor(key: string): Where {
    if (this.byName.has(key)) return 'name';
    const stored = this.slots.get(key);
    if (stored === undefined || Number.isNaN(stored)) return 'slot';
    return this.lineAt(unmarked(stored))?.key === key ? 'slot' : 'name';
  }
}

const unmarked = (stored: number) => (stored < 0 ? -stored - 1 : stored);

/** Where the line starting at `from` ends (at LF or CR), or -1. */
function lineEnd(buffer: Buffer, from: number): number {
  const lf = buffer.indexOf(10, from);
  // A CR is looked for only up to the LF (or to the end): no scan past it per line.
  const cr = buffer.subarray(from, lf === -1 ? buffer.length : lf).indexOf(13);
  return cr === -1 ? lf : from + cr;
}

/** A message ID an `unknown` line lacks, carried from an earlier line of its key. */
type Carried = Pick<JournalLine, 'vendor'> & { messageId: string };

const idOf = (line: JournalLine): Carried | undefined =>
  line.messageId ? { ...(line.vendor ? { vendor: line.vendor } : {}), messageId: line.messageId } : undefined;

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
