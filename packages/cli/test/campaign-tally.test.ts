import { describe, expect, it } from 'vitest';
import { CampaignTally } from '../src/campaign-data.js';

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
});
