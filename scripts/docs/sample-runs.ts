import type { FetchLike } from '../../packages/core/src/index.js';
import type { OperationDefinition, VendorDefinition } from '../../packages/core/src/internal.js';
import { decodeXmlRequest } from '../lib/example-params.js';
import { rootElement } from '../../packages/cli/src/prism.js';
import type { Spec, Vendor } from '../lib/vendors.js';
import { resolve } from '../codegen/spec.js';

/**
 * The code samples show what a call really returns: the vendor package runs each call in-process
 * against a `fetch` that answers with the spec's documented reply, through the same codecs a
 * user's call goes through. Nothing leaves the machine.
 */

/** Where the sample clients point; never reached, since their `fetch` answers. */
export const sampleBase = 'http://vendor.invalid';

export interface DocumentedReply {
  status: number;
  contentType: string;
  body: string;
}

/** A vendor package as the samples use it (its sources, through the `@smswire/source` condition). */
export interface VendorModule {
  createClient(options: Record<string, unknown>): Record<string, (params?: unknown) => Promise<unknown>>;
  definition: VendorDefinition;
}

export function loadVendorModule(vendor: Vendor): Promise<VendorModule> {
  return import(`../../packages/${vendor.id}/src/index.ts`) as Promise<VendorModule>;
}

/** Every documented reply of an operation in document order, as bytes on the wire. */
export function documentedReplies(spec: Spec, op: Spec): DocumentedReply[] {
  return Object.entries<Spec>(op.responses ?? {}).flatMap(([status, raw]) =>
    Object.entries<Spec>(resolve(spec, raw).content ?? {}).flatMap(([contentType, media]) =>
      Object.values<Spec>(media.examples ?? {}).map((example) => {
        const value = resolve(spec, example).value;
        return {
          status: Number(status),
          contentType,
          body: typeof value === 'string' ? value : JSON.stringify(value),
        };
      }),
    ),
  );
}

/**
 * The reply the client asked for: of the documented replies in `choices`, the first in the form
 * its `Accept` header names (sms365's `type=xml` asks for XML), else the first.
 */
export function pick(choices: DocumentedReply[], init: RequestInit | undefined): DocumentedReply {
  const accept = new Headers(init?.headers).get('accept') ?? '';
  return choices.find((r) => accept.includes(r.contentType)) ?? choices[0]!;
}

export const respond = (reply: DocumentedReply) =>
  new Response(reply.body, { status: reply.status, headers: { 'content-type': reply.contentType } });

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export async function settle(promise: Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

/** One request a recorded client made, and the operation it was. */
export interface Recorded {
  operationId: string;
  /** The request's arguments as the operation's schema sees them: query, form fields or the XML body. */
  params: Record<string, unknown>;
}

/**
 * A `fetch` that names the operation of each request (by method and path, and by the XML root
 * element where one URL serves several commands), records it and answers with `answer(id)`.
 */
export function recordingFetch(
  definition: VendorDefinition,
  answer: (operationId: string, init: RequestInit | undefined) => DocumentedReply,
  log: Recorded[],
): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = await request.text();
    const method = request.method.toLowerCase();
    const matches = Object.entries(definition.operations).filter(
      ([, op]) => op.method === method && new URL(`${sampleBase}${op.path.split('#')[0]}`).pathname === url.pathname,
    );
    const found =
      matches.length > 1
        ? matches.find(([, op]) => op.xml?.root === rootElement(body))
        : matches.length
          ? matches[0]
          : undefined;
    if (!found) throw new Error(`no operation of ${definition.vendor} answers ${request.method} ${url.pathname}`);
    const [operationId, op] = found;
    log.push({ operationId, params: requestParams(op, url, body, request.headers.get('content-type')) });
    return respond(answer(operationId, init));
  };
}

function requestParams(op: OperationDefinition, url: URL, body: string, type: string | null): Record<string, unknown> {
  const query = Object.fromEntries(url.searchParams);
  if (op.xml) return { ...query, ...(decodeXmlRequest(op, body).value as Record<string, unknown>) };
  if (type?.includes('x-www-form-urlencoded')) return { ...query, ...Object.fromEntries(new URLSearchParams(body)) };
  return query;
}
