import type { CredentialDefinition, VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import type { Catalog, Server, Spec } from './model.js';
import { buildOperation, type OperationInfo } from './operation.js';
import { parseSpec } from './parse.js';
import { SpecError } from './spec.js';

export interface BuiltVendor {
  /** The spec as the generator read it. */
  spec: Spec;
  definition: VendorDefinition;
  operations: OperationInfo[];
  /** The spec root's `x-smswire-codes`: the catalog every operation starts from. */
  vendorCodes: Catalog;
  /** Prefix of the generated client's type names: `x-smswire-client`, else the vendor id's. */
  clientName: string;
}

/**
 * Reads a spec document (YAML as parsed) into core's runtime tables: parsed once into the model
 * (parse.ts), then each operation built from it (operation.ts), refusing what the client cannot honour.
 */
export function buildDefinition(vendor: string, document: unknown): BuiltVendor {
  const spec = parseSpec(document);
  const credentials: Record<string, CredentialDefinition> = {};
  const schemeToOption = new Map<string, string>();
  const oauthSchemes = new Set<string>();
  for (const [scheme, def] of Object.entries(spec.securitySchemes)) {
    // OAuth2 tokens come from the vendor's own token operations (x-smswire-oauth), not an option.
    if (def.type === 'oauth2') {
      oauthSchemes.add(scheme);
      continue;
    }
    const option = def.credential!;
    if (def.type === 'apiKey' && def.in === 'query' && def.name !== undefined)
      credentials[option] = { in: 'query', name: def.name };
    else if (def.type === 'http' && String(def.scheme).toLowerCase() === 'bearer')
      credentials[option] = { in: 'bearer', name: 'Authorization' };
    else throw new SpecError(`securityScheme ${scheme}: only apiKey in query, http bearer and oauth2 are supported`);
    schemeToOption.set(scheme, option);
  }

  // The vendor's catalog where its document has one table of codes; operations add to it or
  // give a code their own meaning (Dreams' -110 is a taken username only for Register).
  const vendorCodes = spec.codes;
  const operations = spec.operations.map((op) =>
    buildOperation(spec, op, { schemeToOption, oauthSchemes, credentials, vendorCodes }),
  );
  if (spec.xmlAnyRoot) {
    const readsXml = operations.some(
      ({ definition: { reply } }) => reply.codec === 'xml' || (reply.codec === 'json' && reply.xml),
    );
    if (!readsXml) throw new SpecError('x-smswire-xml-any-root: no operation has an XML reply');
  }
  if (spec.xmlErrorRoot !== undefined) {
    if (!operations.some(({ definition: { reply } }) => reply.codec === 'xml' && reply.status !== undefined))
      throw new SpecError('x-smswire-xml-error-root: no operation has an XML reply with a status element');
  }
  // A credential only the OAuth2 token operations use is needed only when those are.
  for (const [option, credential] of Object.entries(credentials)) {
    if (operations.every((o) => !o.definition.security.includes(option) || o.definition.oauth))
      credential.optional = true;
  }
  const serverNames = namedServers(spec.servers, 'servers');
  for (const [i, o] of operations.entries()) {
    if (!o.definition.servers) continue;
    o.definition.servers = alignServers(spec.operations[i]!.servers ?? [], serverNames, o.id);
  }
  const definition: VendorDefinition = {
    vendor,
    servers: spec.servers.map((s) => s.url),
    ...(serverNames ? { serverNames } : {}),
    credentials,
    operations: Object.fromEntries(operations.map((o) => [o.id, o.definition])),
  };
  if (definition.servers.length === 0) throw new SpecError('the spec needs at least one server');
  const exemplified = new Set(operations.flatMap((o) => o.exampleCodes));
  const unexampled = Object.keys(vendorCodes).filter((code) => !exemplified.has(code));
  if (unexampled.length)
    throw new SpecError(`x-smswire-codes: no operation has an example reply with code ${unexampled.join(', ')}`);
  const clientName = spec.clientName ?? vendor.charAt(0).toUpperCase() + vendor.slice(1);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(clientName)) {
    throw new SpecError('x-smswire-client must be a PascalCase name, e.g. SmsLeads');
  }
  return { spec, definition, operations, vendorCodes, clientName };
}

/** The `x-smswire-server` names of a server list: all or none named, each once. */
function namedServers(servers: Server[], where: string): string[] | undefined {
  const names = servers.map((s) => s.name);
  if (names.every((n) => n === undefined)) return undefined;
  if (!names.every((n): n is string => n !== undefined))
    throw new SpecError(`${where}: every server needs an x-smswire-server name (lower-case) when one has`);
  if (new Set(names).size !== names.length) throw new SpecError(`${where}: x-smswire-server names repeat`);
  return names;
}

/**
 * An operation's own servers in the order of the vendor's names, so one `server` option moves
 * every operation to its server of that name.
 */
function alignServers(servers: Server[], vendorNames: string[] | undefined, id: string): string[] {
  const names = namedServers(servers, `${id}: servers`);
  if (!vendorNames) {
    if (names) throw new SpecError(`${id}: servers are named, but the vendor's servers are not`);
    return servers.map((s) => s.url);
  }
  if (!names || names.length !== vendorNames.length || !vendorNames.every((n) => names.includes(n))) {
    throw new SpecError(`${id}: servers must be named like the vendor's (${vendorNames.join(', ')})`);
  }
  return vendorNames.map((name) => servers[names.indexOf(name)]!.url);
}
