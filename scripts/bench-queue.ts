import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis.js';
import { bundleForNode } from './lib/bundle.js';
import { startLatencyMock } from './lib/latency-mock.js';
import { root } from './lib/vendors.js';

/**
 * `pnpm bench:queue [--count N] [--runs N] [--one-request] [--workers 1,2,4] [--cpu-prof <dir>] [--bin <file>]`: a queued campaign (`smswire bulk --queue`, then
 * `smswire worker` ×1, ×2, ×4) of N rows (100,000) against Unified's wire format answering in
 * 20 ms, on a real redis-server. Per worker count, the median of the runs: wall time from the
 * workers' start to the last one's exit, rows a second, and Redis commands a message from
 * `INFO commandstats` (every command, those run inside BullMQ's and the ledger's scripts too),
 * counted from the workers' start, and the workers' own CPU a message. Checks every row arrived once in total and exits 1 on a
 * missed target: ≤ 0.2 commands a message; two workers ≥ 1.5× one's rate; four ≥ two's.
 */
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const count = argument('count', 100_000);
const runs = argument('runs', 1);
/** `--workers 1,2`: the worker counts to run (all three by default; the targets are checked only with all three). */
const workerCounts = (
  process.argv.includes('--workers') ? process.argv[process.argv.indexOf('--workers') + 1]!.split(',') : ['1', '2', '4']
).map(Number);
/** `--cpu-prof <dir>`: each worker writes a V8 CPU profile there (`node --cpu-prof`), for finding what a message costs. */
const cpuProf = process.argv.includes('--cpu-prof') ? process.argv[process.argv.indexOf('--cpu-prof') + 1] : undefined;
/**
 * `--one-request`: each worker sends one request at a time (`--chunks 1 --concurrency 1`), as
 * against a vendor that takes one connection a client: workers bound by the vendor's latency,
 * not by CPU, which shows what the queue itself lets more workers do on a machine without the
 * cores to run CPU-bound ones side by side.
 */
const oneRequest = process.argv.includes('--one-request');
const workerFlags = oneRequest ? ['--chunks', '1', '--concurrency', '1'] : [];
console.log(`${cpus().length} cores`);

const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-queue-'));
/**
 * `--bin <file>`: run this bundle of the command instead of one made from the sources, to set
 * two versions side by side (taking turns) on a machine whose load moves.
 */
const given = process.argv.includes('--bin') ? process.argv[process.argv.indexOf('--bin') + 1] : undefined;
// Beside the command's package.json, which it reads for its version (one folder up, as from dist/).
const bin = given ?? join(root, 'packages', 'cli', '.tmp', `bench-queue-${process.pid}.mjs`);
if (!given) await bundleForNode({ path: join(root, 'packages', 'cli', 'src', 'bin.ts') }, bin);
const csv = join(dir, 'campaign.csv');
writeFileSync(
  csv,
  `to,text\n${Array.from({ length: count }, (_, i) => `+30697${String(1_000_000 + i).padStart(7, '0')},Spring sale: 20% off today`).join('\n')}\n`,
);
const redis = await startRedis();
const mock = await startLatencyMock(20);
// A run that throws (a producer or worker failed) stops them too: their kill is sent at once.
process.once('exit', () => {
  mock.stop();
  void redis.stop();
});
const client = new Redis(redis.url);
const env = {
  ...process.env,
  SMSWIRE_UNIFIED_USERNAME: 'bench',
  SMSWIRE_UNIFIED_PASSWORD: 'bench-password',
  SMSWIRE_UNIFIED_BASE_URL: mock.url,
  SMSWIRE_UNIFIED_FROM: 'ACME',
};
const smswire = (args: string[], nodeFlags: string[] = []) =>
  new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, bin, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', resolve);
  });
/** Every command Redis ran so far, and the microseconds it spent on them. */
const commandStats = async () => {
  const lines = (await client.info('commandstats')).split('\n');
  const sum = (field: string) =>
    lines.map((line) => Number(new RegExp(`${field}=(\\d+)`).exec(line)?.[1] ?? 0)).reduce((a, b) => a + b, 0);
  return { calls: sum('calls'), usec: sum('usec') };
};
/**
 * CPU seconds (user and system) of this process's children that have exited and been reaped
 * (Linux's cutime and cstime): read before and after the workers, their CPU together.
 */
const childrenCpu = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // After the command's name comes field 3 of proc(5)'s stat (state); cutime and cstime are fields 16 and 17.
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
};
const ticksPerSecond = 100;
/** Redis's CPU seconds (user and system) so far. */
const redisCpu = async () => {
  const info = await client.info('cpu');
  const read = (field: string) => Number(new RegExp(`${field}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_user') + read('used_cpu_sys');
};
/** Bytes Redis received and sent so far. */
const redisNet = async () => {
  const info = await client.info('stats');
  const read = (field: string) => Number(new RegExp(`${field}:(\\d+)`).exec(info)?.[1] ?? 0);
  return read('total_net_input_bytes') + read('total_net_output_bytes');
};
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? 0);

interface Result {
  workers: number;
  campaignRate: number;
  ms: number;
  perMessage: number;
  /** Redis's own time (commandstats usec) and the memory the campaign left (its ledger and tallies), a message. */
  usecPerMessage: number;
  bytesPerMessage: number;
  /** Redis's CPU time over the wall time: the share of a core it took. */
  redisCpuShare: number;
  /** Bytes between the workers and Redis, both ways, a message. */
  netBytesPerMessage: number;
  /** The machine's load average when the workers started: other work on the same cores. */
  load: number;
  /** The workers' CPU time (user and system, start-up included), a message. */
  workerCpuUsec: number;
}
const results: Result[] = [];
let campaign = 0;
for (let run = 0; run < runs; run++)
  for (const workers of workerCounts) {
    const name = `bench-${++campaign}`;
    const received = await mock.received();
    if ((await smswire(['bulk', csv, '--vendor', 'unified', '--queue', redis.url, '--campaign', name])) !== 0)
      throw new Error('the producer failed');
    const memory = await usedMemory();
    const before = await commandStats();
    const cpuBefore = await redisCpu();
    const netBefore = await redisNet();
    const load = loadavg()[0]!;
    const workerCpuBefore = childrenCpu();
    const started = performance.now();
    const codes = await Promise.all(
      Array.from({ length: workers }, () =>
        smswire(
          ['worker', '--vendor', 'unified', '--queue', redis.url, '--campaign', name, ...workerFlags],
          cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : [],
        ),
      ),
    );
    const ms = performance.now() - started;
    const workerCpuUsec = ((childrenCpu() - workerCpuBefore) * 1e6) / count;
    const after = await commandStats();
    // The INFO that read `before` is not the campaign's.
    const used = after.calls - before.calls - 1;
    if (codes.some((c) => c !== 0)) throw new Error(`a worker exited ${codes.join(', ')}`);
    const got = (await mock.received()) - received;
    if (got !== count) throw new Error(`${workers} workers: the vendor received ${got} messages, not ${count}`);
    // The campaign's own rate, as `smswire campaign` reports it: from its first chunk taken to its
    // last one done, without the workers' start and end.
    const keys = `smswire:campaign:${name}`;
    const firstTaken = Date.parse((await client.hget(`${keys}:meta`, 'started')) ?? '');
    const done = Math.max(...(await client.hvals(`${keys}:tally`)).map((t) => Date.parse(JSON.parse(t).at)));
    results.push({
      campaignRate: (count * 1000) / (done - firstTaken),
      workers,
      ms,
      perMessage: used / count,
      usecPerMessage: (after.usec - before.usec) / count,
      bytesPerMessage: ((await usedMemory()) - memory) / count,
      redisCpuShare: ((await redisCpu()) - cpuBefore) / (ms / 1000),
      netBytesPerMessage: ((await redisNet()) - netBefore) / count,
      load,
      workerCpuUsec,
    });
  }

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (workers: number) => {
  const mine = results.filter((r) => r.workers === workers);
  const ms = median(mine.map((r) => r.ms));
  return {
    workers,
    ms,
    rate: (count * 1000) / ms,
    campaignRate: median(mine.map((r) => r.campaignRate)),
    perMessage: median(mine.map((r) => r.perMessage)),
    usec: median(mine.map((r) => r.usecPerMessage)),
    bytes: median(mine.map((r) => r.bytesPerMessage)),
    redisCpu: median(mine.map((r) => r.redisCpuShare)),
    net: median(mine.map((r) => r.netBytesPerMessage)),
    load: median(mine.map((r) => r.load)),
    workerCpu: median(mine.map((r) => r.workerCpuUsec)),
  };
};
const rows = workerCounts.map(row);
console.log(
  `${count} rows, 20 ms stand-in${oneRequest ? ', one request at a time a worker' : ''}\n| workers | wall | rows/s | campaign rows/s | Redis commands a message | Redis µs a message | Redis bytes kept a message | Redis CPU (cores) | network bytes a message | worker CPU µs a message | load average at start |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
);
for (const r of rows)
  console.log(
    `| ${r.workers} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round(r.rate)} | ${Math.round(r.campaignRate)} | ${r.perMessage.toFixed(3)} | ${r.usec.toFixed(2)} | ${Math.round(r.bytes)} | ${r.redisCpu.toFixed(2)} | ${Math.round(r.net)} | ${Math.round(r.workerCpu)} | ${r.load.toFixed(1)} |`,
  );
const at = (workers: number) => rows.find((r) => r.workers === workers);
const [one, two, four] = [at(1), at(2), at(4)];
const misses = [
  ...rows
    .filter((r) => r.perMessage > 0.2)
    .map((r) => `${r.workers} workers: ${r.perMessage.toFixed(3)} commands a message > 0.2`),
  ...(one && two && two.rate < 1.5 * one.rate
    ? [`two workers ${(two.rate / one.rate).toFixed(2)}× one's rate < 1.5×`]
    : []),
  ...(two && four && four.rate < two.rate
    ? [`four workers ${(four.rate / two.rate).toFixed(2)}× two's rate < 1×`]
    : []),
];
console.log(misses.length ? `missed:\n${misses.join('\n')}` : 'every target met');
client.disconnect();
mock.stop();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
if (!given) rmSync(bin, { force: true });
process.exit(misses.length ? 1 : 0);
