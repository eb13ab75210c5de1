import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type Campaign, outcomes, readCampaign } from './campaign-data.js';
import { campaignPage } from './campaign-page.js';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Output } from './output.js';

type Run = <A extends unknown[]>(action: (...args: A) => Promise<number> | number) => (...args: A) => Promise<void>;

export function summaryCommand(program: Command, run: Run, out: Output): void {
  program
    .command('summary')
    .description('where each row of a bulk campaign ended (its journal, and the reports `listen` recorded beside it)')
    .argument('<journal>', 'the journal of a bulk run')
    .option('--html <file>', 'also write the campaign page: one HTML file, charts included, nothing fetched')
    .action(run((journal: string, opts: { html?: string }) => summary(journal, opts, out)));
}

export async function summary(journal: string, flags: { html?: string }, out: Output): Promise<number> {
  if (!existsSync(journal)) throw new UsageError(`${journal}: no such journal`);
  const campaign = await readCampaign(journal);
  if (flags.html) writeFileSync(flags.html, campaignPage(campaign));
  out.emit('summary', record(campaign, flags.html), describe(campaign, flags.html));
  return exitCodes.done;
}

const record = (campaign: Campaign, html: string | undefined) => ({
  rows: campaign.rows,
  accepted: campaign.accepted,
  ...campaign.funnel,
  byVendor: Object.fromEntries(campaign.byVendor),
  ...(html ? { html } : {}),
});

const describe = (campaign: Campaign, html: string | undefined) =>
  `${campaign.rows} rows, ${campaign.accepted} accepted: ${outcomes.map((o) => `${campaign.funnel[o]} ${o === 'noReport' ? 'no report' : o}`).join(', ')}${html ? `\ncampaign page: ${html}` : ''}`;
