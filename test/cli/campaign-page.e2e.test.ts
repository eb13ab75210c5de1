import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyReport, fileReportStore } from '@smswire/sms/report-endpoint';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { root } from '../../scripts/lib/vendors.js';
import { countryName } from '../../packages/cli/src/campaign-page.js';
import { jsonLines, smswire } from './cli.js';

/**
 * Issue 33's campaign page, in real Chromium with every request but the file itself blocked:
 * it renders offline, its charts hold the journal's numbers (read back from the DOM), the
 * console stays clean, and a screenshot goes to the git-ignored test-results/campaign/.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const shots = join(root, 'test-results', 'campaign');

const countries = [
  ['GR', (i: number) => `+30697${String(10000000 + i).slice(1)}`],
  ['BD', (i: number) => `+88017${String(10000000 + i).slice(1)}`],
  ['IL', (i: number) => `+97250${String(10000000 + i).slice(1)}`],
  ['SA', (i: number) => `+96650${String(10000000 + i).slice(1)}`],
] as const;
const vendors = ['sms365', 'dinisoft', 'unified'] as const;

/** A 600-row campaign: who it went through, where, and how it ended, each decided by the row's number. */
function campaign() {
  const lines: Record<string, unknown>[] = [];
  const reports: { vendor: string; messageId: string; state: 'delivered' | 'undelivered'; at: Date }[] = [];
  const expected = { rows: 0, accepted: 0, delivered: 0, undelivered: 0, rejected: 0, unknown: 0, noReport: 0 };
  const byVendor = new Map<string, number>();
  const byCountry = new Map<string, number>();
  const reasons = new Map<string, number>();
  const parts = new Map<number, number>();
  const start = Date.parse('2026-12-04T09:00:00Z');
  for (let i = 0; i < 600; i++) {
    const [country, number] = countries[i % countries.length]!;
    const vendor = vendors[i % 3]!;
    const key = `row-${i}`;
    const to = number(i);
    expected.rows++;
    byVendor.set(vendor, (byVendor.get(vendor) ?? 0) + 1);
    byCountry.set(country, (byCountry.get(country) ?? 0) + 1);
    lines.push({ key, row: i + 1, to, state: 'pending' });
    if (i % 17 === 0) {
      const reason = i % 2 ? 'number' : 'balance';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      expected.rejected++;
      lines.push({ key, row: i + 1, to, status: 'rejected', vendor, reason, message: 'refused' });
      continue;
    }
    if (i % 29 === 0) {
      expected.unknown++;
      lines.push({ key, row: i + 1, to, status: 'unknown', vendor, reason: 'ambiguous', message: 'timed out' });
      continue;
    }
    const p = i % 5 === 0 ? 2 : 1;
    parts.set(p, (parts.get(p) ?? 0) + 1);
    expected.accepted++;
    const messageId = `m${i}`;
    lines.push({
      key,
      row: i + 1,
      to,
      status: 'accepted',
      vendor,
      messageId,
      encoding: i % 5 ? 'gsm7' : 'ucs2',
      parts: p,
    });
    if (i % 11 === 0) expected.noReport++;
    else {
      const state = i % 7 === 0 ? 'undelivered' : 'delivered';
      expected[state]++;
      reports.push({ vendor, messageId, state, at: new Date(start + ((i * 37) % 180) * 60_000) });
    }
  }
  return { lines, reports, expected, byVendor, byCountry, reasons, parts };
}

it('the campaign page renders offline in Chromium and its charts hold the journal’s numbers', async () => {
  expect(existsSync(chromiumPath), `Chromium at ${chromiumPath}`).toBe(true);
  const dir = mkdtempSync(join(tmpdir(), 'smswire-page-'));
  const journal = join(dir, 'spring-sale.csv.journal.jsonl');
  const data = campaign();
  writeFileSync(journal, `${data.lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  const store = fileReportStore(`${journal}.reports.jsonl`);
  for (const [n, r] of data.reports.entries())
    await applyReport(store, `ref${n}`, {
      vendor: r.vendor as 'sms365',
      messageId: r.messageId,
      state: r.state,
      final: true,
      vendorStatus: r.state === 'delivered' ? 'DELIVRD' : 'UNDELIV',
      at: r.at,
    });
  await store.close();

  const page = join(dir, 'campaign.html');
  const run = await smswire(['--json', 'summary', journal, '--html', page]);
  expect(run.code, run.stderr).toBe(0);
  const [line] = jsonLines(run.stdout);
  expect(line).toMatchObject({ type: 'summary', ...data.expected, html: page });
  const htmlText = readFileSync(page, 'utf8');
  // Self-contained: nothing that would fetch.
  expect(htmlText).not.toMatch(/<script|<link|src=|url\(|@import|https?:\/\/(?!www\.w3\.org)/);
  expect(statSync(page).size).toBeLessThan(200_000);

  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const outside: string[] = [];
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith('file:')) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    tab.on('pageerror', (error) => problems.push(error.message));
    await tab.goto(pathToFileURL(page).href);
    await tab.screenshot({ path: join(shots, 'campaign.png'), fullPage: true });

    const bars = (chart: string) =>
      tab.$$eval(`[data-chart="${chart}"] .bar`, (gs) =>
        Object.fromEntries(gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))])),
      );
    const e = data.expected;
    expect(await bars('funnel')).toEqual({
      Sent: e.rows,
      Accepted: e.accepted,
      Delivered: e.delivered,
      Undelivered: e.undelivered,
      Rejected: e.rejected,
      Unknown: e.unknown,
      'No report': e.noReport,
    });
    // The value a person reads beside the bar is the same number.
    const deliveredText = await tab.textContent('[data-chart="funnel"] .bar[data-label="Delivered"] .value');
    expect(deliveredText).toContain(e.delivered.toLocaleString('en-US'));
    expect(await bars('by-vendor')).toEqual(Object.fromEntries(data.byVendor));
    expect(await bars('by-country')).toEqual(
      Object.fromEntries([...data.byCountry].map(([c, n]) => [countryName(c), n])),
    );
    expect(await bars('by-reason')).toEqual(Object.fromEntries(data.reasons));
    expect(await bars('parts')).toEqual(
      Object.fromEntries([...data.parts].map(([p, n]) => [`${p} part${p === 1 ? '' : 's'}`, n])),
    );
    const encodings = await bars('encodings');
    expect(encodings['GSM-7']! + encodings['UCS-2']!).toBe(e.accepted);
    // A stacked bar's parts add up to the bar.
    const sms365Parts = await tab.$$eval('[data-chart="by-vendor"] .bar[data-label="sms365"] rect', (rs) =>
      rs.reduce((n, r) => n + Number(r.getAttribute('data-value')), 0),
    );
    expect(sms365Parts).toBe(data.byVendor.get('sms365'));
    const overTime = await tab.$$eval('[data-chart="over-time"] .bucket', (gs) =>
      gs.reduce(
        (n, g) => ({
          delivered: n.delivered + Number(g.getAttribute('data-delivered')),
          undelivered: n.undelivered + Number(g.getAttribute('data-undelivered')),
        }),
        { delivered: 0, undelivered: 0 },
      ),
    );
    expect(overTime).toEqual({ delivered: e.delivered, undelivered: e.undelivered });
    // Every chart is named for assistive technology.
    const unnamed = await tab.$$eval(
      'svg',
      (svgs) => svgs.filter((s) => !s.querySelector('title')?.textContent).length,
    );
    expect(unnamed).toBe(0);
    // Nothing is cut off sideways at a laptop's width.
    const overflow = await tab.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  } finally {
    await browser.close();
  }
}, 60_000);
