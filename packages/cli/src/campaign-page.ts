import { basename } from 'node:path';
import { type Campaign, type Outcome, outcomes } from './campaign-data.js';

/**
 * The campaign page: one HTML file with its charts as hand-written SVG, no script and nothing
 * fetched. A chart library was weighed: Chart.js or ECharts inlined would add 200–1,000 KB of
 * script to draw what is here a few hundred lines of bars, need JavaScript to show anything
 * (a mail client or a locked-down viewer shows SVG, not canvas), and put the numbers in a canvas
 * where neither a screen reader nor a test can read them. Here every bar is an element with its
 * value written beside it and in a `<title>`, and each chart has a text summary.
 */

const labels: Record<Outcome, string> = {
  delivered: 'Delivered',
  undelivered: 'Undelivered',
  rejected: 'Rejected',
  unknown: 'Unknown',
  noReport: 'No report',
};
/** Colours told apart with the common colour-vision deficiencies (Okabe–Ito), and each named in text too. */
const colours: Record<Outcome | 'sent' | 'accepted', string> = {
  sent: '#3d4f66',
  accepted: '#0072b2',
  delivered: '#009e73',
  undelivered: '#d55e00',
  rejected: '#cc79a7',
  unknown: '#e69f00',
  noReport: '#999999',
};

const html = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const percent = (value: number, total: number) => (total === 0 ? '0%' : `${((100 * value) / total).toFixed(1)}%`);
const number = (n: number) => n.toLocaleString('en-US');

interface Bar {
  label: string;
  value: number;
  colour?: string;
  /** A stacked bar: its parts by outcome. */
  parts?: Record<Outcome, number>;
}

const rowHeight = 26;
const labelWidth = 150;
const barWidth = 460;
const valueWidth = 130;

/** A horizontal bar chart; each bar's value and share of `total` written beside it. */
function barChart(id: string, title: string, bars: readonly Bar[], total: number, note = '', before = ''): string {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 8;
  const width = labelWidth + barWidth + valueWidth;
  const rows = bars.map((bar, i) => {
    const y = 4 + i * rowHeight;
    const share = `${number(bar.value)} (${percent(bar.value, total)})`;
    let x = labelWidth;
    const rects = bar.parts
      ? outcomes
          .filter((o) => bar.parts![o] > 0)
          .map((o) => {
            const w = (barWidth * bar.parts![o]) / max;
            const rect = `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(w, 1).toFixed(1)}" height="${rowHeight - 8}" fill="${colours[o]}" data-outcome="${o}" data-value="${bar.parts![o]}"><title>${html(bar.label)}: ${labels[o]} ${number(bar.parts![o])}</title></rect>`;
            x += w;
            return rect;
          })
          .join('')
      : `<rect x="${labelWidth}" y="${y + 3}" width="${Math.max((barWidth * bar.value) / max, bar.value ? 1 : 0).toFixed(1)}" height="${rowHeight - 8}" fill="${bar.colour ?? colours.accepted}"><title>${html(bar.label)}: ${share}</title></rect>`;
    return `<g class="bar" data-label="${html(bar.label)}" data-value="${bar.value}">
<text x="${labelWidth - 8}" y="${y + rowHeight / 2 + 4}" text-anchor="end">${html(bar.label)}</text>${rects}
<text class="value" x="${labelWidth + (barWidth * bar.value) / max + 6}" y="${y + rowHeight / 2 + 4}">${share}</text></g>`;
  });
  return figure(
    id,
    title,
    bars.length === 0
      ? '<p class="empty">None in this campaign.</p>'
      : `${before}<svg role="img" aria-labelledby="${id}-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title id="${id}-title">${html(title)}: ${bars.map((b) => `${b.label} ${number(b.value)}`).join(', ')}</title>${rows.join('\n')}</svg>`,
    note,
  );
}

function figure(id: string, title: string, body: string, note: string): string {
  return `<figure id="${id}" data-chart="${id}"><figcaption>${html(title)}</figcaption>${body}${note ? `<p class="note">${note}</p>` : ''}</figure>`;
}

const legend = (shown: readonly Outcome[]) =>
  `<ul class="legend">${shown.map((o) => `<li><span style="background:${colours[o]}"></span>${labels[o]}</li>`).join('')}</ul>`;

/** Final reports over time: stacked columns, delivered below undelivered. */
function timeChart(campaign: Campaign): string {
  const { overTime, bucketMs } = campaign;
  if (overTime.length === 0)
    return figure(
      'over-time',
      'Final reports over time',
      '<p class="empty">No final report recorded yet (run <code>smswire listen --journal</code>).</p>',
      '',
    );
  const width = 740;
  const height = 200;
  const left = 50;
  const bottom = 24;
  const max = Math.max(1, ...overTime.map((b) => b.delivered + b.undelivered));
  const step = (width - left) / overTime.length;
  const scale = (n: number) => ((height - bottom - 10) * n) / max;
  const format = (d: Date) =>
    bucketMs >= 24 * 3600_000
      ? d.toISOString().slice(0, 10)
      : d
          .toISOString()
          .slice(bucketMs >= 3600_000 ? 5 : 11, 16)
          .replace('T', ' ');
  const every = Math.ceil(overTime.length / 8);
  const columns = overTime.map((b, i) => {
    const x = left + i * step + 1;
    const w = Math.max(step - 2, 1);
    const dh = scale(b.delivered);
    const uh = scale(b.undelivered);
    const base = height - bottom;
    return `<g class="bucket" data-start="${b.start.toISOString()}" data-delivered="${b.delivered}" data-undelivered="${b.undelivered}"><title>${format(b.start)} UTC: delivered ${number(b.delivered)}, undelivered ${number(b.undelivered)}</title>
<rect x="${x.toFixed(1)}" y="${(base - dh).toFixed(1)}" width="${w.toFixed(1)}" height="${dh.toFixed(1)}" fill="${colours.delivered}"/><rect x="${x.toFixed(1)}" y="${(base - dh - uh).toFixed(1)}" width="${w.toFixed(1)}" height="${uh.toFixed(1)}" fill="${colours.undelivered}"/>${i % every === 0 && x < width - 40 ? `<text x="${x.toFixed(1)}" y="${height - 6}" class="tick">${format(b.start)}</text>` : ''}</g>`;
  });
  const delivered = overTime.reduce((n, b) => n + b.delivered, 0);
  const undelivered = overTime.reduce((n, b) => n + b.undelivered, 0);
  const minutes = bucketMs / 60_000;
  const size = minutes >= 1440 ? `${minutes / 1440} day` : minutes >= 60 ? `${minutes / 60} hour` : `${minutes} minute`;
  return figure(
    'over-time',
    'Final reports over time',
    `${legend(['delivered', 'undelivered'])}<svg role="img" aria-labelledby="over-time-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title id="over-time-title">Final reports per ${size} (UTC): ${number(delivered)} delivered, ${number(undelivered)} undelivered</title>
<line x1="${left}" y1="${height - bottom}" x2="${width}" y2="${height - bottom}" stroke="#888"/><text x="${left - 6}" y="14" text-anchor="end" class="tick">${number(max)}</text><text x="${left - 6}" y="${height - bottom}" text-anchor="end" class="tick">0</text>
${columns.join('\n')}</svg>`,
    `Each column is ${size}s of final reports (UTC): ${number(delivered)} delivered, ${number(undelivered)} undelivered.`,
  );
}

const stacked = (map: Map<string, Record<Outcome, number>>, limit: number): Bar[] => {
  const entries = [...map];
  const shown = entries.slice(0, limit);
  const rest = entries.slice(limit);
  if (rest.length) {
    const other = Object.fromEntries(outcomes.map((o) => [o, rest.reduce((n, [, c]) => n + c[o], 0)])) as Record<
      Outcome,
      number
    >;
    shown.push([`${rest.length} other`, other]);
  }
  return shown.map(([label, parts]) => ({ label, value: outcomes.reduce((n, o) => n + parts[o], 0), parts }));
};

const tallyBars = (tally: Map<string, number>, colour: string, name = (s: string) => s): Bar[] =>
  [...tally].map(([label, value]) => ({ label: name(label), value, colour }));

const regions = new Intl.DisplayNames(['en'], { type: 'region' });
/** `GR` → `Greece (GR)`; `??` (no country) as it is. */
export const countryName = (code: string) => {
  const name = /^[A-Z]{2}$/.test(code) ? regions.of(code) : undefined;
  return name && name !== code ? `${name} (${code})` : code;
};

/** The whole page. */
export function campaignPage(campaign: Campaign, generatedAt = new Date()): string {
  const { funnel, rows, accepted } = campaign;
  const title = `Campaign ${basename(campaign.journal).replace(/\.journal\.jsonl$/, '')}`;
  const funnelBars: Bar[] = [
    { label: 'Sent', value: rows, colour: colours.sent },
    { label: 'Accepted', value: accepted, colour: colours.accepted },
    ...outcomes.map((o) => ({ label: labels[o], value: funnel[o], colour: colours[o] })),
  ];
  const shown = outcomes.filter((o) => funnel[o] > 0);
  const headline = `${number(funnel.delivered)} of ${number(rows)} delivered (${percent(funnel.delivered, rows)})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${html(title)}: ${html(headline)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;padding:24px}
main{max-width:1540px;margin:auto;display:grid;grid-template-columns:repeat(auto-fit,minmax(760px,1fr));gap:16px}
header{max-width:1540px;margin:0 auto 16px}
h1{font-size:22px;margin:0 0 4px}.sub{color:#59636e;margin:0}
figure{background:#fff;border:1px solid #d1d9e0;border-radius:8px;margin:0;padding:14px 16px;overflow-x:auto}
figcaption{font-weight:600;font-size:15px;margin-bottom:8px}
svg{display:block;max-width:100%;height:auto}svg text{font-size:12px;fill:#1f2328}svg .value{fill:#3d4f66}svg .tick{font-size:11px;fill:#59636e}
.legend{list-style:none;padding:0;margin:0 0 6px;display:flex;gap:14px;flex-wrap:wrap;font-size:12px}
.legend span{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.note,.empty{color:#59636e;font-size:12px;margin:6px 0 0}
</style></head>
<body><header><h1>${html(title)}</h1><p class="sub"><strong>${html(headline)}</strong> · ${number(accepted)} accepted · ${number(funnel.noReport)} without a final report · made ${html(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC from ${html(basename(campaign.journal))}</p></header>
<main>
${barChart('funnel', 'Funnel: sent → accepted → where each message ended', funnelBars, rows, '“No report”: accepted, and no final delivery report recorded (yet). Percentages are of the rows sent.')}
${timeChart(campaign)}
${barChart('by-vendor', 'By vendor', stacked(campaign.byVendor, 10), rows, '', legend(shown))}
${barChart('by-reason', 'Rejected, by reason', tallyBars(campaign.byReason, colours.rejected), funnel.rejected)}
${barChart('by-country', 'By country (from the numbers)', stacked(new Map([...campaign.byCountry].map(([code, counts]) => [countryName(code), counts])), 12), rows, campaign.byCountry.has('??') ? '“??”: a number the phone library places in no country.' : '', legend(shown))}
${barChart(
  'encodings',
  'Encodings of accepted messages',
  tallyBars(campaign.encodings, colours.accepted, (e) => (e === 'gsm7' ? 'GSM-7' : e === 'ucs2' ? 'UCS-2' : e)),
  accepted,
)}
${barChart(
  'parts',
  'Parts per accepted message',
  tallyBars(campaign.parts, colours.sent, (p) => (/^\d+$/.test(p) ? `${p} part${p === '1' ? '' : 's'}` : p)),
  accepted,
)}
</main></body></html>
`;
}
