import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignTally, readCampaign } from '../src/campaign-data.js';

const hour = 3600_000;
const start = Date.UTC(2026, 11, 1);

describe("a campaign's counts, a row at a time", () => {
  it('counts rows by outcome, vendor, country, reason, encoding and parts, and final reports over time', () => {
    const tally = new CampaignTally('j.jsonl');
    tally.add({
      key: 'a',
      vendor: 'unified',
      country: 'GR',
      outcome: 'delivered',
      accepted: true,
      encoding: 'gsm7',
      parts: 1,
      finalAt: new Date(start),
    });
    tally.add({
      key: 'b',
      vendor: 'unified',
      country: 'GR',
      outcome: 'undelivered',
      accepted: true,
      encoding: 'ucs2',
      parts: 2,
      finalAt: new Date(start + 5 * hour),
    });
    tally.add({ key: 'c', vendor: 'dinisoft', country: 'IL', outcome: 'rejected', accepted: false, reason: 'number' });
    tally.add({ key: 'd', vendor: 'none', country: '??', outcome: 'unknown', accepted: false });
    const campaign = tally.campaign();
    expect(campaign).toMatchObject({ journal: 'j.jsonl', rows: 4, accepted: 2, bucketMs: 15 * 60_000 });
    expect(campaign.funnel).toEqual({ delivered: 1, undelivered: 1, rejected: 1, unknown: 1, noReport: 0 });
    expect([...campaign.byVendor.keys()]).toEqual(['unified', 'dinisoft', 'none']);
    expect(campaign.byCountry.get('GR')).toMatchObject({ delivered: 1, undelivered: 1 });
    expect([...campaign.byReason]).toEqual([['number', 1]]);
    expect([...campaign.parts]).toEqual([
      ['1', 1],
      ['2', 1],
    ]);
    expect(campaign.overTime).toHaveLength(21);
    expect(campaign.overTime[0]).toMatchObject({ delivered: 1, undelivered: 0 });
    expect(campaign.overTime.at(-1)).toMatchObject({ delivered: 0, undelivered: 1 });
  });

  it('takes half a million final reports (their times were spread into Math.min: a stack overflow)', () => {
    const tally = new CampaignTally('j.jsonl');
    for (let i = 0; i < 500_000; i++)
      tally.add({
        key: `k${i}`,
        vendor: 'unified',
        country: 'GR',
        outcome: i % 3 ? 'delivered' : 'undelivered',
        accepted: true,
        finalAt: new Date(start + (i % 48) * hour),
      });
    const campaign = tally.campaign();
    expect(campaign.bucketMs).toBe(hour);
    expect(campaign.overTime).toHaveLength(48);
    expect(campaign.overTime.reduce((n, b) => n + b.delivered + b.undelivered, 0)).toBe(500_000);
  });

  it("reads a journal by each row's last line: a row resent and cut off is unknown, under no vendor", async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'smswire-campaign-')), 'j.jsonl');
    const lines = [
      { key: 'a', row: 1, to: '+306971234567', state: 'pending' },
      {
        key: 'a',
        row: 1,
        to: '+306971234567',
        status: 'accepted',
        vendor: 'unified',
        messageId: 'm1',
        encoding: 'gsm7',
        parts: 1,
      },
      {
        key: 'b',
        row: 2,
        to: '+972501234567',
        status: 'rejected',
        reason: 'throttled',
        vendor: 'unified',
        message: '429',
      },
      // Sent again by a later run, which was killed before the vendor answered.
      { key: 'b', row: 2, to: '+972501234567', state: 'pending' },
    ];
    writeFileSync(journal, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const campaign = await readCampaign(journal);
    expect(campaign).toMatchObject({ rows: 2, accepted: 1 });
    expect(campaign.funnel).toMatchObject({ noReport: 1, unknown: 1, rejected: 0 });
    expect(Object.fromEntries(campaign.byVendor)).toMatchObject({ unified: { noReport: 1 }, none: { unknown: 1 } });
    expect([...campaign.byReason]).toEqual([]);
    expect([...campaign.encodings]).toEqual([['gsm7', 1]]);
  });
});
