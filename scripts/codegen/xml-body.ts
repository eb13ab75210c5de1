import type { CredentialDefinition, ParamDefinition } from '../../packages/core/src/vendor-definition.js';
import { type Body, bodyCredential, checkBodyKeywords } from './body.js';
import { deref, merged, type Operation, type Schema, type Spec } from './model.js';
import { isEncoding, paramSchema, zonedEncodings } from './params.js';
import { xmlShape } from './shapes.js';
import { need, SpecError, xmlType } from './spec.js';

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
  const media = need(need(op.requestBody, `${id}: requestBody`).content[xmlType], `${id}: ${xmlType} body`);
  const raw = need(media.schema, `${id}: request body schema`);
  const schema = merged(raw);
  checkBodyKeywords(deref(raw), id, ['dependentRequired', 'anyOf', 'if', 'then']);
  const root = need(schema.xml?.name, `${id}: the XML request schema's xml.name (the root element)`);
  const shape = xmlShape(spec, raw, `${id} request`, { request: true });
  if (shape.type !== 'object') throw new SpecError(`${id}: the XML request body must be an object`);
  const required = new Set<string>(schema.required ?? []);
  const params: Record<string, ParamDefinition> = {};
  const fixed: Record<string, string | string[]> = {};
  const security: string[] = [];
  const injected: string[] = [];
  const { timeZone } = spec;
  for (const [name, raw] of Object.entries(schema.properties ?? {})) {
    const prop = merged(raw);
    const where = `${id}.${name}`;
    const held: [string, Schema][] = [
      [name, prop],
      ...Object.entries(prop.properties ?? {}).map(([sub, s]): [string, Schema] => [`${name}.${sub}`, deref(s)]),
    ];
    const creds = held.flatMap(([path, s]) => (s.credential === undefined ? [] : [[path, s.credential] as const]));
    if (creds.length > 0) {
      for (const [path, option] of creds) {
        security.push(bodyCredential(credentials, option, { in: 'xml', name: path }, where));
      }
      if (creds.length !== held.length - (held.length > 1 ? 1 : 0))
        throw new SpecError(`${where}: an element holding a credential may hold nothing else`);
      injected.push(name);
      continue;
    }
    if (prop.const !== undefined) {
      const value = prop.const;
      if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
        throw new SpecError(`${where}: an XML constant must be a string or a list of strings`);
      }
      fixed[name] = value;
      injected.push(name);
      continue;
    }
    if (typeof prop.description !== 'string' || prop.description.length < 3)
      throw new SpecError(`${where}: every XML element needs a description`);
    const encode = prop.encode;
    if (encode !== undefined && !isEncoding(encode))
      throw new SpecError(`${where}: unknown x-smswire-encode ${encode}`);
    if (encode === 'msisdn') throw new SpecError(`${where}: x-smswire-encode msisdn is only supported in form bodies`);
    const zoned = encode !== undefined && zonedEncodings.has(encode);
    if (zoned && typeof timeZone !== 'string')
      throw new SpecError(`${where}: ${encode} needs the spec's x-smswire-time-zone`);
    params[name] = {
      in: 'xml',
      required: required.has(name),
      schema: paramSchema(prop, where, false, ['description', 'x-smswire-encode']),
      ...(encode ? { encode } : {}),
      ...(zoned ? { timeZone: timeZone! } : {}),
    };
  }
  for (const name of required)
    if (!params[name] && !injected.includes(name))
      throw new SpecError(`${id}: required element ${name} is not a property`);
  return { params, fixed, security, injected, jsonTypes: [], xml: { root, shape }, credentialUnless: {} };
}
