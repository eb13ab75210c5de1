import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeRow } from '../src/bulk.js';
import { csvRows, rowKey } from '../src/csv-rows.js';
import { Journal } from '../src/journal.js';
import { credentialNames, envName } from '../src/vendors.js';

const dir = mkdtempSync(join(tmpdir(), 'smswire-journal-'));

describe('the bulk journal', () => {
  it('writes the lines of one turn of the event loop together, as the turn ends, and before sync() resolves', async () => {
    const path = join(dir, 'turn.jsonl');
    const { journal } = await Journal.open(path, (s) => s);
    for (let i = 0; i < 3; i++) journal.write({ key: `k${i}`, row: i + 1, to: '+1', state: 'pending' });
    // Still the same turn: nothing written yet.
    expect(readFileSync(path, 'utf8')).toBe('');
    await Promise.resolve();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
    journal.write({ key: 'k3', row: 4, to: '+1', state: 'pending' });
    // sync() writes what the turn holds before its fsync, whenever it is called.
    const syncing = journal.sync();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);
    await syncing;
    journal.write({ key: 'k4', row: 5, to: '+1', state: 'pending' });
    journal.close();
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('keeps each key’s last line; a pending key is unknown; a line torn by a kill is skipped and fenced off', async () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(
      path,
      [
        '{"type":"run","started":"2026-12-01T00:00:00Z"}',
        '{"key":"a","row":1,"to":"+1","state":"pending"}',
        '{"key":"a","row":1,"to":"+8801712000001","status":"accepted","vendor":"unified","messageId":"m1"}',
        '{"key":"b","row":2,"to":"+8801712000002","state":"pending"}',
        '{"key":"c","row":3,"to":"+8801712000003","status":"rejected","reason":"number"}',
        '{"key":"d","ro',
      ].join('\n'),
    );
    const { journal, previous } = await Journal.open(path, (s) => s.replaceAll('hunter2-secret', '[REDACTED]'));
    expect(Object.fromEntries([...previous].map(([k, p]) => [k, [p.status, p.reason ?? null]]))).toEqual({
      a: ['accepted', null],
      b: ['unknown', 'ambiguous'],
      c: ['rejected', 'number'],
    });
    journal.write({ key: 'e', row: 5, to: '+8801712000005', status: 'unknown', message: 'hunter2-secret timed out' });
    await journal.sync();
    journal.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    // The torn line stays on its own, the next record on a fresh line, with no secret in it.
    expect(lines.slice(-3)).toEqual([
      '{"key":"d","ro',
      '{"key":"e","row":5,"to":"+8801712000005","status":"unknown","message":"[REDACTED] timed out"}',
      '',
    ]);
  });
});

describe('CSV rows and their keys', () => {
  it('streams rows with their numbers; a row’s key is its id, or a hash stable across runs', async () => {
    const read = async () => {
      const rows = [];
      for await (const row of csvRows(Readable.from(['\ufeffTo,Text,id\n+1,"Hi, there",\n', '+2,Bye,x7\n'])))
        rows.push(row);
      return rows;
    };
    const rows = await read();
    expect(rows.map((r) => [r.row, r.to, r.text, r.id ?? null])).toEqual([
      [1, '+1', 'Hi, there', null],
      [2, '+2', 'Bye', 'x7'],
    ]);
    expect(rowKey(rows[1]!)).toBe('x7');
    expect(rowKey(rows[0]!)).toMatch(/^row-1-[0-9a-f]{20}$/);
    expect(rowKey((await read())[0]!)).toBe(rowKey(rows[0]!));
    expect(rowKey({ ...rows[0]!, text: 'Hi there' })).not.toBe(rowKey(rows[0]!));
  });

  it('refuses a header without to and text', async () => {
    await expect(async () => {
      for await (const _ of csvRows(Readable.from(['phone,body\n1,2\n'])));
    }).rejects.toThrow(/to,text,from,id/);
  });
});

describe('credential variables', () => {
  it('are named from each generated definition: SMSWIRE_<VENDOR>_<OPTION>', () => {
    expect(credentialNames('dinisoft').map((o) => envName('dinisoft', o))).toEqual([
      'SMSWIRE_DINISOFT_API_KEY',
      'SMSWIRE_DINISOFT_SECRET_KEY',
    ]);
    expect(credentialNames('dreams').map((o) => envName('dreams', o))).toEqual([
      'SMSWIRE_DREAMS_USER',
      'SMSWIRE_DREAMS_SECRET_KEY',
      'SMSWIRE_DREAMS_CLIENT_ID',
      'SMSWIRE_DREAMS_CLIENT_SECRET',
    ]);
  });
});

describe('a row from an earlier run, as text', () => {
  it('leaves out a reason or message its journal line lacks, never printing them empty', () => {
    const base = { key: 'k1', row: 3, to: '+8801712345678', previous: true as const };
    const unknown = describeRow({ ...base, status: 'unknown' });
    expect(unknown).toBe(
      'row 3 +8801712345678: unknown (earlier run) (no reason recorded) — may have been sent; not sent again',
    );
    const rejected = describeRow({ ...base, status: 'rejected', reason: 'number', message: '' });
    expect(rejected).toBe('row 3 +8801712345678: rejected (earlier run) (number)');
  });
});
