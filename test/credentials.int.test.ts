import { ValidationError } from '@smswire/core';
import { describe, expect, it } from 'vitest';
import { listVendors, loadSpec } from '../scripts/lib/vendors.js';
import { exampleParams, loadVendorModule, operationsOf, sentinelCredentials } from './support/clients.js';

/**
 * Credentials are per operation: a client holding only what an operation needs can call it, and
 * one missing a credential the operation sends is refused at call time, naming the option, with
 * nothing sent.
 */
describe.each(listVendors())('credentials of $id', (vendor) => {
  it('each operation asks for exactly its own credentials', async () => {
    const spec = loadSpec(vendor);
    const mod = await loadVendorModule(vendor);
    const all = sentinelCredentials(mod.definition);
    let sent = 0;
    const fetch = async () => {
      sent++;
      return new Response('', { status: 503 });
    };
    for (const { path, op } of operationsOf(spec)) {
      const id = op.operationId as string;
      const needs = mod.definition.operations[id]!.security;
      const params = exampleParams(spec, path);
      const base = { baseUrl: 'http://127.0.0.1:9', fetch, maxRetries: 0 };
      const only = Object.fromEntries(needs.map((option) => [option, all[option]]));
      // With only its own credentials the call goes out (and fails on the 503, not on validation).
      const before = sent;
      const outcome = await (
        mod.createClient({ ...base, ...only }) as Record<string, (p: unknown) => Promise<unknown>>
      )[id]!(params).catch((e: unknown) => e);
      expect(outcome, `${id} with ${needs.join(', ') || 'no credentials'}`).not.toBeInstanceOf(ValidationError);
      expect(sent).toBeGreaterThan(before);
      for (const missing of needs) {
        const rest = Object.fromEntries(Object.entries(only).filter(([name]) => name !== missing));
        const after = sent;
        // Half a set of OAuth2 client credentials is already refused by createClient.
        const call = async () =>
          (mod.createClient({ ...base, ...rest }) as Record<string, (p: unknown) => Promise<unknown>>)[id]!(params);
        const error = await call().catch((e: unknown) => e);
        const unless = mod.definition.operations[id]!.credentialUnless?.[missing];
        if (unless?.some((name) => params[name] !== undefined)) continue;
        expect(error, `${id} without ${missing}`).toBeInstanceOf(ValidationError);
        const paired = mod.definition.credentials[missing]!.optional;
        expect((error as ValidationError).issues).toContainEqual(
          paired
            ? { path: missing, message: expect.stringMatching(/^is required with /) }
            : { path: missing, message: `is required by ${id} (a createClient option)` },
        );
        expect(sent).toBe(after);
      }
    }
  });
});
