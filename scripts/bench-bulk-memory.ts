import { benchBulkMemory } from './lib/bench-cli.js';

/**
 * `tsx scripts/run-bundled.ts scripts/bench-bulk-memory.ts [rows…]`: the flat-memory row of
 * `pnpm bench` alone (100,000 and 1,000,000 rows by default; a minute or two).
 */
const sizes = process.argv.slice(2).map(Number);
const { runs, resumed } = await benchBulkMemory(sizes.length ? sizes : undefined);
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
for (const run of runs)
  console.log(
    `${String(run.rows).padStart(9)} rows  peak RSS ${mb(run.rss)}  ${run.rate.toFixed(0)} rows/s (${run.seconds.toFixed(1)} s)`,
  );
if (resumed)
  console.log(
    `${String(resumed.rows).padStart(9)} rows resumed  peak RSS ${mb(resumed.rss)}  ${resumed.rate.toFixed(0)} rows/s (${resumed.seconds.toFixed(1)} s)`,
  );
if (runs.length === 2) console.log(`ratio ${(runs[1]!.rss / runs[0]!.rss).toFixed(2)} (target ≤ 1.30, and ≤ 160 MB)`);
