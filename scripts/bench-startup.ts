import { benchStartup } from './lib/bench-cli.js';

/** `tsx scripts/run-bundled.ts scripts/bench-startup.ts`: the start-up rows of `pnpm bench` alone. */
const times = await benchStartup();
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
for (const [name, ms] of Object.entries(times))
  console.log(
    `${name.padEnd(9)} ${median(ms).toFixed(0)} ms  ${(median(ms) / median(times.node)).toFixed(2)}× node -e 0`,
  );
