import type { VendorDefinition } from '@smswire/core/internal';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { decodeXmlRequest } from '../../scripts/lib/example-params.js';
import type { Spec } from '../../scripts/lib/vendors.js';

export { decodeXmlRequest, xmlExampleParams, xmlRequestExample } from '../../scripts/lib/example-params.js';

/**
 * Checks XML request bodies against the spec's own request schemas with an independent JSON
 * Schema validator (Ajv, draft 2020-12, which OpenAPI 3.1 schemas are), since Prism cannot.
 */
export function xmlRequestChecker(spec: Spec, definition: VendorDefinition) {
  return (id: string, xml: string): string[] => {
    const op = definition.operations[id]!;
    const { root, value } = decodeXmlRequest(op, xml);
    const problems = root === op.xml!.root ? [] : [`root element <${root}>, expected <${op.xml!.root}>`];
    return [
      ...problems,
      ...schemaProblems(
        spec,
        [...operationPointer(op.path, 'post'), 'requestBody', 'content', 'application/xml', 'schema'],
        value,
      ),
    ];
  };
}

/** Why a decoded success reply does not fit the 200 reply schema of the spec (none: `[]`). */
export function matchesReplySchema(spec: Spec, op: Spec, result: unknown): string[] {
  const path = Object.keys(spec.paths).find((p) => spec.paths[p].post === op || spec.paths[p].get === op)!;
  const method = spec.paths[path].post === op ? 'post' : 'get';
  return schemaProblems(
    spec,
    [...operationPointer(path, method), 'responses', '200', 'content', 'application/xml', 'schema'],
    result,
  );
}

const operationPointer = (path: string, method: string) => ['paths', path, method];

const ajv = new Ajv2020({ strict: false, allErrors: true });
const specIds = new WeakMap<Spec, string>();
let specCount = 0;
const validators = new Map<string, ValidateFunction>();

/** Validates `value` against the schema at a JSON pointer (given as its tokens) into the spec. */
function schemaProblems(spec: Spec, pointer: string[], value: unknown): string[] {
  let id = specIds.get(spec);
  if (!id) {
    id = `spec-${++specCount}`;
    specIds.set(spec, id);
    ajv.addSchema({ ...spec, $id: id });
  }
  // JSON pointer escapes, then URI-fragment escapes (`#` in `/api#sms`).
  const ref = `${id}#/${pointer.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1').replace(/#/g, '%23')).join('/')}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref)!;
    validators.set(ref, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The trimmed text of the first `<name>…</name>` in an XML text, read without any codec. */
export function elementText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
}

const ordered = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  trimValues: true,
});

/** An XML document as its elements, attributes and texts in document order, whitespace between elements ignored. */
export function xmlOutline(xml: string): unknown {
  return ordered.parse(xml);
}
