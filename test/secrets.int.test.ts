import { tracingChannel } from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { SmswireError } from '@smswire/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { instrumentSmswire } from '../packages/opentelemetry/src/index.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import { echoed, echoSpellings, expectNoSecrets } from './support/secrets.js';
import { refusedUrl, startServer, type TestServer } from './support/server.js';
import {
  exampleParams,
  loadVendorModule,
  makeClient,
  operationsOf,
  sentinelCredentials,
  type VendorModule,
} from './support/clients.js';
import {
  brokenSecretReplies,
  errorReply,
  quotingReplies,
  repliesWithSecret,
  type CraftedReply,
} from './support/replies.js';

type Mode = 'vendor' | 'parse' | 'http' | 'reset' | 'timeout' | 'crafted' | 'crafted-http';

/** What a vendor's code looks like in every catalog: a number, or a word such as `invalid_client`. */
const codeShaped = /^(?:[+-]?[0-9]{1,12}|[A-Za-z][A-Za-z_]{0,39})$/;

/**
 * What a vendor quoting the request back would write: its URL, form, XML body and bearer
 * header, decoded, for `echoes` to spell.
 */
function requestText(url: string, body: string, authorization = ''): string {
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  const unxml = body.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => xmlEntities[name]!);
  return `${decode(url)} ${decode(body)} ${unxml} ${authorization}`;
}
const xmlEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Each spelling of an echo, and base64 (a Basic header quoted back); a call names one by index. */
const echoes = [
  ...echoSpellings.map(([, spell]) => spell),
  (text: string) => Buffer.from(`user:${text}`).toString('base64'),
];

/**
 * Replies per mode; an `http` or `parse` body quotes the credentials (`x-echo`) and the
 * request, in the spelling the call names (`x-spell`), first, so the excerpt an error keeps
 * holds them.
 */
let server: TestServer;
let url: string;
let deadUrl: string;
let replies: Record<string, string> = {};
beforeAll(async () => {
  server = await startServer(async (req, res) => {
    const mode = req.headers['x-mode'] as Mode;
    let body = '';
    for await (const chunk of req) body += chunk;
    const spell = echoes[Number(req.headers['x-spell'] ?? 0)]!;
    const quoted = Buffer.from(String(req.headers['x-echo'] ?? ''), 'base64').toString('utf8');
    const echo = `bad login ${spell(quoted)} for ${spell(requestText(req.url ?? '', body, req.headers.authorization))}`;
    if (mode === 'timeout') return;
    if (mode === 'reset') return void req.socket.destroy();
    if (mode === 'http') return void res.writeHead(500).end(`error at ${echo}`);
    if (mode === 'parse') return void res.end(`<html>${echo}</html>`);
    // A reply the test wrote, carried in a request header so that each call has its own.
    const crafted = Buffer.from(String(req.headers['x-reply']), 'base64').toString('utf8');
    if (mode === 'crafted') return void res.end(crafted);
    if (mode === 'crafted-http') return void res.writeHead(500).end(crafted);
    res.end(replies[new URL(req.url ?? '/', 'http://x').pathname]);
  });
  url = server.url;
  deadUrl = await refusedUrl();
});
afterAll(() => server.close());

/** Calls an operation with a client holding every sentinel credential; the server answers `reply`. */
function callWith(
  mod: VendorModule,
  id: string,
  params: Record<string, unknown>,
  reply: CraftedReply,
  mode: Mode = 'crafted',
) {
  const client = makeClient(mod, { baseUrl: url, maxRetries: 0 }, undefined, { optional: true });
  const headers = { 'x-mode': mode, 'x-reply': Buffer.from(reply.body).toString('base64') };
  return client[id]!({ ...params, ...reply.params }, { headers }).catch((e: unknown) => e);
}

describe.each(listVendors())('no credential of $id leaks', (vendor) => {
  const secretsOf = (mod: VendorModule) => Object.values(sentinelCredentials(mod.definition));

  // Every operation, each fault, and each spelling of the echo: more calls than the default timeout allows.
  it('from any error of any operation, or into any output', async () => {
    const spec = loadSpec(vendor);
    const mod = await loadVendorModule(vendor);
    const secrets = secretsOf(mod);
    const echo = Buffer.from(secrets.join(' ')).toString('base64');
    const output: string[] = [];
    const capture = (chunk: unknown) => {
      output.push(String(chunk));
      return true;
    };
    const spies = [
      vi.spyOn(process.stdout, 'write').mockImplementation(capture),
      vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ];
    // Every line of the debug log, every level, and every event the call channel publishes.
    const logged: string[] = [];
    const line = (message: string) => void logged.push(message);
    const logger = { debug: line, info: line, warn: line, error: line };
    const channel = tracingChannel('smswire:call');
    // The event as it ends, when it holds everything it will; its error is one of `errors`, checked below.
    const publish = (context: unknown) => void logged.push(inspect({ ...(context as object), error: undefined }));
    const none = () => undefined;
    const handlers = { start: none, end: none, asyncStart: none, asyncEnd: publish, error: none };
    channel.subscribe(handlers);
    // And the OpenTelemetry bridge, with the SDK's in-memory exporters.
    const otel = inMemoryOtel();
    const errors: unknown[] = [];
    try {
      for (const { path, op } of operationsOf(spec)) {
        const params = exampleParams(spec, path);
        const body = errorReply(spec, op);
        // The server sees the path without its `#command` fragment.
        if (body) replies[path.replace(/#.*/, '')] = body;
        const modes: Mode[] = body
          ? ['vendor', 'parse', 'http', 'reset', 'timeout']
          : ['parse', 'http', 'reset', 'timeout'];
        for (const mode of modes) {
          // Only the stalled reply gets a short deadline; the others must not time out on a busy machine.
          const client = makeClient(
            mod,
            { baseUrl: url, maxRetries: 0, timeoutMs: mode === 'timeout' ? 25 : 10_000, logger },
            undefined,
            { optional: true },
          );
          // A reply that quotes the request, once in each spelling.
          const spellings = mode === 'http' || mode === 'parse' ? echoes.keys() : [0];
          for (const spelling of spellings) {
            const headers = { 'x-mode': mode, 'x-spell': String(spelling), 'x-echo': echo };
            errors.push(await client[op.operationId]!(params, { headers }).catch((e: unknown) => e));
          }
        }
        errors.push(
          await makeClient(mod, { baseUrl: deadUrl, maxRetries: 0, logger }, undefined, { optional: true })[
            op.operationId
          ]!(params).catch((e: unknown) => e),
        );
        errors.push(
          await makeClient(mod, { baseUrl: url, logger }, undefined, { optional: true })[op.operationId]!({
            ...params,
            bogus: 1,
          }).catch((e: unknown) => e),
        );
      }
    } finally {
      channel.unsubscribe(handlers);
      otel.stop();
      for (const spy of spies) spy.mockRestore();
      replies = {};
    }
    // The log spoke of every operation's attempts (those behind an OAuth2 token first fetch it, whose attempts it logs).
    for (const { op } of operationsOf(spec))
      if (!mod.definition.operations[op.operationId]!.bearer)
        expect(logged.join('\n')).toContain(` ${op.operationId} attempt 1: `);
    // Checked once, not with each error: it holds every call's lines.
    expectNoSecrets(undefined, secrets, { output: logged });
    const recorded = await otel.recorded();
    expect(recorded.spans).toBeGreaterThan(0);
    expectNoSecrets(undefined, secrets, { output: [recorded.text] });
    expect(errors.map((e) => (e as Error).name)).toEqual(
      expect.arrayContaining([
        'VendorError',
        'ParseError',
        'HttpError',
        'TransportError',
        'TimeoutError',
        'ValidationError',
      ]),
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(SmswireError);
      expectNoSecrets(error, secrets, { output });
    }
    // Every operation in six modes (two of them in every echo spelling), logged, published and traced: more than the default 20 s on a busy machine.
  }, 60_000);

  // The hardening issue: `{"Status":"bad apikey <the key>"}`, a Dreams text reply quoting the
  // secret, or a pipe entry whose destination echoes `user:password` put the credential into
  // VendorError.code, its message, stack and JSON, or into a result's refusals.
  it('from a reply that quotes the request where a code or a destination goes, and such text never becomes a code', async () => {
    const spec = loadSpec(vendor);
    const mod = await loadVendorModule(vendor);
    const secrets = secretsOf(mod);
    const outcomes: { id: string; body: string; outcome: unknown }[] = [];
    for (const { path, op } of operationsOf(spec)) {
      const params = exampleParams(spec, path);
      const crafted = [
        ...quotingReplies(spec, op, `bad apikey ${secrets.join(' ')}`, secrets.join(':')),
        ...quotingReplies(spec, op, secrets[0]!, secrets[0]!),
        ...quotingReplies(spec, op, `bad login ${echoed(secrets[0]!)}`, echoed(secrets.join(':'))),
      ];
      for (const reply of crafted)
        outcomes.push({
          id: op.operationId,
          body: reply.body,
          outcome: await callWith(mod, op.operationId, params, reply),
        });
    }
    expect(outcomes.some(({ outcome }) => (outcome as Error).name === 'ParseError')).toBe(true);
    for (const { id, body, outcome } of outcomes) {
      // An error, or a result (a pipe reply with an accepted entry) whose refusals are checked the same way.
      const refusals = (outcome as { rejected?: { code: unknown }[] }).rejected ?? [];
      expect(outcome instanceof SmswireError || refusals.length > 0, `${id} ${body}`).toBe(true);
      expectNoSecrets(outcome, secrets, { label: `${id} ${body}` });
      const codes = [(outcome as { code?: unknown }).code, ...refusals.map((r) => r.code)].filter(
        (c) => c !== undefined,
      );
      if ((outcome as Error).name !== 'TransportError')
        for (const code of codes) expect(code, `${id} ${body}`).toMatch(codeShaped);
    }
  });

  // The hardening issue: a malformed token reply put the issued access and refresh tokens into
  // ParseError.body, and so would sms365's key/reset (which returns a new key). The client
  // cannot redact a secret it has not read yet, so such a reply's body appears in no error.
  it('from a reply that carries a new token or key, however it is broken', async () => {
    const spec = loadSpec(vendor);
    const mod = await loadVendorModule(vendor);
    const operations = operationsOf(spec).filter(({ op }) => repliesWithSecret(op));
    for (const { path, op } of operations) {
      const params = exampleParams(spec, path);
      const { replies: broken, values } = brokenSecretReplies(spec, op);
      expect(broken.length, op.operationId).toBeGreaterThan(0);
      expect(values.length, op.operationId).toBeGreaterThan(0);
      for (const reply of broken) {
        for (const mode of ['crafted', 'crafted-http'] as const) {
          const error = await callWith(mod, op.operationId, params, reply, mode);
          expect(error, `${op.operationId} ${mode} ${reply.body}`).toBeInstanceOf(SmswireError);
          expectNoSecrets(error, values, { label: `${op.operationId} ${mode}` });
        }
      }
    }
  });
});

/** The OpenTelemetry bridge over in-memory exporters: everything it recorded, as text. */
function inMemoryOtel() {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const stop = instrumentSmswire({ tracerProvider, meterProvider });
  return {
    stop,
    async recorded() {
      const finished = spans.getFinishedSpans();
      const { resourceMetrics } = await reader.collect();
      await meterProvider.shutdown();
      const text = inspect(
        [finished.map((s) => [s.name, s.attributes, s.events, s.status]), resourceMetrics.scopeMetrics],
        { depth: 12 },
      );
      return { spans: finished.length, text };
    },
  };
}
