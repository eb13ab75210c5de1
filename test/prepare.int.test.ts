import { ValidationError } from '@smswire/core';
import { createRedactor } from '@smswire/core/internal';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, operationsOf, sentinelCredentials } from './support/clients.js';
import { recordingFetch, type RecordedRequest } from './support/recorder.js';
import { expectNoSecrets } from './support/secrets.js';

/**
 * `client.prepare.<operation>` over every operation of every vendor: the request it shows is the
 * one the call hands `fetch`, byte for byte, its credentials revealed only when asked, and bad
 * arguments are refused with the call's own ValidationError.
 */

type Prepared = { method: string; url: string; headers: Record<string, string>; body: string | undefined };
type Client = Record<string, (params?: unknown, init?: unknown) => Promise<unknown>> & {
  prepare: Record<string, (params?: unknown, init?: unknown) => Promise<Prepared>>;
};

/** A prepared request in the recorder's form. */
const asRecorded = (p: Prepared): RecordedRequest => ({
  method: p.method,
  url: p.url,
  headers: Object.entries(p.headers)
    .map(([name, value]): [string, string] => [name, value])
    .sort(([a], [b]) => a.localeCompare(b)),
  body: p.body ?? '',
});

for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);

  describe(`prepare of ${vendor.id}`, async () => {
    const mod = await loadVendorModule(vendor);
    const credentials = sentinelCredentials(mod.definition);
    /** A client with `creds` on a fetch that keeps every request it is handed. */
    const recordingClient = (creds: Record<string, unknown> = credentials, options: Record<string, unknown> = {}) => {
      const recorder = recordingFetch();
      const client = mod.createClient({
        ...creds,
        baseUrl: 'http://127.0.0.1:9',
        ...options,
        fetch: recorder.fetch,
      }) as unknown as Client;
      return { recorder, client };
    };

    it.each(operationsOf(spec).map((o) => [o.op.operationId as string, o.path] as const))(
      '%s shows the request fetch receives, credentials masked unless revealed',
      async (id, path) => {
        // The credentials the operation sends (OAuth2 client credentials only for its token endpoints).
        const own = Object.fromEntries(mod.definition.operations[id]!.security.map((o) => [o, credentials[o]]));
        const { recorder, client } = recordingClient(own, { baseUrl: 'http://127.0.0.1:9/api', maxRetries: 0 });
        const params = exampleParams(spec, path);
        const init = { headers: { 'x-trace': 'abc' } };
        const revealed = await client.prepare[id]!(params, { ...init, revealCredentials: true });
        const masked = await client.prepare[id]!(params, init);
        await client[id]!(params, init).catch(() => undefined);
        expect(recorder.requests).toHaveLength(1);
        const sent = recorder.requests[0]!;
        expect(asRecorded(revealed)).toEqual(sent);

        const secrets = Object.values(own).filter((v): v is string => v !== undefined);
        const redact = createRedactor(secrets);
        expect(asRecorded(masked)).toEqual({
          ...sent,
          url: redact(sent.url),
          body: redact(sent.body),
          headers: sent.headers.map(([name, value]) => [name, redact(value)]),
        });
        expectNoSecrets(masked, secrets, { label: id });
      },
    );

    it('asks for no OAuth2 token: the access token a call would fetch first shows masked, even revealed', async () => {
      const { recorder, client } = recordingClient();
      for (const { op, path } of operationsOf(spec)) {
        const id = op.operationId as string;
        if (!mod.definition.operations[id]!.bearer) continue;
        const prepared = await client.prepare[id]!(exampleParams(spec, path), { revealCredentials: true });
        expect(prepared.headers.authorization, id).toBe('Bearer [REDACTED]');
      }
      expect(recorder.requests).toEqual([]);
    });

    it('refuses bad arguments with the ValidationError the call rejects with, sending nothing', async () => {
      const { recorder, client } = recordingClient();
      for (const { op, path } of operationsOf(spec)) {
        const id = op.operationId as string;
        const bad = { ...exampleParams(spec, path), bogus: 1 };
        const prepared = await client.prepare[id]!(bad).catch((e: unknown) => e);
        expect(prepared, id).toBeInstanceOf(ValidationError);
        const called = await client[id]!(bad).catch((e: unknown) => e);
        expect((prepared as ValidationError).issues).toEqual((called as ValidationError).issues);
        expect((prepared as Error).message).toBe((called as Error).message);
      }
      expect(recorder.requests).toEqual([]);
    });
  });
}
