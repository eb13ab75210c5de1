import { AbortError, ValidationError } from '@smswire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import {
  exampleParams,
  loadVendorModule,
  operationsOf,
  sentinelCredentials,
  type AnyClient,
} from './support/clients.js';
import { recordingFetch } from './support/recorder.js';

/**
 * What callers can get wrong, swept over every operation of every vendor: whatever a caller
 * passes, a call either sends exactly what validation saw or refuses with a ValidationError,
 * sending nothing, and every method reports it by rejecting, never by throwing.
 */

const base = 'http://127.0.0.1:9';

/** The same data, each object's properties moved onto its prototype (`Object.create`). */
function onPrototype(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(onPrototype);
  if (value === null || typeof value !== 'object') return value;
  return Object.create(Object.fromEntries(Object.entries(value).map(([key, item]) => [key, onPrototype(item)])));
}

/** The same data, each object an instance of a class whose getters return its properties. */
function behindGetters(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(behindGetters);
  if (value === null || typeof value !== 'object') return value;
  class Message {}
  for (const [key, item] of Object.entries(value)) {
    const inner = behindGetters(item);
    Object.defineProperty(Message.prototype, key, { get: () => inner });
  }
  return new Message();
}

/** One copy of `value` per string in it (at any depth), with that string changed. */
function eachStringChanged(value: unknown, change: (text: string) => string): unknown[] {
  if (typeof value === 'string') return [change(value)];
  if (Array.isArray(value))
    return value.flatMap((item, i) =>
      eachStringChanged(item, change).map((v) => value.map((x, j) => (i === j ? v : x))),
    );
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    eachStringChanged(item, change).map((v) => ({ ...value, [key]: v })),
  );
}

// Characters no text parameter may hold (docs/ARCHITECTURE.md, "Text and headers"): C0 controls
// but tab, LF and CR; DEL; a C1 control; lone surrogates of both halves; the noncharacter U+FFFF.
const unsendable = ['\0', '\x07', '\x1b', '\x7f', '\x85', '\ud800', '\udc00', '\uffff'];

/** Caller headers that collide with the client's own, or that a header cannot carry. */
const badHeaders: Record<string, unknown>[] = [
  { Authorization: 'Bearer OTHER' },
  { authorization: 'Basic eDp5' },
  { 'Content-Type': 'text/plain' },
  { Accept: 'text/html' },
  { 'Content-Length': '1' },
  { Host: 'elsewhere.example' },
  { 'Transfer-Encoding': 'chunked' },
  { 'X-Note': 'a\r\nInjected: yes' },
  { 'X-Note': 'a\nb' },
  { 'X-Note': 'a\0b' },
  { 'X-Note': 'Γ' },
  { 'X-Note': 7 },
  { 'X Note': 'space in the name' },
];

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  const operations = operationsOf(spec);

  describe(`callers of ${vendor.id}`, async () => {
    const mod = await loadVendorModule(vendor);
    const recorder = recordingFetch();
    const credentials = sentinelCredentials(mod.definition);
    /** A client holding the credentials `id` sends (OAuth2 client credentials only for the token endpoints, so no token request comes first). */
    const client = (options: Record<string, unknown> = {}, id?: string) => {
      const needs = id
        ? mod.definition.operations[id]!.security
        : Object.keys(sentinelCredentials(mod.definition, false));
      const own = Object.fromEntries(needs.map((option) => [option, credentials[option]]));
      return mod.createClient({
        ...own,
        baseUrl: base,
        fetch: recorder.fetch,
        maxRetries: 0,
        ...options,
      }) as unknown as AnyClient;
    };
    afterEach(() => {
      recorder.requests.length = 0;
    });

    /** What one call put on the wire (it fails on the recorder's 503, or is refused). */
    async function wire(call: () => Promise<unknown>) {
      const before = recorder.requests.length;
      const outcome = await call().catch((e: unknown) => e);
      return { outcome, requests: recorder.requests.slice(before) };
    }

    it.each(operations.map((o) => [o.op.operationId as string, o.path] as const))(
      '%s sends parameters on a prototype or behind getters exactly like own ones',
      async (id, path) => {
        const params = exampleParams(spec, path);
        const plain = await wire(() => client({}, id)[id]!(params));
        expect(plain.outcome).not.toBeInstanceOf(ValidationError);
        expect(plain.requests).toHaveLength(1);
        for (const variant of [onPrototype(params), behindGetters(params)]) {
          const sent = await wire(() => client({}, id)[id]!(variant));
          expect(sent.outcome).not.toBeInstanceOf(ValidationError);
          expect(sent.requests).toEqual(plain.requests);
        }
      },
    );

    it('appends every path to a baseUrl with or without a trailing slash, and refuses a query or fragment', async () => {
      for (const { op, path } of operations) {
        const id = op.operationId as string;
        const params = exampleParams(spec, path);
        const urls: string[] = [];
        for (const baseUrl of [`${base}/prefix`, `${base}/prefix/`, `${base}/prefix//`]) {
          const { requests } = await wire(() => client({ baseUrl }, id)[id]!(params));
          urls.push(requests[0]!.url);
        }
        expect(urls[0]!.startsWith(`${base}/prefix/`) && !urls[0]!.startsWith(`${base}/prefix//`)).toBe(true);
        expect(urls).toEqual([urls[0], urls[0], urls[0]]);
      }
      for (const baseUrl of [
        `${base}/?x=1`,
        `${base}?`,
        `${base}/#top`,
        `${base}#`,
        `${base}/a b`,
        `${base}/a\nb`,
        `${base}/a\0`,
        ` ${base}`,
        'http://[::1',
      ]) {
        expect(() => client({ baseUrl }), baseUrl).toThrow(ValidationError);
      }
    });

    it('every method reports bad arguments by rejecting with a ValidationError, never by throwing, and sends nothing', async () => {
      const methods = Object.keys(client()).filter((key) => !['raw', 'prepare', 'revokeToken'].includes(key));
      expect(methods.sort()).toEqual(Object.keys(mod.definition.operations).sort());
      for (const id of methods) {
        const params = exampleParams(spec, operations.find((o) => o.op.operationId === id)!.path);
        const invalid = new Date(Number.NaN);
        const badArgs: [unknown, unknown?][] = [
          [null],
          [42],
          ['text'],
          [[]],
          [{ unknown: 1 }],
          [{ at: invalid }],
          [{ ...params, at: invalid }],
          [{ ...params, at: new Date(8.64e15), gmt: '+99:99' }],
          ...Object.keys(params).map((key): [unknown] => [{ ...params, [key]: invalid }]),
          [params, { headers: 'Prefer: code=200' }],
          [params, { headers: { Authorization: 'Bearer OTHER' } }],
          [params, { signal: 'soon' }],
        ];
        for (const args of badArgs) {
          let result: unknown;
          try {
            result = (client({}, id)[id] as (...a: unknown[]) => unknown)(...args);
          } catch (error) {
            expect.fail(`${id}(${String(args[0])}) threw synchronously: ${String(error)}`);
          }
          expect(result, id).toBeInstanceOf(Promise);
          await expect(result, `${id} with ${JSON.stringify(args)}`).rejects.toBeInstanceOf(ValidationError);
        }
      }
      expect(recorder.requests).toEqual([]);
    });

    it('refuses a control character, lone surrogate or noncharacter in any text parameter, sending nothing', async () => {
      for (const { op, path } of operations) {
        const id = op.operationId as string;
        const params = exampleParams(spec, path);
        for (const bad of unsendable) {
          for (const changed of eachStringChanged(params, (text) => text.slice(0, 1) + bad + text.slice(1))) {
            const { outcome } = await wire(() => client({}, id)[id]!(changed));
            expect(outcome, `${id} ${JSON.stringify(changed)}`).toBeInstanceOf(ValidationError);
          }
        }
      }
      expect(recorder.requests).toEqual([]);
    });

    it("refuses caller headers that would merge into the client's own or cannot be carried, and sends the others", async () => {
      for (const { op, path } of operations) {
        const id = op.operationId as string;
        const params = exampleParams(spec, path);
        for (const headers of badHeaders) {
          const { outcome, requests } = await wire(() =>
            client({}, id)[id]!(params, { headers: headers as Record<string, string> }),
          );
          expect(outcome, `${id} ${JSON.stringify(headers)}`).toBeInstanceOf(ValidationError);
          expect(requests).toEqual([]);
        }
        const plain = (await wire(() => client({}, id)[id]!(params))).requests[0]!;
        for (const headers of [{ 'X-Trace': 'abc 1' }, new Headers({ 'X-Trace': 'abc 1' }), [['X-Trace', 'abc 1']]]) {
          const sent = (await wire(() => client({}, id)[id]!(params, { headers: headers as Record<string, string> })))
            .requests[0]!;
          expect(sent.headers, `${id} ${String(headers)}`).toEqual(
            [...plain.headers, ['x-trace', 'abc 1']].sort(([a], [b]) => a!.localeCompare(b!)),
          );
          expect({ ...sent, headers: [] }).toEqual({ ...plain, headers: [] });
        }
      }
    });

    it('refuses a credential with a control character or lone surrogate at createClient, for every credential option', () => {
      for (const option of Object.keys(mod.definition.credentials)) {
        for (const bad of ['\0', '\n', '\r', '\t', '\x7f', '\ud800', '\udfff']) {
          const options = { ...sentinelCredentials(mod.definition), baseUrl: base, [option]: `key${bad}` };
          let error: unknown;
          try {
            mod.createClient(options);
          } catch (e) {
            error = e;
          }
          expect(error, `${option} with ${JSON.stringify(bad)}`).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).issues).toContainEqual({ path: option, message: expect.any(String) });
        }
      }
    });

    // smsleads.txt L219: "Format: dd/mm/yy hh:mm"; two year digits are read as 20yy.
    it('takes a Date for a dd/mm/yy parameter only in the years two digits hold (2000 to 2099)', async () => {
      for (const { op, path } of operations) {
        const id = op.operationId as string;
        const dated = Object.entries(mod.definition.operations[id]!.params).filter(
          ([, p]) => p.encode === 'dd/mm/yy hh:mm',
        );
        for (const [name] of dated) {
          const params = exampleParams(spec, path);
          // A day's margin from each end, so the answer is the same in every time zone.
          for (const year of [1999, 2100, 1900, 10_000]) {
            const { outcome, requests } = await wire(() =>
              client({}, id)[id]!({ ...params, [name]: new Date(Date.UTC(year, 5, 15)) }),
            );
            expect(outcome, `${id}.${name} in ${year}`).toBeInstanceOf(ValidationError);
            expect((outcome as ValidationError).issues.map((issue) => issue.path)).toEqual([name]);
            expect(requests).toEqual([]);
          }
          for (const at of [Date.UTC(2000, 0, 2), Date.UTC(2099, 11, 30)]) {
            const { outcome, requests } = await wire(() => client({}, id)[id]!({ ...params, [name]: new Date(at) }));
            expect(outcome, `${id}.${name} at ${new Date(at).toISOString()}`).not.toBeInstanceOf(ValidationError);
            expect(requests).toHaveLength(1);
          }
        }
      }
    });

    it('waits out a timeoutMs longer than a timer can hold (2^31-1 ms) without a busy timer', async () => {
      const warnings: string[] = [];
      const onWarning = (warning: Error) => void warnings.push(warning.name);
      process.on('warning', onWarning);
      try {
        const { op, path } = operations[0]!;
        let timedOut = false;
        // A fetch that answers only when its signal aborts.
        const fetch = (_: unknown, init?: RequestInit) =>
          new Promise<Response>((_resolve, reject) =>
            init!.signal!.addEventListener('abort', () => {
              timedOut ||= (init!.signal!.reason as Error)?.name === 'TimeoutError';
              reject(init!.signal!.reason);
            }),
          );
        const caller = new AbortController();
        setTimeout(() => caller.abort(), 200);
        const outcome = await client({ fetch, timeoutMs: 2 ** 31 + 60_000 }, op.operationId)[op.operationId]!(
          exampleParams(spec, path),
          { signal: caller.signal },
        ).catch((e: unknown) => e);
        expect(outcome).toBeInstanceOf(AbortError);
        expect(timedOut).toBe(false);
        expect(warnings).toEqual([]);
      } finally {
        process.off('warning', onWarning);
      }
    });
  });
}
