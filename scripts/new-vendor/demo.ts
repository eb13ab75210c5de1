import type { VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { exampleParams } from '../lib/example-params.js';
import type { Spec } from '../lib/vendors.js';

/**
 * `scripts/demo/<id>.ts` for a new vendor: every operation called once with its spec's example
 * arguments against the vendor's mock, in the spec's order. `pnpm demo` runs it; a vendor's own
 * flow (a send, then its status) replaces it when the adapter grows.
 */
export function demoSource(id: string, title: string, spec: Spec, definition: VendorDefinition): string {
  const credentials = Object.keys(definition.credentials)
    .filter((name) => !definition.credentials[name]!.optional)
    .map((name) => `${name}: 'demo'`);
  const calls = Object.entries<Spec>(spec.paths).flatMap(([path, item]) =>
    [item.get, item.post]
      .filter((op): op is Spec => op !== undefined)
      .map((op) => {
        const params = exampleParams(spec, path);
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
