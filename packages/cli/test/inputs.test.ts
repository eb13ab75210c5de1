import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@smswire/sms';
import { describe, expect, it } from 'vitest';
import { campaignOf } from '../src/campaign.js';
import { parseTime } from '../src/send.js';

const now = Date.parse('2026-06-01T00:00:00Z');

describe('--at', () => {
  it('takes a time that exists, in any ISO 8601 form the command documents', () => {
    expect(parseTime('2028-02-29T09:00Z', { now }).toISOString()).toBe('2028-02-29T09:00:00.000Z');
    expect(parseTime('2026-12-31T23:59:59+02:00', { now }).toISOString()).toBe('2026-12-31T21:59:59.000Z');
  });

  it('refuses a day, month or time that does not exist, and a past time unless allowed', () => {
    for (const value of [
      '2027-02-29T09:00Z',
      '2026-02-30T09:00Z',
      '2026-13-01',
      '2026-06-31',
      '2026-07-01T24:00Z',
      '2026-07-01T10:60Z',
      'tomorrow',
    ])
      expect(() => parseTime(value, { now }), value).toThrow(ValidationError);
    expect(() => parseTime('2026-05-31T23:59Z', { now })).toThrow(/in the past/);
    expect(parseTime('2026-05-31T23:59Z', { now, allowPast: true }).toISOString()).toBe('2026-05-31T23:59:00.000Z');
  });
});

describe('the default campaign', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-campaign-'));
  const csv = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("is the CSV's name and a hash of its header and first row: the same file is the same campaign, other rows another", () => {
    // One path rewritten: the campaign is read from what the file holds when the run starts.
    const path = csv('customers.csv', 'to,text,id\n+8801712000001,Hi,c1\n+8801712000002,Hi,c2\n');
    const may = campaignOf(undefined, path, `${path}.journal.jsonl`);
    expect(may).toMatch(/^customers-[0-9a-f]{8}$/);
    // Rows after the first do not change it (rows appended before a resume: the same campaign).
    csv('customers.csv', 'to,text,id\n+8801712000001,Hi,c1\n+8801712000003,Hey,c3\n');
    expect(campaignOf(undefined, path, '')).toBe(may);
    const june = csv('customers.csv', 'to,text,id\n+8801712000009,June sale,c1\n');
    expect(campaignOf(undefined, june, '')).not.toBe(may);
    expect(campaignOf('june-2026', june, '')).toBe('june-2026');
    expect(campaignOf(undefined, '-', join(dir, 'stdin-run.journal.jsonl'))).toBe('stdin-run');
    expect(() => campaignOf(' ', june, '')).toThrow(/--campaign takes a name/);
  });
});
