import type { AdapterFacts } from '../docs/adapter-uses.js';
import type { CodeSample } from '../docs/code-samples.js';
import type { NodePin } from '../lib/node-versions.js';
import type { Spec, Vendor } from '../lib/vendors.js';
import { escapeHtml, type NavLink } from './layout.js';

export interface VendorEntry {
  vendor: Vendor;
  spec: Spec;
  page: string;
  operations: number;
  facts: AdapterFacts | undefined;
  samples: Map<string, CodeSample[]>;
}

export interface Landing {
  vendors: VendorEntry[];
  guides: NavLink[];
  nodes: NodePin[];
  engines: string;
  /** The page of the command's README, when the workspace has the package. */
  command: string | undefined;
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const pre = (text: string, lang?: 'sh') =>
  `<pre><code${lang ? ` class="language-${lang}"` : ''}>${escapeHtml(text.trimEnd())}</code></pre>`;
const cell = (yes: boolean, text = yes ? 'yes' : 'no') => `<td class="${yes ? 'yes' : 'no'}">${text}</td>`;

/** The capabilities row of a vendor, as `@smswire/sms` and its adapter report them. */
function capabilityCells({ facts }: VendorEntry): string {
  if (!facts) return '<td colspan="8" class="no">vendor package only: no adapter in @smswire/sms yet</td>';
  const c = facts.capabilities;
  const encodings = facts.ucs2Flags.length
    ? `GSM-7, UCS-2 flagged ${facts.ucs2Flags.map(code).join(', ')}${facts.ucs2Rewritten ? ', text re-encoded' : ''}`
    : 'GSM-7, UCS-2: text as given, the vendor picks';
  return [
    cell(true),
    cell(facts.batchSize !== undefined, facts.batchSize ? `yes, ${facts.batchSize} a request` : 'one by one'),
    cell(c.schedule),
    cell(c.status),
    cell(c.balance),
    cell(c.reports, c.reports ? 'yes (<code>parseReport</code>)' : 'no'),
    `<td>${encodings}</td>`,
    `<td>${c.countries ? c.countries.join(', ') : 'any'}</td>`,
  ].join('');
}

function install(pkg: string): string {
  const lines = [
    [`npm install ${pkg}`, "one vendor's typed client"],
    [`npm install @smswire/sms ${pkg}`, 'one send() across vendors, plus each vendor you use'],
    ['npm install --global @smswire/cli', 'the smswire command'],
  ];
  const width = Math.max(...lines.map(([command]) => command!.length)) + 2;
  return lines.map(([command, what]) => `${command!.padEnd(width)}# ${what}`).join('\n');
}

export function landingBody(site: Landing): string {
  const rows = site.vendors.map(
    (v) =>
      `<tr><td><a href="${v.page}">${escapeHtml(v.spec.info.title)}</a></td><td>${code(v.vendor.packageName)}</td><td>${v.operations}</td>${capabilityCells(v)}</tr>`,
  );
  // The quick start is the send samples of the vendor whose adapter can do the most, so it is
  // type-checked with them.
  const can = (v: VendorEntry) =>
    v.facts ? Object.values(v.facts.capabilities).filter((c) => c === true).length + (v.facts.batchSize ? 1 : 0) : -1;
  const featured = [...site.vendors].sort((a, b) => can(b) - can(a))[0]!;
  const quick = [...featured.samples.values()].find((list) => list[2]?.source.includes('smswire send'));
  const majors = site.nodes.map((n) => n.major);
  return `<h1>smswire</h1>
<p class="lead">Typed TypeScript clients for five SMS vendors, built spec-first: each vendor's HTTP API is a
hand-written OpenAPI document, and the types, one method per operation, the error catalog, these reference
pages and the local mocks are generated from it. On top, <a href="sms.html">${code('@smswire/sms')}</a> sends
through any of them with one call, and the ${code('smswire')} command does it from a shell.</p>

<h2 id="install">Install</h2>
<!-- not run: installs from the npm registry -->
${pre(install(featured.vendor.packageName), 'sh')}
<p>ESM packages for Node ${escapeHtml(site.engines)}. Every vendor package ships its spec as ${code('openapi.yaml')}, so
you can run a mock of exactly the API you installed (<a href="guide-testing-with-mocks.html">testing against the mocks</a>).</p>
${
  quick
    ? `<h3>${escapeHtml(quick[1]!.label)}</h3>
${pre(quick[1]!.source)}
<h3>The command</h3>
${pre(quick[2]!.source, 'sh')}`
    : ''
}

<h2 id="vendors">Vendors</h2>
<p>What ${code('@smswire/sms')} does with each vendor, read from its adapter: the capabilities it declares and
how a Unicode text goes out on the wire. Every operation of every vendor is in its reference, with a code sample.</p>
<div class="table-scroll">
<table>
<thead><tr><th>Vendor API</th><th>Package</th><th>Operations</th><th>Send</th><th>Batch</th><th>Schedule</th><th>Status</th><th>Balance</th><th>Delivery reports</th><th>Encodings</th><th>Destinations</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>

<h2 id="command">The ${code('smswire')} command</h2>
<p>${code('smswire send')}, ${code('bulk')} (a CSV campaign that survives a crash, with a journal), ${code('balance')},
${code('status')}, ${code('segments')}, ${code('vendors')}, ${code('mock')}, ${code('report')}, ${code('reconcile')} and
${code('login')}; ${code('--json')} on every command, and exit codes a script can act on: 0 done, 2 bad usage or input
(nothing sent), 3 not sent, 4 outcome unknown, 5 a bulk run with some recipients not accepted. Credentials come from
flags, ${code('SMSWIRE_<VENDOR>_<OPTION>')} variables, ${code('--env-file')} or a profile.
${site.command ? `<a href="${site.command}">The command's reference</a>.` : ''} Campaigns and recovery:
<a href="guide-bulk-campaigns.html">the bulk guide</a>.</p>

<h2 id="guides">Guides</h2>
<ul class="cards">
${site.guides.map((g) => `<li><a href="${g.href}">${escapeHtml(g.label)}</a></li>`).join('\n')}
<li><a href="sms.html">${code('@smswire/sms')}: send, sendMany, status, balances, failover, idempotency</a></li>
</ul>

<h2 id="node">Node versions</h2>
<p>Tested on Node ${majors.slice(0, -1).join(', ')} and ${majors.at(-1)} (${site.nodes.map((n) => n.version).join(', ')});
the packages declare ${code(`node ${site.engines}`)}.</p>
`;
}
