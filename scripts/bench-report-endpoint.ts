import { benchReportEndpoint } from './lib/bench-report-endpoint.js';

/** `pnpm bench:report-endpoint`: the report-endpoint row of `pnpm bench` alone. */
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const r = await benchReportEndpoint();
const ratios = r.smswire.map((rate, i) => rate / r.bare[i]!);
console.log(
  `report endpoint, one core, file store fsynced per change: ${median(r.smswire).toFixed(0)} reports/s ` +
    `(blocks ${r.smswire.map((x) => x.toFixed(0)).join(', ')}); bare node:http ${median(r.bare).toFixed(0)}/s; ` +
    `ratio ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}); ` +
    `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (bare p99 ${r.bareP99.toFixed(2)} ms); ` +
    `${r.rounds} blocks of ${r.perBlock} each. Targets: ≥ 5,000/s and ≥ 0.6×.`,
);
if (median(r.smswire) < 5000 || median(ratios) < 0.6) process.exitCode = 1;
