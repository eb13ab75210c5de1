import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { bundleForNode } from './bundle.js';
import { root } from './vendors.js';

/**
 * `smswire bulk` (the bin as published) of 100,000 rows against a Unified stand-in that answers
 * each request after 20 ms, against the same messages through `sendMany` in a process of its
 * own: rows a second (the command's whole run, start-up, CSV, journal and output included, over
 * the library's send time) and peak RSS. Both use batches of 100 and the default concurrency.
 */
export interface CliBenchResult {
  rows: number;
  rounds: number;
  cli: { rate: number; rss: number }[];
  inProcess: { rate: number; rss: number }[];
}

const rows = 100_000;
const serverCode = `require('node:http').createServer((req, res) => {
  const d = (new URL(req.url, 'http://x').searchParams.get('destination') || '').split(',');
  req.resume();
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end(d.map((n) => '1701|' + n + '|m' + n).join(',')), 20);
}).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;
const number = (i: number) => `+8801${String(700_000_000 + i)}`;
/** Prints the process's peak RSS (bytes) on stderr as it exits. */
const rssProbe = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nmaxrss '+process.resourceUsage().maxRSS*1024+'\\n'))`;

const inProcessCode = `
import { createSms } from '@smswire/sms';
import { unified } from '@smswire/sms/unified';
const [base, count] = process.argv.slice(-2);
const sms = createSms({ vendors: [unified({ username: 'bench', password: 'bench-password', baseUrl: base, from: 'ACME' })] });
const messages = Array.from({ length: Number(count) }, (_, i) => ({ to: '+8801' + String(700000000 + i), text: 'Sale ' + (i % 7), idempotencyKey: 'k' + i }));
const started = performance.now();
const results = await sms.sendMany(messages);
const seconds = (performance.now() - started) / 1000;
if (results.some((r) => r.status !== 'accepted')) throw new Error('not all accepted');
process.stdout.write(String(seconds));
`;

/**
 * Runs `node <args>`; wall seconds, peak RSS, and the last line of stdout only (a million
 * `--json` rows are not kept: the bench's own memory is not the one measured).
 */
async function measure(args: string[]): Promise<{ seconds: number; rss: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', rssProbe, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout = line;
  });
  child.stderr.on('data', (c) => {
    stderr = (stderr + c).slice(-4000);
  });
  const [code] = (await once(child, 'close')) as [number];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`bench run exited ${code}: ${stderr.slice(-2000)}`);
  const rss = Number(/maxrss (\d+)/.exec(stderr)?.[1]);
  return { seconds, rss, stdout };
}

/** The stand-in: a Unified server in its own process that accepts every destination after 20 ms. */
async function standIn(): Promise<{ base: string; close(): void }> {
  const server = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = (await once(server.stdout!, 'data')) as [Buffer];
  return { base: `http://127.0.0.1:${String(port).trim()}`, close: () => server.kill() };
}

/** A `to,text,id` CSV of `count` rows, written as a stream (a million rows are 30 MB). */
async function writeCsv(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('to,text,id\n');
  for (let i = 0; i < count; i++) if (!out.write(`${number(i)},Sale ${i % 7},k${i}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/**
 * The bin as published: `@smswire/cli`'s own build (packages/cli/build-bin.mjs), into a folder
 * of the package (the bin reads its version from `../package.json`).
 */
async function publishedBin(): Promise<{ bin: string; remove(): void }> {
  const outdir = join(root, 'packages', 'cli', `.bench-${process.pid}`);
  // Loaded from its place, not bundled into the bench (`run-bundled.ts`): it finds the sources beside it.
  const build: typeof import('../../packages/cli/build-bin.mjs') = await import(
    pathToFileURL(join(root, 'packages', 'cli', 'build-bin.mjs')).href
  );
  const bin = await build.bundleBin(outdir);
  return { bin, remove: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** `smswire bulk` of `csv` against `base`, as the bench runs it: `--json`, a fresh journal. */
async function bulkRun(
  bin: string,
  csv: string,
  base: string,
  journal: string,
  rows: number,
  /** `keep`: the journal stays for a resume; `resume`: every row was sent by the run before. */
  turn: 'once' | 'keep' | 'resume' = 'once',
) {
  if (turn !== 'resume') rmSync(journal, { force: true });
  const run = await measure([
    bin,
    'bulk',
    csv,
    '--vendor',
    'unified',
    '--base-url',
    base,
    '--username',
    'bench',
    '--password',
    'bench-password',
    '--from',
    'ACME',
    '--journal',
    journal,
    '--json',
  ]);
  if (turn !== 'keep') rmSync(journal, { force: true });
  if (!run.stdout.includes(`"accepted":${rows}`) || (turn === 'resume' && !run.stdout.includes(`"resumed":${rows}`)))
    throw new Error(`smswire bulk did not accept every row: ${run.stdout}`);
  return { rate: rows / run.seconds, rss: run.rss, seconds: run.seconds };
}

export async function benchCli(rounds = 3): Promise<CliBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-cli-'));
  const server = await standIn();
  const published = await publishedBin();
  const sendManyBin = join(root, 'packages', 'cli', '.tmp', `bench-send-many-${process.pid}.mjs`);
  try {
    const csv = join(dir, 'rows.csv');
    await writeCsv(csv, rows);
    // The library side is the workspace sources bundled by esbuild: no transpiler in its timing.
    await bundleForNode({ code: inProcessCode }, sendManyBin);
    const result: CliBenchResult = { rows, rounds, cli: [], inProcess: [] };
    for (let round = 0; round < rounds; round++) {
      const cli = async () => {
        const { rate, rss } = await bulkRun(published.bin, csv, server.base, join(dir, 'journal.jsonl'), rows);
        result.cli.push({ rate, rss });
      };
      const inProcess = async () => {
        const run = await measure([sendManyBin, server.base, String(rows)]);
        result.inProcess.push({ rate: rows / Number(run.stdout), rss: run.rss });
      };
      // Alternate which goes first, so drift hits both alike.
      for (const step of round % 2 ? [inProcess, cli] : [cli, inProcess]) await step();
    }
    return result;
  } finally {
    rmSync(sendManyBin, { force: true });
    published.remove();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BulkMemoryResult {
  runs: { rows: number; rss: number; rate: number; seconds: number }[];
  /** The largest run again on its own journal: every row an earlier run's, printed, none sent. */
  resumed?: { rows: number; rss: number; rate: number; seconds: number };
}

/**
 * Memory that stays flat: `smswire bulk` (the published bin) of 100,000 rows and of 1,000,000
 * against the same 20 ms stand-in, peak RSS and rate of each (issue 30: the million at most 1.3
 * times the hundred thousand, and at most 160 MB), and the million again on its journal, as a
 * resumed campaign: every row read from the journal and printed. The million takes a minute or two.
 */
export async function benchBulkMemory(sizes: readonly number[] = [100_000, 1_000_000]): Promise<BulkMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-memory-'));
  const server = await standIn();
  const published = await publishedBin();
  try {
    const result: BulkMemoryResult = { runs: [] };
    const journal = join(dir, 'journal.jsonl');
    for (const [i, size] of sizes.entries()) {
      const csv = join(dir, `rows-${size}.csv`);
      await writeCsv(csv, size);
      const last = i === sizes.length - 1;
      result.runs.push({
        rows: size,
        ...(await bulkRun(published.bin, csv, server.base, journal, size, last ? 'keep' : 'once')),
      });
      if (last)
        result.resumed = { rows: size, ...(await bulkRun(published.bin, csv, server.base, journal, size, 'resume')) };
      rmSync(csv, { force: true });
    }
    return result;
  } finally {
    published.remove();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Start-up of the command as a whole process: `smswire --version` and `smswire segments hi`
 * against `node -e 0`, taking turns `rounds` times, wall milliseconds each. The bin is the one
 * published (`@smswire/cli`'s build, packages/cli/build-bin.mjs).
 */
export async function benchStartup(rounds = 15): Promise<{ node: number[]; version: number[]; segments: number[] }> {
  const published = await publishedBin();
  const wall = async (args: string[]) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const [code] = (await once(child, 'close')) as [number];
    if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}`);
    return performance.now() - started;
  };
  const times = { node: [] as number[], version: [] as number[], segments: [] as number[] };
  try {
    for (let round = 0; round < rounds; round++) {
      times.node.push(await wall(['-e', '0']));
      times.version.push(await wall([published.bin, '--version']));
      times.segments.push(await wall([published.bin, 'segments', 'hi']));
    }
  } finally {
    published.remove();
  }
  return times;
}
