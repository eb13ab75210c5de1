import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { codeSamples } from './docs/code-samples.js';
import { testedNodeVersions } from './lib/node-versions.js';
import { listVendors, loadSpec, root } from './lib/vendors.js';
import { landingBody, type VendorEntry } from './site/landing.js';
import { type Nav, type NavLink, page } from './site/layout.js';
import { renderMarkdown, titleOf } from './site/markdown.js';
import { arrangeVendorPage } from './site/vendor-page.js';
import { redoclyOutput } from './site/redocly-output.js';
import { redocTheme, siteCss } from './site/theme.js';

/**
 * `pnpm run docs` (`pnpm docs` is pnpm's own command, which opens the npm page): the reference
 * site in the git-ignored `.docs-build/`, every page working offline from disk. One Redoc page per
 * vendor (`--inlineBundle`) from its spec with generated `x-codeSamples`, the landing page, the
 * guides of docs/guides/ and the @smswire/sms README, in Redoc's look.
 */
const out = join(root, '.docs-build');
const work = join(out, '.specs');
rmSync(out, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const guideDir = join(root, 'docs', 'guides');
const guides = readdirSync(guideDir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => ({ source: f, href: `guide-${f.slice(0, -3)}.html`, markdown: readFileSync(join(guideDir, f), 'utf8') }));
const vendors: VendorEntry[] = [];
for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  const { samples, facts } = await codeSamples(vendor);
  // A copy, so operations the YAML shares through anchors each get their own samples.
  const rendered = JSON.parse(JSON.stringify(spec));
  arrangeVendorPage(rendered, {
    packageName: vendor.packageName,
    links: [
      { href: 'index.html', label: 'smswire' },
      ...guides.map((g) => ({ href: g.href, label: titleOf(g.markdown) })),
    ],
    samples,
  });
  let operations = 0;
  for (const item of Object.values<Record<string, { operationId: string }>>(rendered.paths)) {
    for (const op of Object.values(item)) {
      operations++;
      (op as Record<string, unknown>)['x-codeSamples'] = samples.get(op.operationId);
    }
  }
  const specFile = join(work, `${vendor.id}.yaml`);
  writeFileSync(specFile, stringify(rendered, { lineWidth: 0 }));
  const file = `${vendor.id}.html`;
  const redocly = spawnSync(
    join(root, 'node_modules', '.bin', 'redocly'),
    [
      'build-docs',
      specFile,
      '--inlineBundle',
      '--output',
      join(out, file),
      '--title',
      `${vendor.packageName} — ${spec.info.title}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  );
  if (redocly.status !== 0) {
    process.stderr.write(redocly.stderr ?? '');
    throw new Error(`redocly build-docs ${vendor.id}: exit ${redocly.status ?? redocly.signal}`);
  }
  process.stderr.write(redoclyOutput(redocly.stderr));
  inlineRedocLogo(join(out, file));
  vendors.push({ vendor, spec, page: file, operations, facts, samples });
  console.log(`docs: ${file}`);
}
rmSync(work, { recursive: true, force: true });

writeFileSync(join(out, 'site.css'), siteCss(redocTheme(readFileSync(join(out, vendors[0]!.page), 'utf8'))));

const commandReadme = join(root, 'packages', 'cli', 'README.md');
const command = existsSync(commandReadme) ? 'cli.html' : undefined;
const more: NavLink[] = [
  { href: 'sms.html', label: '@smswire/sms' },
  ...(command ? [{ href: command, label: 'The smswire command' }] : []),
];
const nav: Nav = {
  vendors: vendors.map((v) => ({ href: v.page, label: v.spec.info.title })),
  guides: guides.map((g) => ({ href: g.href, label: titleOf(g.markdown) })),
  more,
};
// Links between Markdown files go to the pages built from them.
const links: Record<string, string> = Object.fromEntries([
  ...guides.map((g) => [`docs/guides/${g.source}`, g.href]),
  ['README.md', 'index.html'],
  ['packages/sms/README.md', 'sms.html'],
  ['packages/sms', 'sms.html'],
  ['packages/cli/README.md', command ?? 'index.html#command'],
  ['packages/cli', command ?? 'index.html#command'],
]);

const written = (file: string, title: string, body: string) => {
  writeFileSync(join(out, file), page(file, title, nav, body));
  console.log(`docs: ${file}`);
};
for (const guide of guides)
  written(guide.href, `${titleOf(guide.markdown)} — smswire`, renderMarkdown(guide.markdown, links, 'docs/guides'));
written(
  'sms.html',
  '@smswire/sms — smswire',
  renderMarkdown(readFileSync(join(root, 'packages', 'sms', 'README.md'), 'utf8'), links, 'packages/sms'),
);
if (command)
  written(command, 'The smswire command', renderMarkdown(readFileSync(commandReadme, 'utf8'), links, 'packages/cli'));
const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines
  .node;
written(
  'index.html',
  'smswire — SMS vendor clients and API reference',
  landingBody({ vendors, guides: nav.guides, nodes: testedNodeVersions(), engines, command }),
);

/**
 * Redoc's "API docs by" badge loads its logo from cdn.redoc.ly even in an --inlineBundle page;
 * the page must work offline without a single outside request, so the logo is inlined.
 */
function inlineRedocLogo(file: string) {
  const logo = `data:image/svg+xml,${encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12">Redoc</text></svg>',
  )}`;
  const html = readFileSync(file, 'utf8');
  const inlined = html.replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, logo);
  if (inlined === html) throw new Error(`${file}: Redoc's CDN logo URL was not found; check the offline browser test`);
  writeFileSync(file, inlined);
}
