import type { OperationDefinition, VendorDefinition } from '@smswire/core';
import { parseXml, shapeXml } from '@smswire/core/xml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { XMLParser } from 'fast-xml-parser';
import { resolve } from '../../scripts/lib/definition.js';
import type { Spec } from '../../scripts/lib/vendors.js';

const ctx = { vendor: 'test', operation: 'request', codes: {}, redact: (text: string) => text };

/**
 * An XML request body decoded to the JSON shape of the spec's schema, by the operation's own
 * table: lists stay lists, attributes and element text become properties, numbers are numbers.
 */
export function decodeXmlRequest(op: OperationDefinition, xml: string): { root: string; value: unknown } {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)/.exec(xml)?.[1] ?? '';
  return { root, value: shapeXml(parseXml(xml, ctx), op.xml!.shape, ctx, xml) };
}

/**
 * Checks XML request bodies against the spec's own request schemas with an independent JSON
 * Schema validator (Ajv, draft 2020-12, which OpenAPI 3.1 schemas are), since Prism cannot.
 */
export function xmlRequestChecker(spec: Spec, definition: VendorDefinition) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ ...spec, $id: 'spec' });
  const validators = new Map<string, ValidateFunction>();
  const pathOf = new Map(Object.entries(definition.operations).map(([id, op]) => [id, op.path]));
  return (id: string, xml: string): string[] => {
    const op = definition.operations[id]!;
    const path = pathOf.get(id)!;
    let validate = validators.get(id);
    if (!validate) {
      const ref = `spec#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1').replace(/#/g, '%23')}/post/requestBody/content/application~1xml/schema`;
      validate = ajv.getSchema(ref)!;
      validators.set(id, validate);
    }
    const { root, value } = decodeXmlRequest(op, xml);
    const problems = root === op.xml!.root ? [] : [`root element <${root}>, expected <${op.xml!.root}>`];
    if (!validate(value)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
    return problems;
  };
}

const replyAjv = new Ajv2020({ strict: false, allErrors: true });
const replySpecs = new WeakMap<Spec, string>();
let specCount = 0;

/** Why a decoded success reply does not fit the 200 reply schema of the spec (none: `[]`). */
export function matchesReplySchema(spec: Spec, op: Spec, result: unknown): string[] {
  let id = replySpecs.get(spec);
  if (!id) {
    replySpecs.set(spec, (id = `reply-spec-${++specCount}`));
    replyAjv.addSchema({ ...spec, $id: id });
  }
  const path = Object.keys(spec.paths).find((p) => spec.paths[p].post === op || spec.paths[p].get === op)!;
  const method = spec.paths[path].post === op ? 'post' : 'get';
  const validate = replyAjv.getSchema(`${id}#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1').replace(/#/g, '%23')}/${method}/responses/200/content/application~1xml/schema`)!;
  return validate(result) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** The operation's parameters, read from its documented XML request example (what the client fills in left out). */
export function xmlExampleParams(spec: Spec, path: string, op: OperationDefinition): Record<string, unknown> {
  const value = decodeXmlRequest(op, xmlRequestExample(spec, path)).value as Record<string, unknown>;
  return Object.fromEntries(Object.entries(value).filter(([name]) => Object.hasOwn(op.params, name)));
}

export function xmlRequestExample(spec: Spec, path: string): string {
  const body = resolve(spec, spec.paths[path].post.requestBody);
  const examples = Object.values<Spec>(body.content['application/xml'].examples ?? {});
  if (examples.length === 0) throw new Error(`${path}: no XML request example`);
  return resolve(spec, examples[0]!).value as string;
}

const ordered = new XMLParser({ preserveOrder: true, ignoreAttributes: false, parseTagValue: false, ignoreDeclaration: true, trimValues: true });

/** An XML document as its elements, attributes and texts in document order, whitespace between elements ignored. */
export function xmlOutline(xml: string): unknown {
  return ordered.parse(xml);
}
