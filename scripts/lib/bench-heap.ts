import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from './bundle.js';

/**
 * Issue 29, "The default ledger never forgets": the heap after a full GC of one process that
 * keeps one `createSms` (the default ledger) and sends, 32 at a time, over a `fetch` that answers
 * at once, read after 100,000 sends and again after 1,000,000; with idempotency keys and without.
 * Flat means the process can run for days.
 */
export interface HeapBenchResult {
  keys: boolean;
  /** Heap used after GC (bytes) at each count of sends. */
  heap: Record<number, number>;
  seconds: number;
}

export const heapCheckpoints = [100_000, 1_000_000] as const;

const childCode = `
import { createSms } from '@smswire/sms';
import { sms365 } from '@smswire/sms/sms365';
const keys = process.argv.at(-1) === 'keys';
const checkpoints = ${JSON.stringify(heapCheckpoints)};
const reply = JSON.stringify({ status: 1, error: 0, remarks: 'Success', smsId: '7316204' });
const headers = { 'content-type': 'application/json' };
const fetch = async () => new Response(reply, { headers });
const sms = createSms({ vendors: [sms365({ key: 'bench-key', baseUrl: 'http://127.0.0.1:9', fetch })] });
const heap = {};
let sent = 0;
const started = performance.now();
for (const checkpoint of checkpoints) {
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (sent < checkpoint) {
        const n = sent++;
        await sms.send({ to: '+30697' + String(1000000 + (n % 1000000)), text: 'Sale ' + (n % 7), ...(keys ? { idempotencyKey: 'order-' + n } : {}) });
      }
    }),
  );
  globalThis.gc();
  globalThis.gc();
  heap[checkpoint] = process.memoryUsage().heapUsed;
}
process.stdout.write(JSON.stringify({ keys, heap, seconds: (performance.now() - started) / 1000 }));
`;

export async function benchHeap(): Promise<HeapBenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-heap-'));
  const bin = join(dir, 'heap.mjs');
  try {
    await bundleForNode({ code: childCode }, bin);
    const results: HeapBenchResult[] = [];
    for (const keys of [false, true]) {
      const child = spawn(process.execPath, ['--expose-gc', bin, keys ? 'keys' : 'none'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const [code] = (await once(child, 'close')) as [number];
      if (code !== 0) throw new Error(`heap bench exited ${code}`);
      results.push(JSON.parse(stdout) as HeapBenchResult);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
