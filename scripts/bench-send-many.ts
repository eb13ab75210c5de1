import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startLatencyMock } from './lib/latency-mock.js';
import { root } from './lib/vendors.js';

/**
 * `pnpm bench:send-many [--count N] [--runs N]`: `@smswire/sms` `sendMany` of 100,000 recipients
 * against a mock that answers every request in 20 ms, in each batching vendor's wire format,
 * against the loop a user would write: `p-limit(32)` around `send`. Each run is its own process
 * (scripts/bench/send-many-run.ts), so its peak RSS is its own; baseline and smswire alternate
 * which goes first, run by run. Prints the same table as `pnpm bench` (ratio = smswire ÷
 * baseline, the median over the runs, spread = lowest–highest run) and exits 1 on a missed
 * target. Not part of `pnpm bench`: the baseline alone takes about 5 minutes a vendor.
 */
const argument = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};
const count = argument('count', 100_000);
const runs = argument('runs', 3);
const vendors = ['unified', 'sms365', 'smsleads', 'dreams'] as const;
const memoryVendor = 'sms365';

interface Measured {
  ms: number;
  cpuMs: number;
  maxRssKiB: number;
  accepted: number;
}
const run = promisify(execFile);
const mock = await startLatencyMock(20);
async function measure(vendor: string, mode: 'sendMany' | 'pLimit', n: number): Promise<Measured> {
  const before = await mock.received();
  const { stdout } = await run(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@smswire/source',
      join(root, 'scripts/bench/send-many-run.ts'),
      vendor,
      mode,
      String(n),
      mock.url,
    ],
    { cwd: root, maxBuffer: 1 << 20 },
  );
  const measured = JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
  const received = (await mock.received()) - before;
  // Every message accepted and received exactly once, or the time means nothing.
  if (measured.accepted !== n || received !== n)
    throw new Error(`${vendor} ${mode}: ${measured.accepted} accepted and ${received} received of ${n}`);
  console.error(
    `${vendor} ${mode} ${n}: ${(measured.ms / 1000).toFixed(1)} s, CPU ${(measured.cpuMs / 1000).toFixed(1)} s, RSS ${(measured.maxRssKiB / 1024).toFixed(0)} MiB`,
  );
  return measured;
}

const results = Object.fromEntries(vendors.map((v) => [v, { sendMany: [] as Measured[], pLimit: [] as Measured[] }]));
const small: Measured[] = [];
for (let round = 0; round < runs; round++) {
  for (const vendor of round % 2 ? [...vendors].reverse() : vendors) {
    for (const mode of round % 2 ? (['pLimit', 'sendMany'] as const) : (['sendMany', 'pLimit'] as const))
      results[vendor]![mode].push(await measure(vendor, mode, count));
  }
  small.push(await measure(memoryVendor, 'sendMany', count / 10));
}
mock.stop();

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const spreadOf = (values: readonly number[]) => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const n = count.toLocaleString('en');
const rows: {
  metric: string;
  baseline: string;
  smswire: string;
  ratio: string;
  spread: string;
  target: string;
  met: string;
}[] = [];
let missed = false;
function row(metric: string, baseline: string, smswire: string, ratios: number[], limit: number | undefined) {
  const ratio = median(ratios);
  const ok = limit === undefined ? undefined : ratio <= limit;
  if (ok === false) missed = true;
  rows.push({
    metric,
    baseline,
    smswire,
    ratio: ratio.toFixed(3),
    spread: spreadOf(ratios),
    target: limit === undefined ? 'none' : `≤ ${limit.toFixed(3)}`,
    met: ok === undefined ? 'limit line' : ok ? 'yes' : 'MISSED',
  });
}
for (const vendor of vendors) {
  const { sendMany, pLimit } = results[vendor]!;
  const wall = sendMany.map((m, i) => m.ms / pLimit[i]!.ms);
  const speedUp = median(pLimit.map((m) => m.ms)) / median(sendMany.map((m) => m.ms));
  row(
    `sendMany ${n} (${vendor}) vs p-limit(32) send loop, wall`,
    seconds(median(pLimit.map((m) => m.ms))),
    `${seconds(median(sendMany.map((m) => m.ms)))} (${speedUp.toFixed(1)}× faster)`,
    wall,
    1 / 20,
  );
  row(
    `  same, CPU time`,
    seconds(median(pLimit.map((m) => m.cpuMs))),
    seconds(median(sendMany.map((m) => m.cpuMs))),
    sendMany.map((m, i) => m.cpuMs / pLimit[i]!.cpuMs),
    undefined,
  );
}
const big = results[memoryVendor]!;
row(
  `peak RSS, sendMany ${n} vs ${(count / 10).toLocaleString('en')} (${memoryVendor})`,
  mib(median(small.map((m) => m.maxRssKiB))),
  mib(median(big.sendMany.map((m) => m.maxRssKiB))),
  big.sendMany.map((m, i) => m.maxRssKiB / small[i]!.maxRssKiB),
  undefined,
);
row(
  `peak RSS, sendMany vs p-limit(32) send loop, ${n} (${memoryVendor})`,
  mib(median(big.pLimit.map((m) => m.maxRssKiB))),
  mib(median(big.sendMany.map((m) => m.maxRssKiB))),
  big.sendMany.map((m, i) => m.maxRssKiB / big.pLimit[i]!.maxRssKiB),
  1,
);
console.log(
  `\nsendMany benchmarks: ${runs} runs, each in its own process; ratio = smswire ÷ baseline, the median over the runs; spread = lowest–highest run.`,
);
console.log('Times and memory: lower is better, target ≤ (≤ 0.050 = at least 20× faster).\n');
console.table(rows);
const growth =
  ((median(big.sendMany.map((m) => m.maxRssKiB)) - median(small.map((m) => m.maxRssKiB))) * 1024) / (count * 0.9);
console.log(
  `RSS growth from ${(count / 10).toLocaleString('en')} to ${n} messages: ${growth.toFixed(0)} bytes a message (the results returned and the ledger's entries; the input is read a window at a time).`,
);
if (missed) process.exitCode = 1;
