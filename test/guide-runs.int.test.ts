import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { guideBlocks } from '../scripts/lib/doc-blocks.js';
import { root } from '../scripts/lib/vendors.js';

/**
 * The observability guide's TypeScript samples run (test/code-samples.e2e.test.ts type-checks them):
 * each bundled from the workspace sources and run by Node, with a `fetch` that answers 503 to
 * every request, since nothing may leave the machine.
 */
const run = promisify(execFile);
mkdirSync(join(root, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(root, '.tmp', 'guide-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const packages = join(root, 'packages');
const blocks = guideBlocks().filter((b) => b.lang === 'ts' && b.source.startsWith('docs/guides/observability.md'));

it('the guide has samples to run', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(4);
});

it.each(blocks.map((b) => [b.source, b.code] as const))('%s runs', async (source, code) => {
  const outfile = join(dir, `${source.replace(/\W/g, '-')}.mjs`);
  await build({
    stdin: { contents: code, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@smswire/source'],
    // The workspace packages by name, as a user imports them: their sources.
    alias: {
      '@smswire/sms': join(packages, 'sms', 'src'),
      '@smswire/dinisoft': join(packages, 'dinisoft', 'src'),
      '@smswire/sms365': join(packages, 'sms365', 'src'),
      '@smswire/opentelemetry': join(packages, 'opentelemetry', 'src'),
    },
    banner: {
      js: [
        "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
        "globalThis.fetch = async () => new Response('', { status: 503 });",
      ].join('\n'),
    },
    outfile,
    logLevel: 'error',
  });
  const { stdout, stderr } = await run(process.execPath, [outfile], { cwd: root, timeout: 30_000 });
  if (code.includes('prepare')) expect(stdout).toContain('[REDACTED]');
  if (code.includes('logger: console')) expect(stdout + stderr).toContain('sms365 meBalance attempt 1: HTTP 503');
  expect(`${stdout}${stderr}`).not.toMatch(/my-key|my-secret/);
});
