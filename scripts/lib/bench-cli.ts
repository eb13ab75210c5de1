import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from './bundle.js';
import { root } from './vendors.js';

/**
 * `smswire bulk` of 100,000 rows against a Unified stand-in that answers each request after
 * 20 ms, against the same messages through `sendMany` in a process of its own: rows a second
 * (the command's whole run, start-up, CSV, journal and output included, over the library's
 * send time) and peak RSS. Both use batches of 100 and the default concurrency.
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

async function measure(args: string[]): Promise<{ seconds: number; rss: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', rssProbe, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const [code] = (await once(child, 'close')) as [number];
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`bench run exited ${code}: ${stderr.slice(-2000)}`);
  const rss = Number(/maxrss (\d+)/.exec(stderr)?.[1]);
  return { seconds, rss, stdout };
}

export async function benchCli(rounds = 3): Promise<CliBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-cli-'));
  const server = spawn(process.execPath, ['-e', serverCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [port] = (await once(server.stdout!, 'data')) as [Buffer];
    const base = `http://127.0.0.1:${String(port).trim()}`;
    const csv = join(dir, 'rows.csv');
    writeFileSync(
      csv,
      `to,text,id\n${Array.from({ length: rows }, (_, i) => `${number(i)},Sale ${i % 7},k${i}`).join('\n')}\n`,
    );
    // Both sides run the workspace sources bundled by esbuild: no transpiler in either timing.
    const cliBin = join(root, 'packages', 'cli', '.tmp', `bench-${process.pid}.mjs`);
    const sendManyBin = join(root, 'packages', 'cli', '.tmp', `bench-send-many-${process.pid}.mjs`);
    await bundleForNode({ path: join(root, 'packages', 'cli', 'src', 'bin.ts') }, cliBin);
    await bundleForNode({ code: inProcessCode }, sendManyBin);
    const result: CliBenchResult = { rows, rounds, cli: [], inProcess: [] };
    try {
      for (let round = 0; round < rounds; round++) {
        const cli = async () => {
          const journal = join(dir, `journal-${round}.jsonl`);
          const run = await measure([
            cliBin,
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
          if (!run.stdout.includes(`"accepted":${rows}`)) throw new Error('smswire bulk did not accept every row');
          rmSync(journal, { force: true });
          result.cli.push({ rate: rows / run.seconds, rss: run.rss });
        };
        const inProcess = async () => {
          const run = await measure([sendManyBin, base, String(rows)]);
          result.inProcess.push({ rate: rows / Number(run.stdout), rss: run.rss });
        };
        // Alternate which goes first, so drift hits both alike.
        for (const step of round % 2 ? [inProcess, cli] : [cli, inProcess]) await step();
      }
    } finally {
      rmSync(cliBin, { force: true });
      rmSync(sendManyBin, { force: true });
    }
    return result;
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Start-up of the command as a whole process: `smswire --version` and `smswire segments hi`
 * against `node -e 0`, taking turns `rounds` times, wall milliseconds each. The bin is the
 * workspace sources bundled by esbuild (as the e2e tests run it).
 */
export async function benchStartup(rounds = 15): Promise<{ node: number[]; version: number[]; segments: number[] }> {
  const bin = join(root, 'packages', 'cli', '.tmp', `bench-startup-${process.pid}.mjs`);
  await bundleForNode({ path: join(root, 'packages', 'cli', 'src', 'bin.ts') }, bin);
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
      times.version.push(await wall([bin, '--version']));
      times.segments.push(await wall([bin, 'segments', 'hi']));
    }
  } finally {
    rmSync(bin, { force: true });
  }
  return times;
}
