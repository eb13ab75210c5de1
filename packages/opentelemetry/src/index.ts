import { channel, tracingChannel } from 'node:diagnostics_channel';
import {
  type Attributes,
  type Context,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type TracerProvider,
} from '@opentelemetry/api';
import { tally } from './tally.js';

// What the channels publish (`CallEvent` of @smswire/core, `SendEvent` and `FailoverEvent` of
// @smswire/sms), as far as the bridge reads it: it knows smswire by its channels' names only.
interface CallEvent {
  vendor: string;
  operation: string;
  kind: string;
  attempt: number;
  method: string;
  server: string;
  status?: number | undefined;
  outcome?: string | undefined;
  durationMs?: number | undefined;
  error?: unknown;
  /** The `smswire:send` event of the send the attempt is part of. */
  parent?: object | undefined;
}
interface SendEvent {
  vendors: string[];
  parts: number;
  encoding: string;
  vendor?: string | undefined;
  outcome?: string | undefined;
  reason?: string | undefined;
  failovers: number;
}
interface FailoverEvent {
  from: string;
  to: string | undefined;
  outcome: string;
  reason: string;
  parent?: object | undefined;
}

export interface SmswireInstrumentationOptions {
  /** Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider | undefined;
  /** Default: the global one (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
}

const scope = '@smswire/opentelemetry';

/** A send's span, and the context its attempts' spans start in. */
interface Started {
  span: Span;
  context: Context;
}

/**
 * Subscribes to smswire's diagnostics channels and turns them into OpenTelemetry spans and
 * metrics: a `sms send` span per `sms.send` (its failovers as span events), a CLIENT span per
 * HTTP attempt (`smswire:call`) under it, following the HTTP client semantic conventions, and the
 * counters and the duration histogram of the guide (docs/guides/observability.md). Never records
 * a phone number, a text, a request or reply, or a credential. Returns the function that stops it.
 *
 * What it costs a send is kept small (docs/benchmarks.md, "Observability"): it listens only where
 * it must (a channel nobody listens to costs its publisher nothing), so an attempt's span is made
 * when the attempt has ended, from its duration; it binds no AsyncLocalStorage (an attempt finds
 * its send by the `parent` its event carries, so Node tracks no promise for it); and its counters
 * are summed in memory and read when the SDK collects.
 */
export function instrumentSmswire(options: SmswireInstrumentationOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(scope);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(scope);
  const sent = tally(meter, 'smswire.messages.sent', { description: 'Messages a vendor accepted', unit: '{message}' }, [
    'smswire.vendor',
  ]);
  const parts = tally(
    meter,
    'smswire.message.parts',
    { description: 'SMS parts of the messages a vendor accepted', unit: '{part}' },
    ['smswire.vendor', 'smswire.encoding'],
  );
  const failures = tally(
    meter,
    'smswire.send.failures',
    { description: 'Sends that failed, by reason and outcome', unit: '{message}' },
    ['smswire.vendor', 'smswire.outcome', 'smswire.reason'],
  );
  const failovers = tally(
    meter,
    'smswire.send.failovers',
    {
      description: 'Messages moved on to the next vendor after a certain refusal, by sendMany as by send',
      unit: '{message}',
    },
    ['smswire.from', 'smswire.to', 'smswire.reason'],
  );
  const duration = meter.createHistogram('smswire.call.duration', {
    description: 'Duration of each HTTP attempt of a vendor call',
    unit: 's',
  });

  const sends = new WeakMap<object, Started>();

  const sendChannel = tracingChannel<unknown, SendEvent>('smswire:send');
  const callChannel = tracingChannel<unknown, CallEvent>('smswire:call');
  const failoverChannel = channel('smswire:failover');

  const onSendStart = (message: unknown) => {
    const event = message as SendEvent;
    const parent = context.active();
    const span = tracer.startSpan(
      'sms send',
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'smswire.vendors': event.vendors.join(','),
          'smswire.parts': event.parts,
          'smswire.encoding': event.encoding,
        },
      },
      parent,
    );
    sends.set(event, { span, context: trace.setSpan(parent, span) });
  };

  const onSendEnd = (message: unknown) => {
    const event = message as SendEvent;
    const span = sends.get(event)?.span;
    if (!span) return;
    const vendor = event.vendor ?? '';
    const attributes: Attributes = {
      'smswire.vendor': vendor,
      'smswire.outcome': event.outcome ?? '',
      'smswire.failovers': event.failovers,
      'smswire.parts': event.parts,
    };
    if (event.outcome === 'accepted') {
      attributes['smswire.encoding'] = event.encoding;
      sent.add(1, vendor);
      parts.add(event.parts, vendor, event.encoding);
    } else if (event.outcome !== 'replayed') {
      const reason = event.reason ?? 'unknown';
      attributes['smswire.reason'] = reason;
      attributes['error.type'] = reason;
      span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
      failures.add(1, vendor, event.outcome ?? '', reason);
    }
    span.setAttributes(attributes);
    span.end();
  };

  // The attempt's span, made once it has ended: from then back its duration.
  const onCallEnd = (message: unknown) => {
    const event = message as CallEvent;
    const end = performance.now();
    const durationMs = event.durationMs ?? 0;
    const outcome = event.outcome ?? 'unknown';
    const [address, port] = serverOf(event.server);
    const attributes: Attributes = {
      'http.request.method': event.method,
      'server.address': address,
      'smswire.vendor': event.vendor,
      'smswire.operation': event.operation,
      'smswire.kind': event.kind,
      'smswire.outcome': outcome,
    };
    if (port !== undefined) attributes['server.port'] = port;
    // Retries of the same request, as the HTTP conventions count them.
    if (event.attempt > 1) attributes['http.request.resend_count'] = event.attempt - 1;
    if (event.status) attributes['http.response.status_code'] = event.status;
    // The error's class, as the conventions ask (`HttpError`, `TimeoutError`, …); never its message.
    const failure = outcome === 'success' ? undefined : ((event.error as Error | undefined)?.name ?? outcome);
    if (failure) attributes['error.type'] = failure;
    const parent = (event.parent && sends.get(event.parent)?.context) ?? context.active();
    const span = tracer.startSpan(
      event.method,
      { kind: SpanKind.CLIENT, attributes, startTime: end - durationMs },
      parent,
    );
    if (failure) span.setStatus({ code: SpanStatusCode.ERROR, message: failure });
    span.end(end);
    const measured: Attributes = {
      'smswire.vendor': event.vendor,
      'smswire.operation': event.operation,
      'smswire.outcome': outcome,
    };
    if (event.status) measured['http.response.status_code'] = event.status;
    duration.record(durationMs / 1000, measured);
  };

  // `host:port` split once per server.
  const servers = new Map<string, [string, number | undefined]>();
  const serverOf = (server: string) => {
    let split = servers.get(server);
    if (!split) {
      const colon = /:(\d+)$/.exec(server);
      split = colon ? [server.slice(0, colon.index), Number(colon[1])] : [server, undefined];
      servers.set(server, split);
    }
    return split;
  };

  // On the send's span; from `sendMany`, which has none, on the span active around it, if any.
  const onFailover = (message: unknown) => {
    const event = message as FailoverEvent;
    const attributes = {
      'smswire.from': event.from,
      'smswire.to': event.to ?? '',
      'smswire.outcome': event.outcome,
      'smswire.reason': event.reason,
    };
    const span = (event.parent && sends.get(event.parent)?.span) ?? trace.getActiveSpan();
    span?.addEvent('smswire.failover', attributes);
    if (event.to !== undefined) failovers.add(1, event.from, event.to, event.reason);
  };

  const subscriptions: [
    { subscribe(f: (m: unknown) => void): void; unsubscribe(f: (m: unknown) => void): unknown },
    (m: unknown) => void,
  ][] = [
    [sendChannel.start, onSendStart],
    [sendChannel.asyncEnd, onSendEnd],
    [callChannel.asyncEnd, onCallEnd],
    [failoverChannel, onFailover],
  ];
  for (const [on, handler] of subscriptions) on.subscribe(handler);
  return () => {
    for (const [on, handler] of subscriptions) on.unsubscribe(handler);
    for (const counter of [sent, parts, failures, failovers]) counter.stop();
  };
}
