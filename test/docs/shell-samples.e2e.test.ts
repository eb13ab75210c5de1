import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeSamples } from '../../scripts/docs/code-samples.js';
import {
  filled,
  htmlShellBlocks,
  markdownShellBlocks,
  markdownSources,
  problems,
  type ShellBlock,
  script,
  splitRun,
  steps,
} from '../../scripts/docs/shell-samples.js';
import { freePort, type RunningMock, startMock } from '../../scripts/lib/mock.js';
import { testedNodeVersions } from '../../scripts/lib/node-versions.js';
import { listVendors, loadSpec, root } from '../../scripts/lib/vendors.js';
import { landingBody, type VendorEntry } from '../../scripts/site/landing.js';
import { cleanEnv, cliBundle } from '../cli/cli.js';

/**
 * Every shell sample of the docs runs against the vendors' shipped mocks (Prism on each package's
 * `openapi.yaml`) and must exit 0 printing what its `# → ` lines show: the reference pages'
 * `smswire CLI` tabs, the landing page, the guides and the READMEs. The rules a sample is written
 * to, and how a block is marked as not run, are in scripts/docs/shell-samples.ts.
 */
const vendors = listVendors();
let mocks: RunningMock[] = [];
let urls: Record<string, string> = {};
let bin: string;
const work = mkdtempSync(join(tmpdir(), 'smswire-shell-samples-'));

beforeAll(async () => {
  mocks = await Promise.all(
    vendors.map((vendor) => startMock({ ...vendor, specPath: join(root, 'packages', vendor.id, 'openapi.yaml') })),
  );
  urls = Object.fromEntries(mocks.map((m) => [m.vendor, m.url]));
  // `smswire` on the PATH: the command's bundle (test/cli/cli.ts).
  bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'smswire'), `#!/bin/sh\nexec "${process.execPath}" "${await cliBundle()}" "$@"\n`);
  chmodSync(join(bin, 'smswire'), 0o755);
}, 240_000);
afterAll(async () => {
  await Promise.all(mocks.map((m) => m.stop()));
  rmSync(work, { recursive: true, force: true });
});

/** Runs blocks in order in one shell and a fresh folder, and returns what is wrong. */
async function runBlocks(blocks: ShellBlock[]): Promise<string[]> {
  const dir = mkdtempSync(join(work, 'run-'));
  const port = await freePort();
  const list = steps(blocks.map((b) => filled(b.code, urls, port)).join('\n'));
  const env = cleanEnv({
    PATH: `${bin}:${process.env.PATH}`,
    NO_COLOR: '1',
    ...Object.fromEntries(vendors.map((v) => [`SMSWIRE_${v.id.toUpperCase()}_BASE_URL`, urls[v.id]])),
  });
  // Its own process group, so a sample's background mock goes with it; stdin closed, as in a script.
  const child = spawn('bash', ['-c', script(list)], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let printed = '';
  child.stdout.on('data', (chunk) => (printed += chunk));
  child.stderr.on('data', (chunk) => (printed += chunk));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 150_000);
  await new Promise((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
  return problems(splitRun(list, printed), list);
}

describe.each(vendors)('the $id reference page', (vendor) => {
  it('runs every `smswire CLI` sample against the mock, exit 0, printing what it shows', async () => {
    const { samples } = await codeSamples(vendor);
    const blocks = [...samples].flatMap(([id, list]) =>
      list.filter((s) => s.lang === 'bash').map((s) => ({ source: `${vendor.id} ${id}`, code: s.source })),
    );
    for (const block of blocks) expect(await runBlocks([block]), block.source).toEqual([]);
  }, 240_000);
});

const withShell = markdownSources().filter((file) => markdownShellBlocks(file).length > 0);
describe.each(withShell)('%s', (file) => {
  const blocks = markdownShellBlocks(file);
  it('runs its shell blocks in order against the mocks, each command exit 0 printing what it shows', async () => {
    for (const block of blocks.filter((b) => b.notRun !== undefined))
      expect(block.notRun, `${block.source}: a block not run says why`).toMatch(/\w{3}/);
    const runnable = blocks.filter((b) => b.notRun === undefined);
    if (runnable.length) expect(await runBlocks(runnable), file).toEqual([]);
  }, 240_000);
});

it('the landing page: its install block is marked not run, every other shell block runs', async () => {
  const entries: VendorEntry[] = [];
  for (const vendor of vendors) {
    const { samples, facts } = await codeSamples(vendor);
    entries.push({
      vendor,
      spec: loadSpec(vendor),
      page: `${vendor.id}.html`,
      operations: samples.size,
      facts,
      samples,
    });
  }
  const html = landingBody({
    vendors: entries,
    guides: [],
    nodes: testedNodeVersions(),
    engines: '>=20.19',
    command: undefined,
  });
  const blocks = htmlShellBlocks('index.html', html);
  expect(blocks.filter((b) => b.notRun).map((b) => b.code)).toEqual([expect.stringContaining('npm install')]);
  for (const block of blocks.filter((b) => !b.notRun)) expect(await runBlocks([block]), block.source).toEqual([]);
}, 240_000);

describe('the runner', () => {
  it('fails a command that exits non-zero, and one that prints other lines than it shows', async () => {
    expect(await runBlocks([{ source: 'x', code: 'false\n' }])).toEqual([expect.stringContaining('exit 1')]);
    expect(await runBlocks([{ source: 'x', code: 'echo hi\n# → bye\n' }])).toEqual([
      expect.stringContaining('printed\nhi\nbut the sample shows\nbye'),
    ]);
    expect(await runBlocks([{ source: 'x', code: 'echo hi; echo there\n# → hi\n' }])).toHaveLength(1);
    // `…` stands for what a mock makes up; the rest must match.
    expect(await runBlocks([{ source: 'x', code: 'echo key 3b0c99\n# → key …\n' }])).toEqual([]);
  });

  it('waits for a background command to print its first line, and stops it at the end', async () => {
    const code = `sh -c 'sleep 1; echo ready; sleep 600' &\n# → ready\necho after\n# → after\n`;
    expect(await runBlocks([{ source: 'x', code }])).toEqual([]);
  });
});
