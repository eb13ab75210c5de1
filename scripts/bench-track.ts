import { benchTrack } from './lib/bench-track.js';

/**
 * `pnpm bench:track [--count N]`: the `track` row of `pnpm bench` alone (scripts/lib/bench-track.ts).
 * Exits 1 when the requests exceed 1.1× the fewest or a message is not final.
 */
const at = process.argv.indexOf('--count');
const result = await benchTrack(at === -1 ? 100_000 : Number(process.argv[at + 1]));
const ratio = result.requests / result.minimum;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
console.log(
  `track of ${result.messages} accepted messages, 20 ms stand-in: ${result.requests} requests vs the fewest ${result.minimum} ` +
    `(${ratio.toFixed(3)}×, target ≤ 1.10), ${result.final} final, ${result.seconds.toFixed(1)} s; ` +
    `heap ${mb(result.heap.start)} with the messages listed, peak ${mb(result.heap.peak)}, end ${mb(result.heap.end)}`,
);
if (ratio > 1.1 || result.final !== result.messages) process.exitCode = 1;
