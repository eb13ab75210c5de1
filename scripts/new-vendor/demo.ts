import type { VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { resolve } from '../codegen/spec.js';
import type { Spec } from '../lib/vendors.js';

/**
 * An operation's arguments as its spec's own `example` values: query parameters and form fields
 * (credentials and constants, which the client fills in, left out). An XML body's are not read.
 */
function exampleArguments(spec: Spec, op: Spec): Record<string, unknown> {
  const query = (op.parameters ?? []).map((raw: Spec) => resolve(spec, raw)).map((p: Spec) => [p.name, p.example]);
  const body = op.requestBody ? resolve(spec, op.requestBody) : undefined;
  const form = body?.content['application/x-www-form-urlencoded'];
  const properties = Object.entries<Spec>((form ? resolve(spec, form.schema) : undefined)?.properties ?? {})
    .map(([name, raw]) => [name, resolve(spec, raw)] as const)
    .filter(([, prop]) => prop['x-smswire-credential'] === undefined && prop.const === undefined)
    .map(([name, prop]) => [name, prop.example]);
  return Object.fromEntries([...query, ...properties].filter(([, value]) => value !== undefined));
}

/**
 * `scripts/demo/<id>.ts` for a new vendor: every operation called once with its spec's example
 * arguments against the vendor's mock, in the spec's order. `pnpm demo` runs it; a vendor's own
 * flow (a send, then its status) replaces it when the adapter grows.
 */
export function demoSource(id: string, title: string, spec: Spec, definition: VendorDefinition): string {
  const credentials = Object.keys(definition.credentials)
    .filter((name) => !definition.credentials[name]!.optional)
    .map((name) => `${name}: 'demo'`);
  const calls = Object.values<Spec>(spec.paths).flatMap((item) =>
    [item.get, item.post]
      .filter((op): op is Spec => op !== undefined)
      .map((op) => {
        const params = exampleArguments(spec, op);
        const args = Object.keys(params).length > 0 ? JSON.stringify(params) : '';
        return `  log('${op.operationId}', await client.${op.operationId}(${args}));`;
      }),
  );
  return [
    `import { createClient } from '../../packages/${id}/src/index.js';`,
    '',
    `/** Each operation of the ${title} once, with its spec's example arguments. */`,
    'export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {',
    `  const client = createClient({ ${[...credentials, 'baseUrl'].join(', ')} });`,
    ...calls,
    '}',
    '',
  ].join('\n');
}
