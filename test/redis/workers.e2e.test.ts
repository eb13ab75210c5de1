import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleForNode } from '../../scripts/lib/bundle.js';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { root } from '../../scripts/lib/vendors.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { startServer, type TestServer } from '../support/server.js';
import { campaignRows } from './rows.js';

// Issue 19, "Several machines, one campaign": "two and four concurrent workers over the same
// 10,000 rows, every row received exactly once", against a real redis-server.

const rows = 10_000;
let redis: TestRedis;
let vendor: TestServer;
/** Every destination the mock vendor received, with the worker (the Unified username) that sent it. */
let received: { worker: string; number: string }[] = [];

let bundle: string;
let bundleDir: string;

beforeAll(async () => {
  // The worker bundled once (from the sources, as tests run them): six workers on two cores start
  // in a quarter of the CPU tsx takes to compile each. ioredis is CommonJS, hence `require`.
  bundleDir = mkdtempSync(join(tmpdir(), 'smswire-worker-'));
  bundle = join(bundleDir, 'worker.mjs');
  await bundleForNode({ path: join(root, 'test', 'redis', 'worker.ts') }, bundle);
  redis = await startRedis();
  let id = 0;
  // Unified's bulksms (unified.yaml SubmitReply): one `1701|<destination>|<message_id>` line per
  // destination of the comma-separated `destination`. A few ms each, as a vendor takes, so the
  // workers' requests overlap.
  vendor = await startServer((req, res) => {
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const worker = query.get('username') ?? '';
    const numbers = (query.get('destination') ?? '').split(',');
    for (const number of numbers) received.push({ worker, number });
    setTimeout(() => res.end(numbers.map((n) => `1701|${n}|m${++id}`).join('\n')), 3);
  });
});
afterAll(async () => {
  await vendor?.close();
  await redis?.stop();
  rmSync(bundleDir, { recursive: true, force: true });
});

interface Summary {
  worker: string;
  results: number;
  tally: Record<string, number>;
}

/** Starts the workers, lets them go at once, and collects each one's summary. */
async function campaign(workers: number, prefix: string): Promise<Summary[]> {
  const children = Array.from({ length: workers }, (_, i) =>
    spawn(
      process.execPath,
      [
        bundle,
        redis.url,
        vendor.url,
        `${prefix}-w${i}`,
        String(rows),
        // Each campaign its own keys: the same row ids, a fresh ledger.
        `${prefix}:`,
      ],
      { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
    ),
  );
  const summaries = children.map(async (child) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for await (const line of createInterface({ input: child.stdout })) {
      lines.push(line);
      if (line === 'ready') readyCount.resolve();
    }
    const code = await exited;
    if (code !== 0) throw new Error(`worker exited ${code}: ${stderr}`);
    return JSON.parse(lines.at(-1)!) as Summary;
  });
  const readyCount = countdown(workers);
  await readyCount.done;
  for (const child of children) child.stdin.end('go\n');
  return Promise.all(summaries);
}

function countdown(n: number) {
  let resolve!: () => void;
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  let left = n;
  return {
    done,
    resolve: () => {
      if (--left === 0) resolve();
    },
  };
}

it.each([2, 4])(
  '%i workers over the same 10,000 rows: every row reaches the vendor exactly once',
  async (workers) => {
    received = [];
    const summaries = await campaign(workers, `campaign-${workers}`);

    const times = new Map<string, number>();
    for (const { number } of received) times.set(number, (times.get(number) ?? 0) + 1);
    const expected = campaignRows(rows).map((r) => r.to.slice(1));
    expect(received).toHaveLength(rows);
    expect(new Set(times.values())).toEqual(new Set([1]));
    expect([...times.keys()].sort()).toEqual(expected.sort());

    // Every worker answered for every row: sent by it, or the other's result, or under way there.
    for (const summary of summaries) {
      expect(summary.results).toBe(rows);
      expect(Object.keys(summary.tally).every((o) => o === 'accepted' || o === 'unknown:ambiguous')).toBe(true);
    }
    // The rows were shared out, not all sent by whoever started first. Not by every worker: one
    // starved of CPU at the start (four workers, Redis, the vendor and the other e2e files on two
    // cores) replays the others' claims as it catches up and may win none, which the ledger
    // allows; exactly-once is what the checks above hold to (CI, 2026-12-02: 3 of 4 sent).
    const senders = new Set(received.map((r) => r.worker));
    expect(senders.size).toBeGreaterThan(1);
  },
  120_000,
);
