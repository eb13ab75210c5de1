import { describe, expect, inject, it } from 'vitest';
import { listVendors, loadSpec } from '../../scripts/lib/vendors.js';
import { resolve } from '../../scripts/codegen/spec.js';
import { loadVendorModule, operationsOf, type AnyClient } from '../support/clients.js';
import {
  elementText,
  xmlExampleParams,
  xmlOutline,
  xmlRequestChecker,
  xmlRequestExample,
} from '../support/xml-requests.js';

/**
 * Every operation with an XML body, called with the values of the vendor's documented request
 * example, must send that example element for element, attribute for attribute, in the same
 * order — and a body that validates against the spec's request schema.
 */
for (const vendor of listVendors()) {
  const spec = loadSpec(vendor);
  const sendsXml = operationsOf(spec).some(
    ({ op }) => op.requestBody && resolve(spec, op.requestBody).content['application/xml'],
  );
  describe.runIf(sendsXml)(`${vendor.id} XML requests`, async () => {
    const mod = await loadVendorModule(vendor);
    const xmlOperations = Object.entries(mod.definition.operations).filter(([, op]) => op.xml);
    const check = xmlRequestChecker(spec, mod.definition);
    for (const [id, op] of xmlOperations) {
      it(`${id} sends the documented request`, async () => {
        const documented = xmlRequestExample(spec, op.path);
        // The credentials the example shows in its body (e.g. <user><username>) are the client's options here.
        const credentials = Object.fromEntries(
          Object.entries(mod.definition.credentials).map(([option, credential]) => [
            option,
            credential.in === 'xml' ? elementText(documented, credential.name.split('.').at(-1)!)! : 'a-token',
          ]),
        );
        let sent = '';
        const client = mod.createClient({
          ...credentials,
          baseUrl: inject('mocks')[vendor.id],
          maxRetries: 0,
          fetch: (input: string | URL | Request, init?: RequestInit) => {
            sent = String(init?.body);
            return fetch(input, init);
          },
        }) as unknown as AnyClient;
        await client[id]!(xmlExampleParams(spec, op.path, op), { headers: { Prefer: 'example=ok' } });
        expect(xmlOutline(sent)).toEqual(xmlOutline(documented));
        expect(check(id, sent)).toEqual([]);
      });
    }
  });
}
