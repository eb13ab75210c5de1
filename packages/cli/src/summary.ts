import { existsSync, writeFileSync } from 'node:fs';
import { type Campaign, outcomes, readCampaign } from './campaign-data.js';
import { campaignPage } from './campaign-page.js';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Context } from './io.js';

export async function summary(journal: string, flags: { html?: string }, ctx: Context): Promise<number> {
  const { out } = ctx;
  if (!existsSync(journal)) throw new UsageError(`${journal}: no such journal`);
  const campaign = await readCampaign(journal);
  if (flags.html) writeFileSync(flags.html, campaignPage(campaign, new Date(ctx.io.now())));
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
