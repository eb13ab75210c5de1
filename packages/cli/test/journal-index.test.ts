import { appendFileSync, createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { JournalLine, Previous } from '../src/journal.js';
import { JournalIndex } from '../src/journal-index.js';
import { FingerprintMap } from '../src/key-set.js';

const dir = mkdtempSync(join(tmpdir(), 'smswire-journal-index-'));
let files = 0;
const journalOf = (lines: string[], separator = '\n') => {
  const path = join(dir, `j${files++}.jsonl`);
  writeFileSync(path, lines.join(separator));
  return path;
};

/**
 * What resuming is promised: the command's reader before the index (3f207f4's `readJournal`,
 * verbatim but for its name), every key's lines folded into a `Map` as readline splits them.
 */
async function folded(path: string): Promise<Map<string, Previous>> {
  const previous = new Map<string, Previous>();
  const stream = createReadStream(path, { encoding: 'utf8' });
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      continue;
    }
    if (typeof line?.key !== 'string') continue;
    const status = line.state === 'pending' ? 'unknown' : line.status;
    if (!status) continue;
    const before = previous.get(line.key);
    const known =
      status === 'unknown' && !line.messageId && before?.messageId && (!line.vendor || line.vendor === before.vendor)
        ? { vendor: before.vendor, messageId: before.messageId }
        : { vendor: line.vendor, messageId: line.messageId };
    previous.set(line.key, {
      row: line.row,
      to: line.to,
      status,
      ...(line.reason ? { reason: line.reason } : line.state === 'pending' ? { reason: 'ambiguous' as const } : {}),
      ...(known.vendor ? { vendor: known.vendor } : {}),
      ...(known.messageId ? { messageId: known.messageId } : {}),
      ...(status === 'unknown'
        ? { message: line.message ?? 'sent, no reply recorded: the run stopped before the vendor answered' }
        : {}),
    });
  }
  return previous;
}

/** A journal as runs write it, resumed runs and `--resend-unknown` included, from a seed. */
function randomJournal(seed: number, keys: number, lines: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  const vendors = ['smsleads', 'unified', 'sms365'];
  const out = ['{"type":"run","started":"2026-12-01T00:00:00Z"}'];
  for (let i = 0; i < lines; i++) {
    const k = next(keys);
    const base = { key: `k${k}`, row: k + 1, to: `+8801712${String(k).padStart(6, '0')}` };
    const vendor = vendors[next(3)]!;
    const kinds: JournalLine[] = [
      { ...base, state: 'pending' },
      { ...base, state: 'pending', vendor, messageId: `pre-${i}` },
      { ...base, status: 'accepted', vendor, messageId: `m${i}`, encoding: 'gsm7', parts: 1 },
      { ...base, status: 'unknown', reason: 'vendorDown', vendor, message: 'no answer in 30 s' },
      { ...base, status: 'unknown', reason: 'ambiguous' },
      { ...base, status: 'rejected', reason: 'number', vendor, message: `x`.repeat(next(2) ? 10 : 900) },
      { ...base, reconciled: 'delivered' } as JournalLine,
    ];
    out.push(JSON.stringify(kinds[next(kinds.length)]));
  }
  // Killed mid-write.
  out.push('{"key":"k1","row":2,"to":"+88017120');
  return out;
}

const entries = (index: JournalIndex) => new Map(index);

/** The keys in the order of their last lines with a state: the order the index lists them in. */
function lastLineOrder(expected: Map<string, Previous>, lines: string[]): string[] {
  const last = new Map<string, number>();
  lines.forEach((text, i) => {
    try {
      const line = JSON.parse(text) as JournalLine;
      if (expected.has(line.key) && (line.state === 'pending' || line.status)) last.set(line.key, i);
    } catch {
      // Torn.
    }
  });
  return [...last].sort((a, b) => a[1] - b[1]).map(([key]) => key);
}

/** A fingerprint of few values: keys share one in groups, some with a key the journal never names. */
const fewFingerprints = (key: string): [number, number] => [1 + (key.charCodeAt(key.length - 1) % 4), 9];

describe('the journal index', () => {
  it.each([1, 2, 3, 4, 5])('holds what folding every line in a Map held, for every key (seed %i)', async (seed) => {
    const lines = randomJournal(seed, 300, 3_000);
    const path = journalOf(lines);
    const expected = await folded(path);
    const index = await JournalIndex.read(path);
    for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
    expect(index.get('never-written')).toBeUndefined();
    expect(index.size).toBe(expected.size);
    expect(entries(index)).toEqual(expected);
    expect([...index].map(([key]) => key)).toEqual(lastLineOrder(expected, lines));
    index.close();
  });

  it.each([
    ['one fingerprint for every key', () => [1, 2] as [number, number]],
    ['a few fingerprints shared in groups', fewFingerprints],
  ])('is exact when keys share fingerprints (%s): each key read by name, none taken for another', async (_, hash) => {
    const lines = randomJournal(7, 200, 2_000);
    const path = journalOf(lines);
    const expected = await folded(path);
    const index = await JournalIndex.read(path, new FingerprintMap(hash));
    for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
    // A key the journal does not name meets another key's line at its fingerprint: still nothing.
    expect(index.get('never-written')).toBeUndefined();
    expect(entries(index)).toEqual(expected);
    index.close();
  });

  it.each([
    ['its own fingerprints', () => new FingerprintMap()],
    ['one fingerprint for every key', () => new FingerprintMap(() => [1, 2])],
    ['a few fingerprints shared in groups', () => new FingerprintMap(fewFingerprints)],
  ])(
    'take() marks a key met: again, it is "again"; a key the journal does not name is never (%s)',
    async (_, places) => {
      const lines = randomJournal(11, 50, 400);
      const path = journalOf(lines);
      const expected = await folded(path);
      const index = await JournalIndex.read(path, places());
      for (const [key, state] of expected) expect(index.take(key), key).toEqual(state);
      for (const key of expected.keys()) expect(index.take(key), key).toBe('again');
      // Another key, at a place a taken key holds: not in the journal, so not met twice either.
      expect(index.take('never-written')).toBeUndefined();
      expect(index.take('never-written')).toBeUndefined();
      expect(entries(index)).toEqual(expected);
      index.close();
    },
  );

  it('reads lines longer than one read, and lines across the chunks the file is read in', async () => {
    const path = join(dir, 'long.jsonl');
    const long = 'y'.repeat(5_000);
    writeFileSync(path, '');
    // Past the 1 MiB chunk, so some line straddles two chunks.
    for (let i = 0; i < 400; i++)
      appendFileSync(
        path,
        `${JSON.stringify({ key: `k${i}`, row: i + 1, to: '+1', status: 'unknown', reason: 'ambiguous', message: `${i}${long}` })}\n`,
      );
    const index = await JournalIndex.read(path);
    expect(index.size).toBe(400);
    for (let i = 0; i < 400; i++) expect(index.get(`k${i}`)?.message).toBe(`${i}${long}`);
    index.close();
  });

  it('is empty for a journal that does not exist yet', async () => {
    const index = await JournalIndex.read(join(dir, 'none.jsonl'));
    expect(index.size).toBe(0);
    expect(index.get('k1')).toBeUndefined();
    expect([...index]).toEqual([]);
    index.close();
  });

  it.each([
    ['CRLF', '\r\n'],
    ['a lone CR', '\r'],
  ])(
    'splits lines at %s as the reader before it did (a journal read as empty would send every row again)',
    async (_, separator) => {
      const lines = randomJournal(3, 100, 800);
      const path = journalOf(lines, separator);
      const expected = await folded(path);
      expect(expected.size).toBeGreaterThan(10);
      const index = await JournalIndex.read(path);
      expect(entries(index)).toEqual(expected);
      for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
      index.close();
    },
  );

  it('answers from what it read, whatever is appended after (bulk and reconcile append while it is open)', async () => {
    const lines = randomJournal(5, 40, 300);
    const path = journalOf(lines);
    const expected = await folded(path);
    const index = await JournalIndex.read(path);
    for (const key of expected.keys())
      appendFileSync(path, `\n${JSON.stringify({ key, row: 1, to: '+1', status: 'rejected', reason: 'number' })}`);
    for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
    expect(entries(index)).toEqual(expected);
    index.close();
  });

  it('once closed, answers nothing: a read throws rather than read whatever file has its number; closing twice is safe', async () => {
    const lines = randomJournal(9, 20, 100);
    const path = journalOf(lines);
    const [key] = (await folded(path)).keys();
    const index = await JournalIndex.read(path);
    index.close();
    index.close();
    expect(() => index.get(key!)).toThrow('closed');
    expect(() => index.take(key!)).toThrow('closed');
  });
});
