import type { CredentialDefinition, ParamDefinition } from '../../packages/core/src/vendor-definition.js';
import { type Body, bodyCredential, checkBodyKeywords } from './body.js';
import { encodings, paramSchema, zonedEncodings } from './params.js';
import { xmlShape } from './shapes.js';
import { ext, merged, need, type Operation, resolve, type Schema, type Spec, SpecError, xmlType } from './spec.js';

/**
 * The children of an XML body's root: each property is a parameter, except those holding
 * credentials (`x-smswire-credential` on the property or on one of its properties, e.g.
 * `<user><username>`) and constants, which the client fills in. The root's `xml.name` names
 * the element; the `xml` objects say how the rest is written (see shapes.ts).
 */
export function xmlBody(
  spec: Spec,
  id: string,
  op: Operation,
  credentials: Record<string, CredentialDefinition>,
): Body {
  const media = resolve(
    spec,
    need(resolve(spec, need(op.requestBody, `${id}: requestBody`)).content[xmlType], `${id}: ${xmlType} body`),
  );
  const schema = merged(spec, need(media.schema, `${id}: request body schema`));
  checkBodyKeywords(resolve(spec, media.schema as Schema), id, ['dependentRequired', 'anyOf', 'if', 'then']);
  const root = need(schema.xml?.name, `${id}: the XML request schema's xml.name (the root element)`) as string;
  const shape = xmlShape(spec, media.schema as Schema, `${id} request`, { request: true });
  if (shape.type !== 'object') throw new SpecError(`${id}: the XML request body must be an object`);
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string | string[]> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const timeZone = ext(spec, 'x-smswire-time-zone');
  for (const [name, raw] of Object.entries<Schema>(schema.properties ?? {})) {
    const prop = merged(spec, raw);
    const where = `${id}.${name}`;
    const held = [
      [name, prop],
      ...Object.entries<Schema>(prop.properties ?? {}).map(([sub, s]) => [`${name}.${sub}`, resolve(spec, s)]),
    ] as [string, Schema][];
    const creds = held.filter(([, s]) => ext(s, 'x-smswire-credential') !== undefined);
    if (creds.length > 0) {
      for (const [path, s] of creds) {
        security.push(bodyCredential(credentials, ext(s, 'x-smswire-credential'), { in: 'xml', name: path }, where));
      }
      if (creds.length !== held.length - (held.length > 1 ? 1 : 0))
        throw new SpecError(`${where}: an element holding a credential may hold nothing else`);
      injected.push(name);
      continue;
    }
    if (prop.const !== undefined) {
      if (
        typeof prop.const !== 'string' &&
        !(Array.isArray(prop.const) && prop.const.every((v: unknown) => typeof v === 'string'))
      ) {
        throw new SpecError(`${where}: an XML constant must be a string or a list of strings`);
      }
      fixed[name] = prop.const;
      injected.push(name);
      continue;
    }
    if (typeof prop.description !== 'string' || prop.description.length < 3)
      throw new SpecError(`${where}: every XML element needs a description`);
    const { 'x-smswire-encode': encode, description: _d, ...rest } = prop;
    if (encode !== undefined && !encodings.has(encode))
      throw new SpecError(`${where}: unknown x-smswire-encode ${encode}`);
    if (encode === 'msisdn') throw new SpecError(`${where}: x-smswire-encode msisdn is only supported in form bodies`);
    if (zonedEncodings.has(encode) && typeof timeZone !== 'string')
      throw new SpecError(`${where}: ${encode} needs the spec's x-smswire-time-zone`);
    params[name] = {
      in: 'xml',
      required: required.has(name),
      schema: paramSchema(spec, rest, where),
      ...(encode ? { encode } : {}),
      ...(zonedEncodings.has(encode) ? { timeZone: timeZone! } : {}),
    };
  }
  for (const name of required)
    if (!params[name] && !injected.includes(name))
      throw new SpecError(`${id}: required element ${name} is not a property`);
  return { params, fixed, security, injected, jsonTypes: [], xml: { root, shape }, credentialUnless: {} };
}
