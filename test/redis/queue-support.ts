import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { cleanEnv, jsonLines, type Run, type Started, startSmswire } from '../cli/cli.js';
import { startServer, type TestServer } from '../support/server.js';

/**
 * A counting Unified stand-in for the queued-campaign tests (`GET /bulksms/bulksms`, one
 * `1701|<destination>|<id>` line per destination, unified.yaml SubmitReply): every destination
 * counted on arrival, so a reply lost with its worker still counts as received. A test can
 * hold the next requests unanswered (`hold`), slow every reply (`delayMs`) or answer the next
 * ones with HTTP 429 (`throttle`).
 */
export interface QueueVendor extends TestServer {
  received: Map<string, number>;
  /** Arrival times (ms, performance.now) and sizes of every request, in order, and the status it got. */
  arrivals: { at: number; numbers: string[]; status: number }[];
  twice(): string[];
  total(): number;
  delayMs: number;
  /** Requests to hold unanswered, from the next one on. */
  hold: number;
  /** Resolves when a request is held (its numbers). */
  held: Promise<string[]>;
  throttle: number;
}

export async function queueVendor(): Promise<QueueVendor> {
  let id = 0;
  let onHeld!: (numbers: string[]) => void;
  const state = {
    received: new Map<string, number>(),
    arrivals: [] as QueueVendor['arrivals'],
    delayMs: 0,
    hold: 0,
    throttle: 0,
    held: new Promise<string[]>((resolve) => {
      onHeld = resolve;
    }),
  };
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const numbers = (new URL(req.url ?? '/', 'http://vendor').searchParams.get('destination') ?? '').split(',');
    const arrival = { at: performance.now(), numbers, status: 200 };
    state.arrivals.push(arrival);
    if (state.throttle > 0) {
      state.throttle--;
      arrival.status = 429;
      res.writeHead(429).end('Too Many Requests');
      return;
    }
    for (const n of numbers) state.received.set(n, (state.received.get(n) ?? 0) + 1);
    if (state.hold > 0) {
      state.hold--;
      onHeld(numbers);
      return;
    }
    setTimeout(() => res.end(numbers.map((n) => `1701|${n}|m${++id}`).join('\n')), state.delayMs);
  });
  return Object.assign(state, server, {
    twice: () => [...state.received].filter(([, n]) => n > 1).map(([number]) => number),
    total: () => [...state.received.values()].reduce((a, b) => a + b, 0),
  });
}

/** A campaign CSV of `count` Greek mobiles (+30697…), one text, `id` the row key; returns its path. */
export function campaignCsv(dir: string, name: string, count: number, first = 0): string {
  const path = join(dir, name);
  const lines = Array.from(
    { length: count },
    (_, i) => `+30697${String(1_000_000 + first + i).padStart(7, '0')},Spring sale: 20% off today,r${first + i}`,
  );
  writeFileSync(path, `to,text,id\n${lines.join('\n')}\n`);
  return path;
}

/** The number as the stand-in receives it (Unified's wire form: no `+`). */
export const wire = (count: number, first = 0) =>
  Array.from({ length: count }, (_, i) => `30697${String(1_000_000 + first + i).padStart(7, '0')}`);

/** The command with Unified's credentials for `vendor` in its environment (and `input` on its stdin). */
export function run(args: string[], vendor: QueueVendor, timeoutMs = 90_000, input?: string): Promise<Started> {
  const env = cleanEnv({
    SMSWIRE_UNIFIED_USERNAME: 'acme-queue',
    SMSWIRE_UNIFIED_PASSWORD: 'queue-secret-9f2c',
    SMSWIRE_UNIFIED_BASE_URL: vendor.url,
    SMSWIRE_UNIFIED_FROM: 'ACME',
  });
  return startSmswire(['--json', ...args, ...(args[0] === 'campaign' ? [] : ['--vendor', 'unified'])], {
    env,
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
}

/** The `summary` line of a `--json` run, and its unknown rows. */
export function summaryOf(result: Run) {
  const lines = jsonLines(result.stdout);
  const summary = lines.find((l) => l.type === 'summary') as
    | (Record<string, unknown> & { rows: number; accepted: number; unknown: number; rejected: number })
    | undefined;
  if (!summary) throw new Error(`no summary (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  const unknown = lines.filter((l) => l.type === 'row' && l.status === 'unknown').map((l) => String(l.to));
  return { summary, unknown };
}
