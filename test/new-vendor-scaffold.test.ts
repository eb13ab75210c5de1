import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildDefinition } from '../scripts/codegen/build-definition.js';
import { listVendors, loadSpec, root, type Spec } from '../scripts/lib/vendors.js';
import { adapterSource, sendMapping } from '../scripts/new-vendor/adapter.js';

/** What `pnpm new-vendor` makes of a spec's send operation (test/new-vendor.e2e.test.ts runs the whole command). */
const toy = (): Spec => parse(readFileSync(join(root, 'test', 'fixtures', 'toy-vendor.yaml'), 'utf8'));
const mappingOf = (id: string, spec: Spec) => sendMapping(spec, buildDefinition(id, spec).definition);

describe('the scaffolded adapter', () => {
  it.each(listVendors().map((v) => [v.id, v] as const))(
    '%s: where the send is recognised, its sender and text fields are the ones the hand-written adapter names',
    async (id, vendor) => {
      const mapping = mappingOf(id, loadSpec(vendor));
      const { sendFields } = (await import(`../packages/sms/src/${id}.ts`)) as {
        sendFields: { from: string; text: string };
      };
      if (mapping) expect({ from: mapping.fields.from, text: mapping.fields.text }).toEqual(sendFields);
      // Unified's send has parameters of its own (`type`, `dlr`) the scaffold cannot fill in.
      else expect(id).toBe('unified');
    },
  );

  it('maps the toy send: number, text, the optional sender and the reply field of the message ID', () => {
    expect(mappingOf('toy', toy())).toEqual({
      operation: 'sendSms',
      fields: { to: 'to', text: 'text', from: 'sender' },
      toList: false,
      fromRequired: false,
      messageId: 'id',
    });
  });

  it('without a recognised send, send throws UnsupportedError and every capability is false', () => {
    const spec = toy();
    // A required parameter the scaffold has no value for.
    spec.paths['/send'].get.parameters.push({
      name: 'route',
      in: 'query',
      required: true,
      description: 'A route.',
      schema: { type: 'string' },
      example: 'r1',
    });
    expect(mappingOf('toy', spec)).toBeUndefined();
    const source = adapterSource('toy', 'Toy SMS API', spec, buildDefinition('toy', spec).definition);
    expect(source).toContain("throw new UnsupportedError(\n        'toy',\n        'send',");
    expect(source).toMatch(/messageId: false/);
    expect(source).not.toMatch(/: true/);
    expect(source).not.toContain('createClient');
  });
});
