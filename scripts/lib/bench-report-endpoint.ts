import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { signCallbackUrl } from '../../packages/sms/src/callback-signing.js';
import { bundleForNode } from './bundle.js';
import { root } from './vendors.js';

/**
 * The report endpoint on one core (issue 33): sms365-shaped callbacks, each for a new message so
 * each is a change written and fsynced to the file store before its 200, against a bare node:http
 * handler that parses the same query and answers 200. Each server is a process of its own; the
 * bench process drives them in turn, interleaved in blocks, 32 requests in flight over kept-alive
 * connections. Rates are requests a second over a block; p99 is of the endpoint's requests.
 */
export interface ReportEndpointBench {
  rounds: number;
  perBlock: number;
  smswire: number[];
  bare: number[];
  /** Milliseconds, over every block. */
  p50: number;
  p99: number;
  bareP99: number;
}

const secret = 'bench-report-secret-0123456789abcdef';
const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 32);

async function start(bundle: string, mode: 'smswire' | 'bare', storePath: string) {
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
    const ours = await start(bundle, 'smswire', join(dir, 'reports.jsonl'));
    const bare = await start(bundle, 'bare', '');
    servers.push(ours.child, bare.child);
    const signing = { url: 'http://127.0.0.1/report', keyId: 'k1', secret };
    let message = 0;
    const paths = () =>
      Array.from({ length: perBlock }, () => {
        const id = ++message;
        const url = new URL(signCallbackUrl(signing, `bench-row-${id}`));
        return `${url.pathname}${url.search}&msgid=${7_000_000 + id}&status=${id % 9 ? 'd' : 'f'}&cost=0.0350&to=306971234567&mcc=202&mnc=01`;
      });
    const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
    // Warm both (JIT, connections) before measuring.
    await block(agent, ours.port, paths().slice(0, 1000));
    await block(agent, bare.port, paths().slice(0, 1000));
    const result: ReportEndpointBench = { rounds, perBlock, smswire: [], bare: [], p50: 0, p99: 0, bareP99: 0 };
    const ourLatencies: number[] = [];
    const bareLatencies: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? (['bare', 'smswire'] as const) : (['smswire', 'bare'] as const);
      for (const side of order) {
        const measured = await block(agent, side === 'smswire' ? ours.port : bare.port, paths());
        result[side].push(measured.rate);
        (side === 'smswire' ? ourLatencies : bareLatencies).push(...measured.latencies);
      }
    }
    agent.destroy();
    result.p50 = quantile(ourLatencies, 0.5);
    result.p99 = quantile(ourLatencies, 0.99);
    result.bareP99 = quantile(bareLatencies, 0.99);
    return result;
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    rmSync(bundle, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
