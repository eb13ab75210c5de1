import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalLine, Previous } from '../src/journal.js';
import { JournalIndex } from '../src/journal-index.js';
import { FingerprintMap } from '../src/key-set.js';

const dir = mkdtempSync(join(tmpdir(), 'smswire-journal-index-'));
let files = 0;
const journalOf = (lines: string[]) => {
  const path = join(dir, `j${files++}.jsonl`);
  writeFileSync(path, lines.join('\n'));
  return path;
};

/**
 * What resuming is promised, written as plainly as it can be (every key's lines folded in a
 * `Map`, as the command read journals before the index): the oracle the index is held to.
 */
function folded(text: string): Map<string, Previous> {
  const states = new Map<string, Previous>();
  for (const raw of text.split('\n')) {
    let line: JournalLine;
    try {
      line = JSON.parse(raw) as JournalLine;
    } catch {
      continue;
    }
    if (typeof line?.key !== 'string') continue;
    const status = line.state === 'pending' ? 'unknown' : line.status;
    if (!status) continue;
    const before = states.get(line.key);
    const known =
      status === 'unknown' && !line.messageId && before?.messageId && (!line.vendor || line.vendor === before.vendor)
        ? { vendor: before.vendor, messageId: before.messageId }
        : { vendor: line.vendor, messageId: line.messageId };
    states.set(line.key, {
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
  return states;
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

describe('the journal index', () => {
  it.each([1, 2, 3, 4, 5])('holds what folding every line in a Map held, for every key (seed %i)', async (seed) => {
    const lines = randomJournal(seed, 300, 3_000);
    const path = journalOf(lines);
    const expected = folded(lines.join('\n'));
    const index = await JournalIndex.read(path);
    for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
    expect(index.get('never-written')).toBeUndefined();
    expect(index.size).toBe(expected.size);
    expect(entries(index)).toEqual(expected);
    index.close();
  });

  it('is exact when every key shares one fingerprint: each key read by name, none taken for another', async () => {
    const lines = randomJournal(7, 200, 2_000);
    const path = journalOf(lines);
    const expected = folded(lines.join('\n'));
    const index = await JournalIndex.read(path, new FingerprintMap(() => [1, 2]));
    for (const [key, state] of expected) expect(index.get(key), key).toEqual(state);
    // A key the journal does not name meets another key's line at its fingerprint: still nothing.
    expect(index.get('never-written')).toBeUndefined();
    expect(entries(index)).toEqual(expected);
    index.close();
  });

  it.each([
    ['its own fingerprints', () => new FingerprintMap()],
    ['one fingerprint for every key', () => new FingerprintMap(() => [1, 2])],
  ])(
    'take() marks a key met: again, it is "again"; a key the journal does not name is never (%s)',
    async (_, places) => {
      const lines = randomJournal(11, 50, 400);
      const expected = folded(lines.join('\n'));
      const index = await JournalIndex.read(journalOf(lines), places());
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
});
