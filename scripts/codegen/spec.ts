/**
 * What the parser (parse.ts) and the transforms share: the error a refused spec raises, and
 * `$ref` resolution on the document as parsed from YAML, which the parser, the types source
 * and the tests that read a spec's raw examples use. The model the transforms read is model.ts.
 */

export class SpecError extends Error {
  override name = 'SpecError';
}

/** Follows a local `$ref` (and a chain of them) to its target in a document as parsed from YAML. */
export function resolve<T>(spec: object, node: T): T;
export function resolve(spec: object, node: unknown): unknown {
  const ref = field(node, '$ref');
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#/')) throw new SpecError(`only local $refs are supported: ${ref}`);
  let target: unknown = spec;
  for (const part of ref.slice(2).split('/')) target = field(target, part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (target === undefined) throw new SpecError(`unresolved $ref ${ref}`);
  return resolve(spec, target);
}

function field(node: unknown, key: string): unknown {
  return typeof node === 'object' && node !== null && Object.hasOwn(node, key)
    ? (node as Record<string, unknown>)[key]
    : undefined;
}

export function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new SpecError(`missing ${what}`);
  return value;
}

export const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export const formType = 'application/x-www-form-urlencoded';
export const xmlType = 'application/xml';
