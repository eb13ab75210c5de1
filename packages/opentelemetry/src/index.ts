import { AsyncLocalStorage } from 'node:async_hooks';
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
}

export interface SmswireInstrumentationOptions {
  /** Default: the global one (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider | undefined;
  /** Default: the global one (`metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
}

const scope = '@smswire/opentelemetry';

type Handlers<C> = {
  start(message: C): void;
  end(message: C): void;
  asyncStart(message: C): void;
  asyncEnd(message: C): void;
  error(message: C): void;
};

/**
 * Subscribes to smswire's diagnostics channels and turns them into OpenTelemetry spans and
 * metrics: a `sms send` span per `sms.send` (its failovers as span events), a CLIENT span per
 * HTTP attempt (`smswire:call`) under it, following the HTTP client semantic conventions, and the
 * counters and the duration histogram of the guide (docs/guides/observability.md). Never records
 * a phone number, a text, a request or reply, or a credential. Returns the function that stops it.
 */
export function instrumentSmswire(options: SmswireInstrumentationOptions = {}): () => void {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(scope);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(scope);
  const sent = meter.createCounter('smswire.messages.sent', {
    description: 'Messages a vendor accepted',
    unit: '{message}',
  });
  const parts = meter.createCounter('smswire.message.parts', {
    description: 'SMS parts of the messages a vendor accepted',
    unit: '{part}',
  });
  const failures = meter.createCounter('smswire.send.failures', {
    description: 'Sends that failed, by reason and outcome',
    unit: '{message}',
  });
  const duration = meter.createHistogram('smswire.call.duration', {
    description: 'Duration of each HTTP attempt of a vendor call',
    unit: 's',
  });

  // The send a call belongs to, so its span is the parent: bound to `smswire:send`'s start, which
  // runs the send inside it.
  const sendContext = new AsyncLocalStorage<Context>();
  const spans = new WeakMap<object, Span>();

  const sendChannel = tracingChannel<unknown, SendEvent>('smswire:send');
  const callChannel = tracingChannel<unknown, CallEvent>('smswire:call');
  const failoverChannel = channel('smswire:failover');

  const startSend = (event: SendEvent): Context => {
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
    spans.set(event, span);
    return trace.setSpan(parent, span);
  };
  sendChannel.start.bindStore(sendContext, startSend as (event: unknown) => Context);

  const sendHandlers: Handlers<SendEvent> = {
    start() {},
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(event) {
      const span = spans.get(event);
      if (!span) return;
      const vendor = event.vendor ?? '';
      span.setAttribute('smswire.vendor', vendor);
      span.setAttribute('smswire.outcome', event.outcome ?? '');
      span.setAttribute('smswire.failovers', event.failovers);
      span.setAttribute('smswire.parts', event.parts);
      if (event.outcome === 'accepted') {
        span.setAttribute('smswire.encoding', event.encoding);
        sent.add(1, { 'smswire.vendor': vendor });
        parts.add(event.parts, { 'smswire.vendor': vendor, 'smswire.encoding': event.encoding });
      } else if (event.outcome !== 'replayed') {
        const reason = event.reason ?? 'unknown';
        span.setAttribute('smswire.reason', reason);
        span.setAttribute('error.type', reason);
        span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
        failures.add(1, { 'smswire.vendor': vendor, 'smswire.outcome': event.outcome ?? '', 'smswire.reason': reason });
      }
      span.end();
    },
  };

  const callHandlers: Handlers<CallEvent> = {
    start(event) {
      const parent = sendContext.getStore() ?? context.active();
      const attributes: Attributes = { 'http.request.method': event.method };
      const [address, port] = serverOf(event.server);
      attributes['server.address'] = address;
      if (port !== undefined) attributes['server.port'] = port;
      // Retries of the same request, as the HTTP conventions count them.
      if (event.attempt > 1) attributes['http.request.resend_count'] = event.attempt - 1;
      attributes['smswire.vendor'] = event.vendor;
      attributes['smswire.operation'] = event.operation;
      attributes['smswire.kind'] = event.kind;
      spans.set(event, tracer.startSpan(event.method, { kind: SpanKind.CLIENT, attributes }, parent));
    },
    end() {},
    asyncStart() {},
    error() {},
    asyncEnd(event) {
      const span = spans.get(event);
      if (!span) return;
      const outcome = event.outcome ?? 'unknown';
      const attributes: Attributes = {
        'smswire.vendor': event.vendor,
        'smswire.operation': event.operation,
        'smswire.outcome': outcome,
      };
      if (event.status) attributes['http.response.status_code'] = event.status;
      span.setAttributes(attributes);
      if (outcome !== 'success') {
        // The error's class, as the conventions ask (`HttpError`, `TimeoutError`, …); never its message.
        const type = (event.error as Error | undefined)?.name ?? outcome;
        span.setAttribute('error.type', type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
      }
      duration.record((event.durationMs ?? 0) / 1000, attributes);
      span.end();
    },
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

  const onFailover = (message: unknown) => {
    const event = message as FailoverEvent;
    trace.getSpan(sendContext.getStore() ?? context.active())?.addEvent('smswire.failover', {
      'smswire.from': event.from,
      'smswire.to': event.to ?? '',
      'smswire.outcome': event.outcome,
      'smswire.reason': event.reason,
    });
  };

  sendChannel.subscribe(sendHandlers);
  callChannel.subscribe(callHandlers);
  failoverChannel.subscribe(onFailover);
  return () => {
    sendChannel.unsubscribe(sendHandlers);
    callChannel.unsubscribe(callHandlers);
    failoverChannel.unsubscribe(onFailover);
    sendChannel.start.unbindStore(sendContext);
  };
}
