import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signCallbackUrl } from '../../packages/sms/src/callback-signing.js';
import { bundleForNode } from './bundle.js';
import { root } from './vendors.js';

/**
 * The report endpoint on one core (issue 33): sms365-shaped callbacks, each for a new message so
 * each is a change written and flushed to the file store before its 200, against a bare node:http
 * handler that parses the same query and answers 200. The same endpoint over the memory store
 * says what it costs apart from the disk, and a flush of a small append, timed between blocks on
 * the same disk, what the disk cost in that run. Each server is a process of its own; the bench
 * process drives them in turn, interleaved in blocks (the order rotating), 32 requests in flight
 * over kept-alive connections. Rates are requests a second over a block; p99 is of the requests.
 */
export interface ReportEndpointBench {
  rounds: number;
  perBlock: number;
  smswire: number[];
  memory: number[];
  bare: number[];
  /** Milliseconds, over every block. */
  p50: number;
  p99: number;
  memoryP99: number;
  bareP99: number;
  /** The median flush (fdatasync) of a 300-byte append on the store's disk, in ms. */
  flush: number;
  /** Each server's CPU time per request it served, in µs (warm-up included). */
  cpu: Record<Side, number>;
}

const secret = 'bench-report-secret-0123456789abcdef';
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 32);

type Side = 'smswire' | 'memory' | 'bare';

/** Stops a server and reads the CPU time per request it reports as it exits. */
async function stop(child: ChildProcess): Promise<number> {
  let printed = '';
  child.stdout!.on('data', (chunk: Buffer) => (printed += chunk));
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
  const { requests, cpuMicros } = JSON.parse(printed.trim().split('\n').at(-1)!) as Record<string, number>;
  return cpuMicros! / requests!;
}

async function start(bundle: string, mode: Side, storePath: string) {
  const child = spawn(process.execPath, [bundle, mode, storePath], {
    env: { ...process.env, BENCH_REPORT_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, port: Number(String(port).trim()) };
}

function get(agent: Agent, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `paths` through `port`, `inFlight` at a time: the rate and each request's latency. */
async function block(agent: Agent, port: number, paths: readonly string[]) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const t = performance.now();
        const status = await get(agent, port, path);
        latencies.push(performance.now() - t);
        if (status !== 200) throw new Error(`report endpoint bench: ${status} for a valid report`);
      }
    }),
  );
  return { rate: paths.length / ((performance.now() - started) / 1000), latencies };
}

/** Flushes of a small append to a scratch file beside the store, each timed. */
function flushes(path: string, count = 20): number[] {
  const fd = openSync(path, 'a');
  try {
    return Array.from({ length: count }, () => {
      writeSync(fd, `${'x'.repeat(299)}\n`);
      const started = performance.now();
      fdatasyncSync(fd);
      return performance.now() - started;
    });
  } finally {
    closeSync(fd);
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

export async function benchReportEndpoint(rounds = 7, perBlock = 4000): Promise<ReportEndpointBench> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-bench-reports-'));
  const bundle = join(root, 'scripts', '.bundled', `report-endpoint-server-${process.pid}.mjs`);
  await bundleForNode({ path: join(root, 'scripts', 'lib', 'report-endpoint-server.ts') }, bundle);
  const servers: ChildProcess[] = [];
  try {
    const sides = {
      smswire: await start(bundle, 'smswire', join(dir, 'reports.jsonl')),
      memory: await start(bundle, 'memory', ''),
      bare: await start(bundle, 'bare', ''),
    };
    servers.push(...Object.values(sides).map((side) => side.child));
    const signing = { url: 'http://127.0.0.1/report', keyId: 'k1', secret };
    let message = 0;
    const paths = () =>
      Array.from({ length: perBlock }, () => {
        const id = ++message;
        const url = new URL(signCallbackUrl(signing, `bench-row-${id}`));
        return `${url.pathname}${url.search}&msgid=${7_000_000 + id}&status=${id % 9 ? 'd' : 'f'}&cost=0.0350&to=306971234567&mcc=202&mnc=01`;
      });
    const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
    // Warm each (JIT, connections) before measuring.
    for (const side of Object.values(sides)) await block(agent, side.port, paths().slice(0, 1000));
    const result: ReportEndpointBench = {
      rounds,
      perBlock,
      smswire: [],
      memory: [],
      bare: [],
      p50: 0,
      p99: 0,
      memoryP99: 0,
      bareP99: 0,
      flush: 0,
      cpu: { smswire: 0, memory: 0, bare: 0 },
    };
    const latencies: Record<Side, number[]> = { smswire: [], memory: [], bare: [] };
    const flushTimes: number[] = [];
    const orders: Side[][] = [
      ['smswire', 'memory', 'bare'],
      ['bare', 'memory', 'smswire'],
      ['memory', 'bare', 'smswire'],
      ['smswire', 'bare', 'memory'],
      ['bare', 'smswire', 'memory'],
      ['memory', 'smswire', 'bare'],
    ];
    for (let round = 0; round < rounds; round++) {
      for (const side of orders[round % orders.length]!) {
        const measured = await block(agent, sides[side].port, paths());
        result[side].push(measured.rate);
        latencies[side].push(...measured.latencies);
      }
      flushTimes.push(...flushes(join(dir, 'flush-probe.txt')));
    }
    agent.destroy();
    result.p50 = quantile(latencies.smswire, 0.5);
    result.p99 = quantile(latencies.smswire, 0.99);
    result.memoryP99 = quantile(latencies.memory, 0.99);
    result.bareP99 = quantile(latencies.bare, 0.99);
    result.flush = quantile(flushTimes, 0.5);
    for (const side of Object.keys(sides) as Side[]) result.cpu[side] = await stop(sides[side].child);
    return result;
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    rmSync(bundle, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
