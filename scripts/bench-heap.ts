import { benchHeap, heapCheckpoints } from './lib/bench-heap.js';

// `tsx scripts/run-bundled.ts scripts/bench-heap.ts`: the heap rows of `pnpm bench` alone.
const [first, last] = heapCheckpoints;
for (const run of await benchHeap()) {
  const mb = (n: number) => `${(n / 2 ** 20).toFixed(1)} MB`;
  console.log(
    `${run.keys ? 'with' : 'without'} idempotency keys: ${mb(run.heap[first]!)} after ${first} sends, ${mb(run.heap[last]!)} after ${last} (×${(run.heap[last]! / run.heap[first]!).toFixed(3)}), ${run.seconds.toFixed(1)} s`,
  );
}
