import type { ClientInternals, FetchLike, VendorDefinition } from '@smswire/core';
import { resolve } from '../../scripts/lib/definition.js';
import type { Spec, Vendor } from '../../scripts/lib/vendors.js';

export interface VendorModule {
  createClient(options: Record<string, unknown>, internals?: ClientInternals): Record<string, unknown>;
  definition: VendorDefinition;
}

export function loadVendorModule(vendor: Vendor): Promise<VendorModule> {
  return import(`../../packages/${vendor.id}/src/index.ts`) as Promise<VendorModule>;
}

/** Distinctive values, so a sweep can search every error and log for them. */
export function sentinelCredentials(definition: VendorDefinition): Record<string, string> {
  return Object.fromEntries(Object.keys(definition.credentials).map((name) => [name, `SENTINEL-${name}-s3cr3t&=+/ü`]));
}

/** A generic way to call an operation by id, for tests that iterate over every spec. */
export type AnyClient = Record<string, (params?: unknown, init?: { headers?: Record<string, string>; signal?: AbortSignal }) => Promise<unknown>>;

export function makeClient(mod: VendorModule, options: { baseUrl: string; fetch?: FetchLike; maxRetries?: number; timeoutMs?: number }, internals?: ClientInternals): AnyClient {
  return mod.createClient({ ...sentinelCredentials(mod.definition), ...options }, internals) as unknown as AnyClient;
}

/** Each operation's parameters as the spec's own `example` values. */
export function exampleParams(spec: Spec, path: string, method = 'get'): Record<string, unknown> {
  const op = spec.paths[path][method];
  return Object.fromEntries(
    (op.parameters ?? []).map((raw: Spec) => {
      const param = resolve(spec, raw);
      return [param.name, param.example];
    }),
  );
}

/** The named examples of an operation's 200 reply, `$ref`s resolved. */
export function replyExamples(spec: Spec, op: Spec): Record<string, Spec> {
  const ok = resolve(spec, op.responses['200']);
  const [, media] = Object.entries<Spec>(ok.content)[0]!;
  return Object.fromEntries(Object.entries<Spec>(media.examples ?? {}).map(([name, example]) => [name, resolve(spec, example)]));
}
