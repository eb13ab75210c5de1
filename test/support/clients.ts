import type { FetchLike, Logger } from '@smswire/core';
import { type ClientInternals, type VendorDefinition, withInternals } from '@smswire/core/internal';
import { resolve } from '../../scripts/codegen/spec.js';
import type { Spec, Vendor } from '../../scripts/lib/vendors.js';

import { definitionOf } from '../../scripts/lib/example-params.js';

export { exampleParams, formProperties } from '../../scripts/lib/example-params.js';

export interface VendorModule {
  createClient(options: Record<string, unknown>): Record<string, unknown>;
  definition: VendorDefinition;
}

export function loadVendorModule(vendor: Vendor): Promise<VendorModule> {
  return import(`../../packages/${vendor.id}/src/index.ts`) as Promise<VendorModule>;
}

/** Distinctive values, so a sweep can search every error and log for them. */
export function sentinelCredentials(definition: VendorDefinition, optional = true): Record<string, string> {
  return Object.fromEntries(
    Object.entries(definition.credentials)
      .filter(([, credential]) => optional || !credential.optional)
      .map(([name]) => [name, `SENTINEL-${name}-s3cr3t&=+/ü`]),
  );
}

/** A generic way to call an operation by id, for tests that iterate over every spec. */
export type AnyClient = Record<
  string,
  (params?: unknown, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<unknown>
>;

/**
 * A client with sentinel credentials. Optional ones (OAuth2 client credentials) are left out
 * unless asked for, so a fault aimed at one call is not spent on a token request first.
 */
export function makeClient(
  mod: VendorModule,
  options: { baseUrl: string; fetch?: FetchLike; maxRetries?: number; timeoutMs?: number; logger?: Logger },
  internals?: ClientInternals,
  { optional = false }: { optional?: boolean } = {},
): AnyClient {
  const given = { ...sentinelCredentials(mod.definition, optional), ...options };
  return mod.createClient(internals ? withInternals(given, internals) : given) as unknown as AnyClient;
}

export interface SpecOperation {
  path: string;
  method: 'get' | 'post';
  op: Spec;
}

/** Every operation of a spec, in document order. */
export function operationsOf(spec: Spec): SpecOperation[] {
  return Object.entries<Spec>(spec.paths).flatMap(([path, item]) =>
    (['get', 'post'] as const)
      .filter((method) => item[method])
      .map((method) => ({ path, method, op: item[method] as Spec })),
  );
}

/** An operation's catalog: the vendor-wide one at the spec root, the operation's own entries winning. */
export function codesOf(spec: Spec, op: Spec): Spec {
  return { ...spec['x-smswire-codes'], ...op['x-smswire-codes'] };
}

/** Every client option that carries a credential, wherever the spec puts it. */
export function credentialOptions(spec: Spec): string[] {
  return Object.keys(definitionOf(spec).credentials);
}

export interface DocumentedReply {
  status: string;
  type: string;
  name: string;
  example: Spec;
}

/** Every named example of every documented reply (200 and any 4xx with a body), `$ref`s resolved. */
export function documentedReplies(spec: Spec, op: Spec): DocumentedReply[] {
  return Object.entries<Spec>(op.responses).flatMap(([status, raw]) =>
    Object.entries<Spec>(resolve(spec, raw).content ?? {}).flatMap(([type, media]) =>
      Object.entries<Spec>(media.examples ?? {}).map(([name, example]) => ({
        status,
        type,
        name,
        example: resolve(spec, example),
      })),
    ),
  );
}
