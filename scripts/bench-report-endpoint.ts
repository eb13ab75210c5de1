import { loadavg } from 'node:os';
import { benchReportEndpoint } from './lib/bench-report-endpoint.js';

/** `pnpm bench:report-endpoint`: the report-endpoint row of `pnpm bench` alone. */
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const r = await benchReportEndpoint();
const ratios = r.smswire.map((rate, i) => rate / r.bare[i]!);
const memoryRatios = r.memory.map((rate, i) => rate / r.bare[i]!);
const range = (values: readonly number[]) => `${Math.min(...values).toFixed(3)}–${Math.max(...values).toFixed(3)}`;
console.log(
  `report endpoint, one core, load average ${loadavg()[0]!.toFixed(1)}:\n` +
    `  file store, each change flushed before its 200: ${median(r.smswire).toFixed(0)} reports/s ` +
    `(blocks ${r.smswire.map((x) => x.toFixed(0)).join(', ')}); ratio to bare ${median(ratios).toFixed(3)} ` +
    `(${range(ratios)}); p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms\n` +
    `  memory store: ${median(r.memory).toFixed(0)}/s, ratio ${median(memoryRatios).toFixed(3)} (${range(memoryRatios)}), ` +
    `p99 ${r.memoryP99.toFixed(2)} ms\n` +
    `  bare node:http: ${median(r.bare).toFixed(0)}/s, p99 ${r.bareP99.toFixed(2)} ms\n` +
    `  CPU time a request (each server's own): file store ${r.cpu.smswire.toFixed(0)} µs, memory store ` +
    `${r.cpu.memory.toFixed(0)} µs, bare ${r.cpu.bare.toFixed(0)} µs; ` +
    `the disk's flush (fdatasync of a small append) ${r.flush.toFixed(2)} ms median\n` +
    `  ${r.rounds} rounds of ${r.perBlock} a side, 32 in flight. Targets (file store): ≥ 5,000/s and ≥ 0.6× bare.`,
);
if (median(r.smswire) < 5000 || median(ratios) < 0.6) process.exitCode = 1;
