import type { CredentialDefinition, VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { type Catalog, vendorCatalog } from './catalog.js';
import { buildOperation, type OperationInfo } from './operation.js';
import { parseSpec } from './parse.js';
import {
  ext,
  methods,
  need,
  type Operation,
  type PathItem,
  resolve,
  type Server,
  type Spec,
  SpecError,
} from './spec.js';

export interface BuiltVendor {
  definition: VendorDefinition;
  operations: OperationInfo[];
  /** The spec root's `x-smswire-codes`: the catalog every operation starts from. */
  vendorCodes: Catalog;
  /** Prefix of the generated client's type names: `x-smswire-client`, else the vendor id's. */
  clientName: string;
}

/**
 * Reads the `x-smswire-*` extensions and parameters of a spec into core's runtime tables. The
 * document is parsed YAML: it is typed as OpenAPI 3 and every value is checked as it is read.
 */
export function buildDefinition(vendor: string, document: object): BuiltVendor {
  parseSpec(document);
  const spec = document as Spec;
  const credentials: Record<string, CredentialDefinition> = {};
  const schemeToOption = new Map<string, string>();
  const oauthSchemes = new Set<string>();
  for (const [scheme, raw] of Object.entries(spec.components?.securitySchemes ?? {})) {
    const def = resolve(spec, raw);
    // OAuth2 tokens come from the vendor's own token operations (x-smswire-oauth), not an option.
    if (def.type === 'oauth2') {
      oauthSchemes.add(scheme);
      continue;
    }
    const option = ext(def, 'x-smswire-credential');
    if (typeof option !== 'string') throw new SpecError(`securityScheme ${scheme} needs x-smswire-credential`);
    if (def.type === 'apiKey' && def.in === 'query') credentials[option] = { in: 'query', name: def.name };
    else if (def.type === 'http' && String(def.scheme).toLowerCase() === 'bearer')
      credentials[option] = { in: 'bearer', name: 'Authorization' };
    else throw new SpecError(`securityScheme ${scheme}: only apiKey in query, http bearer and oauth2 are supported`);
    schemeToOption.set(scheme, option);
  }

  // A defect is tolerated only by the operations whose documented replies show it.
  if (ext(spec, 'x-smswire-xml-tolerate') !== undefined)
    throw new SpecError(
      'x-smswire-xml-tolerate belongs on each operation whose documented replies show the defects, not on the spec root',
    );
  // The vendor's catalog where its document has one table of codes; operations add to it or
  // give a code their own meaning (Dreams' -110 is a taken username only for Register).
  const vendorCodes = vendorCatalog(spec);
  const operations: OperationInfo[] = [];
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = resolve<PathItem>(spec, rawItem);
    for (const method of methods.filter((m) => item[m])) {
      const op = resolve<Operation>(spec, item[method]!);
      const where = `${method.toUpperCase()} ${path}`;
      if (method !== 'get' && method !== 'post')
        throw new SpecError(`${where}: only GET and POST operations are supported`);
      const id = need(op.operationId, `${where}: operationId`);
      operations.push(
        buildOperation(spec, {
          id,
          path,
          method,
          op,
          item,
          where,
          schemeToOption,
          oauthSchemes,
          credentials,
          vendorCodes,
        }),
      );
    }
  }
  const anyRoot = ext(spec, 'x-smswire-xml-any-root');
  if (anyRoot !== undefined) {
    if (anyRoot !== true) throw new SpecError('x-smswire-xml-any-root may only be true');
    const readsXml = operations.some(
      ({ definition: { reply } }) => reply.codec === 'xml' || (reply.codec === 'json' && reply.xml),
    );
    if (!readsXml) throw new SpecError('x-smswire-xml-any-root: no operation has an XML reply');
  }
  const errorRoot = ext(spec, 'x-smswire-xml-error-root');
  if (errorRoot !== undefined) {
    if (typeof errorRoot !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(errorRoot))
      throw new SpecError('x-smswire-xml-error-root must be an XML element name');
    if (!operations.some(({ definition: { reply } }) => reply.codec === 'xml' && reply.status !== undefined))
      throw new SpecError('x-smswire-xml-error-root: no operation has an XML reply with a status element');
  }
  // A credential only the OAuth2 token operations use is needed only when those are.
  for (const [option, credential] of Object.entries(credentials)) {
    if (operations.every((o) => !o.definition.security.includes(option) || o.definition.oauth))
      credential.optional = true;
  }
  const serverNames = namedServers(spec.servers ?? [], 'servers');
  for (const o of operations) {
    if (!o.definition.servers) continue;
    const item = resolve<PathItem>(spec, spec.paths![o.definition.path]!);
    o.definition.servers = alignServers(
      resolve<Operation>(spec, item[o.definition.method]!).servers ?? [],
      serverNames,
      o.id,
    );
  }
  const definition: VendorDefinition = {
    vendor,
    servers: (spec.servers ?? []).map((s) => s.url),
    ...(serverNames ? { serverNames } : {}),
    credentials,
    operations: Object.fromEntries(operations.map((o) => [o.id, o.definition])),
  };
  if (definition.servers.length === 0) throw new SpecError('the spec needs at least one server');
  const exemplified = new Set(operations.flatMap((o) => o.exampleCodes));
  const unexampled = Object.keys(vendorCodes).filter((code) => !exemplified.has(code));
  if (unexampled.length)
    throw new SpecError(`x-smswire-codes: no operation has an example reply with code ${unexampled.join(', ')}`);
  const clientName = ext(spec, 'x-smswire-client') ?? vendor.charAt(0).toUpperCase() + vendor.slice(1);
  if (typeof clientName !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(clientName)) {
    throw new SpecError('x-smswire-client must be a PascalCase name, e.g. SmsLeads');
  }
  return { definition, operations, vendorCodes, clientName };
}

/** The `x-smswire-server` names of a server list: all or none named, each once. */
function namedServers(servers: Server[], where: string): string[] | undefined {
  const names = servers.map((s) => ext(s, 'x-smswire-server'));
  if (names.every((n) => n === undefined)) return undefined;
  if (!names.every((n) => typeof n === 'string' && /^[a-z][a-z0-9-]*$/.test(n)))
    throw new SpecError(`${where}: every server needs an x-smswire-server name (lower-case) when one has`);
  if (new Set(names).size !== names.length) throw new SpecError(`${where}: x-smswire-server names repeat`);
  return names as string[];
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
