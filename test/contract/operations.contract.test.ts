import { VendorError } from '@smswire/core';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, inject, it } from 'vitest';
import { resolve } from '../../scripts/codegen/spec.js';
import { listVendors, loadSpec, type Spec } from '../../scripts/lib/vendors.js';
import {
  codesOf,
  documentedReplies,
  exampleParams,
  loadVendorModule,
  makeClient,
  operationsOf,
} from '../support/clients.js';
import { elementText, matchesReplySchema, xmlRequestChecker } from '../support/xml-requests.js';

/**
 * Every operation of every spec, called through its generated client against Prism, once per
 * named reply example of every documented response and media type (a vendor with JSON and XML
 * replies is called in both modes). Prism's request validation findings (`sl-violations`) fail
 * the test; so does an XML request body that does not validate against the spec's schema, which
 * Prism cannot check.
 */
for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  describe(`${vendor.id} against its Prism mock`, async () => {
    const mod = await loadVendorModule(vendor);
    const violations: string[] = [];
    const checkXml = xmlRequestChecker(spec, mod.definition);
    let calling = '';
    const client = makeClient(
      mod,
      {
        baseUrl: inject('mocks')[vendor.id] as string,
        maxRetries: 0,
        fetch: async (input, init) => {
          if (new Headers(init?.headers).get('content-type') === 'application/xml')
            violations.push(...checkXml(calling, String(init?.body)));
          const response = await fetch(input, init);
          // Only the request is the client's doing; Prism also reads XML examples as untyped text.
          const found = (JSON.parse(response.headers.get('sl-violations') ?? '[]') as { location: string[] }[]).filter(
            (v) => v.location[0] === 'request',
          );
          if (found.length)
            violations.push(
              `${new URL(input instanceof Request ? input.url : input).pathname}: ${JSON.stringify(found)}`,
            );
          return response;
        },
      },
      undefined,
      { optional: true },
    );

    for (const { path, op } of operationsOf(spec)) {
      const reply = op['x-smswire-reply'];
      const codes = codesOf(spec, op);
      for (const { status, type, name, example } of documentedReplies(spec, op)) {
        it(`${op.operationId} → ${status} ${type} ${example.summary ?? name}`, async () => {
          violations.length = 0;
          calling = op.operationId;
          const params = { ...exampleParams(spec, path), ...(type === 'application/xml' ? reply.xmlWhen : {}) };
          const prefer = status === '200' ? `example=${name}` : `code=${status}, example=${name}`;
          const call = client[op.operationId]!(params, { headers: { Prefer: prefer } });
          // The XML form of a reply must decode to what its JSON twin of the same name decodes to.
          const twin = reply.xmlWhen && type === 'application/xml' ? twinOf(spec, op, status, name) : example.value;
          const expected = expectation(reply, codes, twin, decodedFields(spec, op, status));
          if (expected.schema) {
            const result = await call;
            expect(result).toMatchObject({ [reply.status]: Number(expected.code) });
            expect(matchesReplySchema(spec, op, result), 'the result fits the reply schema').toEqual([]);
            expect(violations).toEqual([]);
            return;
          }
          if (expected.error) {
            const error = await call.then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(VendorError);
            expect(error).toMatchObject({ vendor: vendor.id, operation: op.operationId, code: expected.error });
            expect((error as VendorError).description).toBe(codes[expected.error].description);
          } else {
            expect(await call).toEqual(expected.result);
          }
          expect(violations).toEqual([]);
        });
      }
    }
  });
}

function twinOf(spec: Spec, op: Spec, status: string, name: string): unknown {
  const twin = resolve(spec, op.responses[status]).content['application/json'].examples[name];
  return resolve(spec, twin).value;
}

const xml = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });

/** What the client must return for an example, computed from the spec without the client's codecs. */
function expectation(
  reply: Spec,
  codes: Spec,
  value: unknown,
  decoded: Record<string, string>,
): { error?: string | undefined; result?: unknown; schema?: true; code?: string } {
  const text = typeof value === 'string' ? value.trim() : '';
  const isCode = typeof value === 'string' && Object.hasOwn(codes, text);
  switch (reply.codec) {
    case 'scalar':
      return isCode ? { error: text } : { result: Number(value) };
    case 'code': {
      const code = text.replace(/^Result:\s*/i, '');
      return codes[code].outcome === 'success'
        ? { result: { code, description: codes[code].description } }
        : { error: code };
    }
    case 'xml': {
      if (isCode) return { error: text };
      if (reply.status !== undefined) {
        // A status envelope: an error code throws; a success is checked against the reply schema.
        const code = elementText(text, reply.status)!;
        return codes[code].outcome === 'success' ? { schema: true, code } : { error: code };
      }
      const parsed = Object.values(xml.parse(text) as Record<string, unknown>)[0];
      return { result: parsed };
    }
    case 'json': {
      const record = value as Record<string, unknown>;
      const status = record[reply.status];
      if (status === undefined && reply.statusOptional) return { result: expect.objectContaining(record) };
      const code = String(status);
      if (codes[code].outcome !== 'success') return { error: code };
      return { result: expect.objectContaining({ ...record, ...decode(record, decoded) }) };
    }
  }
  const entries = String(value)
    .split(/[\r\n,]+/)
    .map((e) => e.split('|'));
  const accepted = entries.filter(([code]) => codes[code!].outcome === 'success');
  if (accepted.length === 0) return { error: entries[0]![0] };
  return {
    result: {
      accepted: accepted.map(([, destination, messageId]) => ({ destination, messageId })),
      rejected: entries
        .filter(([code]) => codes[code!].outcome !== 'success')
        .map(([code, destination]) => ({
          code,
          destination: destination || undefined,
          description: codes[code!].description,
          retryable: codes[code!].retryable === true,
        })),
    },
  };
}

/** The JSON reply properties the spec marks `x-smswire-decode`, and how each is decoded. */
function decodedFields(spec: Spec, op: Spec, status: string): Record<string, string> {
  const schema = resolve(spec, resolve(spec, op.responses[status]).content?.['application/json']?.schema);
  return Object.fromEntries(
    Object.entries<Spec>(schema?.properties ?? {})
      .map(([key, property]) => [key, resolve(spec, property)['x-smswire-decode']])
      .filter(([, decode]) => decode !== undefined),
  );
}

function decode(record: Record<string, unknown>, decoded: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(decoded)
      .filter(([key]) => record[key] !== undefined)
      .map(([key, kind]) => {
        if (kind !== 'epoch-ms') throw new Error(`no expectation for x-smswire-decode ${kind}`);
        return [key, new Date(Number(record[key]))];
      }),
  );
}
