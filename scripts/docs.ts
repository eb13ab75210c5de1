import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listVendors, loadSpec, root } from './lib/vendors.js';

/**
 * One self-contained Redoc page per vendor (`--inlineBundle`, so it opens offline from disk)
 * and an index page, in the git-ignored `.docs-build/`.
 */
const out = join(root, '.docs-build');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const rows: string[] = [];
for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  const page = `${vendor.id}.html`;
  execFileSync(
    join(root, 'node_modules', '.bin', 'redocly'),
    [
      'build-docs',
      vendor.specPath,
      '--inlineBundle',
      '--output',
      join(out, page),
      '--title',
      `${vendor.packageName} — ${spec.info.title}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  );
  inlineRedocLogo(join(out, page));
  const operations = Object.values<Record<string, unknown>>(spec.paths).flatMap((item) => Object.keys(item)).length;
  rows.push(
    `<tr><td><a href="${page}">${escapeHtml(spec.info.title)}</a></td><td><code>${vendor.packageName}</code></td><td>${operations}</td><td>${escapeHtml(spec.info.version)}</td></tr>`,
  );
  console.log(`docs: ${page}`);
}

writeFileSync(
  join(out, 'index.html'),
  `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>smswire API reference</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:50rem;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
</head>
<body>
<h1>smswire API reference</h1>
<p>One page per vendor, generated from <code>specs/&lt;vendor&gt;.yaml</code> by <code>pnpm docs</code>. Every page works offline.</p>
<table>
<thead><tr><th>Vendor API</th><th>Package</th><th>Operations</th><th>API version</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`,
);
console.log(`docs: ${join(out, 'index.html')}`);

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

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);
}
