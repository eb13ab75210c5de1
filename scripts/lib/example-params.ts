import type { OperationDefinition } from '@smswire/core/internal';
import { parseXml, shapeXml } from '@smswire/core/xml';
import { buildDefinition } from '../codegen/build-definition.js';
import { resolve } from '../codegen/spec.js';
import { rootElement } from '../../packages/cli/src/prism.js';
import type { Spec } from './vendors.js';

const built = new WeakMap<Spec, ReturnType<typeof buildDefinition>>();

/** The generator's tables for a spec, built once per spec object. */
export function definitionOf(spec: Spec) {
  let entry = built.get(spec);
  if (!entry) {
    entry = buildDefinition('example', spec);
    built.set(spec, entry);
  }
  return entry.definition;
}

/**
 * The spec's own example arguments of each operation, as a caller passes them. The contract,
 * fault and secret tests send them, and the reference pages' code samples show them.
 */

/** The form body's properties, `$ref`s resolved, if the operation has one. */
export function formProperties(spec: Spec, op: Spec): Record<string, Spec> {
  const body = op.requestBody ? resolve(spec, op.requestBody) : undefined;
  const form = body?.content['application/x-www-form-urlencoded'];
  const schema = form ? resolve(spec, form.schema) : undefined;
  return Object.fromEntries(
    Object.entries<Spec>(schema?.properties ?? {}).map(([name, prop]) => [name, resolve(spec, prop)]),
  );
}

/** Each operation's parameters as the spec's own `example` values (form fields the client fills in excluded). */
export function exampleParams(spec: Spec, path: string): Record<string, unknown> {
  const item = spec.paths[path];
  const op = item.get ?? item.post;
  // An XML body's parameters come from its documented request example.
  if (op.requestBody && resolve(spec, op.requestBody).content['application/xml']) {
    return xmlExampleParams(spec, path, definitionOf(spec).operations[op.operationId]!);
  }
  const query = (op.parameters ?? [])
    .map((raw: Spec) => resolve(spec, raw))
    .map((param: Spec) => [param.name, param.example]);
  const form = Object.entries(formProperties(spec, op))
    .filter(([, prop]) => prop['x-smswire-credential'] === undefined && prop.const === undefined)
    // JSON-in-text fields take the typed value their contentSchema describes.
    .map(([name, prop]) => [name, prop.contentSchema ? resolve(spec, prop.contentSchema).example : prop.example]);
  return Object.fromEntries([...query, ...form]);
}

const ctx = { vendor: 'test', operation: 'request', codes: {}, redact: (text: string) => text };

/**
 * An XML request body decoded to the JSON shape of the spec's schema, by the operation's own
 * table: lists stay lists, attributes and element text become properties, numbers are numbers.
 */
export function decodeXmlRequest(op: OperationDefinition, xml: string): { root: string; value: unknown } {
  const root = rootElement(xml) ?? '';
  return { root, value: shapeXml(parseXml(xml, ctx), op.xml!.shape, ctx, xml) };
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
