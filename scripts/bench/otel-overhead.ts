import { pathToFileURL } from 'node:url';
import {
  MeterProvider,
  InMemoryMetricExporter,
  AggregationTemporality,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { instrumentSmswire } from '../../packages/opentelemetry/src/index.js';
import { dinisoft } from '../../packages/sms/src/dinisoft.js';
import { createSms } from '../../packages/sms/src/index.js';

/**
 * What the OpenTelemetry bridge adds to a send (its `sms send` span, the attempt's CLIENT span and
 * the metric points), with the SDK's in-memory exporter: `sms.send` through DiniSoft over a fetch
 * that answers at once, in blocks with the bridge off and on taking turns, CPU time per send. No
 * network, so the difference is the bridge's work and nothing else (issue 34: ≤ 15 µs a send,
 * median).
 */
export async function otelOverhead(rounds = 15, perBlock = 1000) {
  const reply = '{"Status":"0","Text":"ACCEPTD","Message_ID":"194234"}';
  const sms = createSms({
    vendors: [
      dinisoft({
        apiKey: 'bench-key',
        secretKey: 'bench-secret',
        from: 'ACME',
        baseUrl: 'http://bench.invalid',
        fetch: async () => new Response(reply, { headers: { 'content-type': 'application/json' } }),
      }),
    ],
  });
  const spans = new InMemorySpanExporter();
  // The batch processor, as a service runs it: the simple one exports each span as it ends.
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  // CPU time, not wall time: the machine's other work (a shared CI runner) then adds nothing.
  const block = async () => {
    const start = process.cpuUsage();
    for (let i = 0; i < perBlock; i++) await sms.send({ to: '+8801712345678', text: 'bench' });
    const used = process.cpuUsage(start);
    return (used.user + used.system) / perBlock;
  };
  await block();
  const off: number[] = [];
  const on: number[] = [];
  const added: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const plain = await block();
    const stop = instrumentSmswire({ tracerProvider, meterProvider });
    const bridged = await block();
    stop();
    spans.reset();
    off.push(plain);
    on.push(bridged);
    added.push(bridged - plain);
  }
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return {
    off: median(off),
    on: median(on),
    added: median(added),
    spread: [Math.min(...added), Math.max(...added)] as const,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { off, on, added, spread } = await otelOverhead();
  console.log(
    `OpenTelemetry bridge, in-memory exporter: ${off.toFixed(1)} µs a send without, ${on.toFixed(1)} µs with: +${added.toFixed(1)} µs median (blocks ${spread[0].toFixed(1)}–${spread[1].toFixed(1)}), target ≤ 15 µs`,
  );
}
