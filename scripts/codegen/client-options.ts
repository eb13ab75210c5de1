import type { CredentialDefinition } from '../../packages/core/src/vendor-definition.js';
import type { BuiltVendor } from './build-definition.js';
import { deref, type Schema, type Spec } from './model.js';

/** One `createClient` option that supplies a credential. */
export interface CredentialOption {
  name: string;
  /** The security scheme's or body property's description. */
  description: string;
  /** Every operation sends it (and none only when other fields stand in): then the type requires it. */
  required: boolean;
  /** The operations that send it. */
  usedBy: string[];
  /** Operations that send it only when the call gives none of these fields. */
  unless: Record<string, string[]>;
  sentAs: string;
}

export interface ClientShape {
  /** Prefix of the exported type names (`<Name>Options`, `<Name>Client`). */
  name: string;
  credentials: CredentialOption[];
  /** `x-smswire-server` names with their descriptions, the first the default. */
  servers?: { name: string; description: string }[];
  /** The spec's server is a template (`{server}`): there is no default to talk to. */
  baseUrl?: string;
  /** The vendor has an `x-smswire-oauth: revoke` operation. */
  revoke: boolean;
}

/** What the generated `createClient` takes, read from the credential extensions and the servers. */
export function clientShape(built: BuiltVendor): ClientShape {
  const { spec, clientName: name } = built;
  const ops = Object.entries(built.definition.operations);
  const descriptions = credentialDescriptions(spec);
  const credentials = Object.entries(built.definition.credentials).map(([option, credential]): CredentialOption => {
    const usedBy = ops.filter(([, op]) => op.security.includes(option)).map(([id]) => id);
    const unless = Object.fromEntries(
      ops.flatMap(([id, op]) => (op.credentialUnless?.[option] ? [[id, [...op.credentialUnless[option]!]]] : [])),
    );
    return {
      name: option,
      description: descriptions.get(option) ?? '',
      required: !credential.optional && usedBy.length === ops.length && Object.keys(unless).length === 0,
      usedBy,
      unless,
      sentAs: sentAs(credential),
    };
  });
  const servers = spec.servers;
  const names = built.definition.serverNames;
  return {
    name,
    credentials,
    ...(names ? { servers: names.map((n, i) => ({ name: n, description: servers[i]?.description ?? '' })) } : {}),
    ...(servers.length === 1 && servers[0]!.url.includes('{') ? { baseUrl: servers[0]!.description ?? '' } : {}),
    revoke: ops.some(([, op]) => op.oauth === 'revoke'),
  };
}

function sentAs(credential: CredentialDefinition): string {
  switch (credential.in) {
    case 'query':
      return `the query parameter \`${credential.name}\``;
    case 'form':
      return `the form field \`${credential.name}\``;
    case 'bearer':
      return '`Authorization: Bearer`';
    case 'xml':
      return `the XML element \`${credential.name
        .split('.')
        .map((n) => `<${n}>`)
        .join('')}\``;
  }
}

/**
 * Each option's description: its security scheme's, else that of the first body property
 * carrying it (operations in the spec's order, a property before what it holds).
 */
function credentialDescriptions(spec: Spec): Map<string, string> {
  const found = new Map<string, string>();
  for (const scheme of Object.values(spec.securitySchemes)) {
    if (scheme.credential && scheme.description) found.set(scheme.credential, scheme.description);
  }
  const visit = (schema: Schema, depth: number) => {
    if (depth > 24) return;
    const { credential, description, properties } = deref(schema);
    if (credential !== undefined && description !== undefined && !found.has(credential))
      found.set(credential, description);
    for (const property of Object.values(properties ?? {})) visit(property, depth + 1);
  };
  for (const op of spec.operations)
    for (const media of Object.values(op.requestBody?.content ?? {})) if (media.schema) visit(media.schema, 0);
  return found;
}
