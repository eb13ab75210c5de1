import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FetchLike } from '@smswire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { dinisoft } from '../../sms/src/dinisoft.js';
import { createSms } from '../../sms/src/index.js';
import { sms365 } from '../../sms/src/sms365.js';
import { instrumentSmswire } from '../src/index.js';

/** The bridge with the real OpenTelemetry SDK and its in-memory exporters: a send that fails over. */

const answer =
  (status: number, body: unknown): FetchLike =>
  async () =>
    Response.json(body, { status });

function setup() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrumentSmswire({ tracerProvider, meterProvider });
  return { spans, reader, stop };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

const secrets = ['KEY-s3cr3t', 'API-s3cr3t', 'SECRET-s3cr3t'];
const sms = (first: FetchLike) =>
  createSms({
    vendors: [
      sms365({ key: secrets[0]!, baseUrl: 'http://a.example', fetch: first, maxRetries: 0, from: 'ACME' }),
      dinisoft({
        apiKey: secrets[1]!,
        secretKey: secrets[2]!,
        baseUrl: 'http://b.example:8443/v1',
        fetch: answer(200, { Status: '0', Text: 'ACCEPTD', Message_ID: '194234' }),
        from: 'ACME',
      }),
    ],
  });

describe('@smswire/opentelemetry', () => {
  it('a send that fails over: one send span, an HTTP client span per vendor under it, and the metric points', async () => {
    const otel = setup();
    stop = otel.stop;
    await sms(answer(429, {})).send({ to: '+972501234567', text: 'hello there' });

    const finished = otel.spans.getFinishedSpans();
    const send = finished.find((s) => s.name === 'sms send')!;
    const calls = finished.filter((s) => s.name === 'GET' || s.name === 'POST');
    expect(send.attributes).toMatchObject({
      'smswire.vendor': 'dinisoft',
      'smswire.outcome': 'accepted',
      'smswire.failovers': 1,
      'smswire.parts': 1,
      'smswire.encoding': 'gsm7',
    });
    expect(send.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'smswire.failover',
        {
          'smswire.from': 'sms365',
          'smswire.to': 'dinisoft',
          'smswire.outcome': 'notAccepted',
          'smswire.reason': 'throttled',
        },
      ],
    ]);
    expect(calls.map((s) => s.attributes)).toEqual([
      {
        'http.request.method': 'POST',
        'server.address': 'a.example',
        'smswire.vendor': 'sms365',
        'smswire.operation': 'smsSend',
        'smswire.kind': 'write',
        'smswire.outcome': 'http',
        'http.response.status_code': 429,
        'error.type': 'HttpError',
      },
      {
        'http.request.method': 'GET',
        'server.address': 'b.example',
        'server.port': 8443,
        'smswire.vendor': 'dinisoft',
        'smswire.operation': 'sendText',
        'smswire.kind': 'write',
        'smswire.outcome': 'success',
        'http.response.status_code': 200,
      },
    ]);
    for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    const everything = JSON.stringify(finished.map((s) => [s.name, s.attributes, s.events]));
    expect(everything).not.toMatch(/501234567|hello|s3cr3t/);

    const { resourceMetrics } = await otel.reader.collect();
    const points = Object.fromEntries(
      resourceMetrics.scopeMetrics.flatMap((s) =>
        s.metrics.map((m) => [m.descriptor.name, m.dataPoints.map((p) => [p.attributes, p.value])]),
      ),
    );
    expect(points['smswire.messages.sent']).toEqual([[{ 'smswire.vendor': 'dinisoft' }, 1]]);
    expect(points['smswire.message.parts']).toEqual([
      [{ 'smswire.vendor': 'dinisoft', 'smswire.encoding': 'gsm7' }, 1],
    ]);
    expect(points['smswire.call.duration']!.map(([attributes]) => attributes)).toEqual([
      {
        'smswire.vendor': 'sms365',
        'smswire.operation': 'smsSend',
        'smswire.outcome': 'http',
        'http.response.status_code': 429,
      },
      {
        'smswire.vendor': 'dinisoft',
        'smswire.operation': 'sendText',
        'smswire.outcome': 'success',
        'http.response.status_code': 200,
      },
    ]);
    expect(points['smswire.send.failures'] ?? []).toEqual([]);
    expect(points['smswire.send.failovers']).toEqual([
      [{ 'smswire.from': 'sms365', 'smswire.to': 'dinisoft', 'smswire.reason': 'throttled' }, 1],
    ]);
  });

  it('sendMany: each message that fails over is counted, and its attempts are spans of their own', async () => {
    const otel = setup();
    stop = otel.stop;
    const results = await sms(answer(429, {})).sendMany([
      { to: '+972501234567', text: 'hello there' },
      { to: '+972501234568', text: 'hello again' },
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const finished = otel.spans.getFinishedSpans();
    // No send span: sendMany is not `send`; each HTTP attempt has its CLIENT span.
    expect(finished.map((s) => s.name).sort()).toEqual(['GET', 'GET', 'POST', 'POST']);
    const { resourceMetrics } = await otel.reader.collect();
    const failovers = resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'smswire.send.failovers')!;
    expect(failovers.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ 'smswire.from': 'sms365', 'smswire.to': 'dinisoft', 'smswire.reason': 'throttled' }, 2],
    ]);
  });

  it('a send that fails: the reason on the span and in the failures counter; nothing after stop', async () => {
    const otel = setup();
    await sms(answer(500, {}))
      .send({ to: '+972501234567', text: 'hello' })
      .catch(() => undefined);
    const send = otel.spans.getFinishedSpans().find((s) => s.name === 'sms send')!;
    expect(send.attributes).toMatchObject({
      'smswire.outcome': 'unknown',
      'smswire.reason': 'vendorDown',
      'error.type': 'vendorDown',
    });
    expect(send.status.code).toBe(2);
    const { resourceMetrics } = await otel.reader.collect();
    const failures = resourceMetrics.scopeMetrics
      .flatMap((s) => s.metrics)
      .find((m) => m.descriptor.name === 'smswire.send.failures')!;
    expect(failures.dataPoints.map((p) => [p.attributes, p.value])).toEqual([
      [{ 'smswire.vendor': 'sms365', 'smswire.outcome': 'unknown', 'smswire.reason': 'vendorDown' }, 1],
    ]);
    otel.stop();
    otel.spans.reset();
    await sms(answer(500, {}))
      .send({ to: '+972501234567', text: 'hello' })
      .catch(() => undefined);
    expect(otel.spans.getFinishedSpans()).toEqual([]);
  });
});
