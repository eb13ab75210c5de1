/**
 * `@smswire/core/raw`: `client.raw`, openapi-fetch over the client's fetch with a credentials
 * middleware, for calls outside the generated methods. An entry of its own, beside what the
 * generated calls run on, which never goes through openapi-fetch; generated definitions hand
 * `raw` to the client.
 */
import createFetchClient from 'openapi-fetch';
import { declaredLength, refuseDeclared, ReplyTooLarge } from './reply-cap.js';
import type { RawClient } from './transport.js';
import type { Connection, OperationDefinition, RawSupport, VendorDefinition } from './vendor-definition.js';

/** `client.raw`: its replies capped in the stream, the credentials each operation needs added. */
export const raw: RawSupport = <Paths extends {}>(definition: VendorDefinition, connection: Connection) => {
  const { maxReplyBytes, credentials } = connection;
  const byPath = new Map(Object.values(definition.operations).map((op) => [`${op.method} ${op.path}`, op]));
  const client: RawClient<Paths> = createFetchClient<Paths>({
    baseUrl: connection.baseUrl,
    fetch: async (input: Request) => capResponse(await connection.fetch()(input), maxReplyBytes),
  });
  client.use({
    onRequest: ({ request, schemaPath }) =>
      addCredentials(definition, byPath.get(`${request.method.toLowerCase()} ${schemaPath}`), request, credentials),
  });
  return client;
};

/** The reply for `client.raw`: an unsized or compressed body is counted as openapi-fetch streams it. */
export function capResponse(response: Response, max: number): Response {
  if (!response.body) return response;
  const declared = declaredLength(response);
  refuseDeclared(response.body, declared, max);
  if (!Number.isNaN(declared)) return response;
  let total = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > max) controller.error(new ReplyTooLarge(max));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * `client.raw` middleware: adds the credentials an operation needs (every credential for a path
 * the spec does not know) where the spec puts them, unless the caller already did. An XML body
 * is sent as the caller wrote it: credentials inside it are the caller's to write.
 */
export async function addCredentials(
  definition: VendorDefinition,
  op: OperationDefinition | undefined,
  request: Request,
  credentials: Readonly<Record<string, string | undefined>>,
): Promise<Request | undefined> {
  const options = op?.security ?? Object.keys(definition.credentials);
  const url = new URL(request.url);
  const headers = new Headers(request.headers);
  const isForm = headers.get('content-type')?.startsWith('application/x-www-form-urlencoded') === true;
  const form = isForm ? new URLSearchParams(await request.clone().text()) : undefined;
  let changed = false;
  for (const option of options) {
    const credential = definition.credentials[option];
    const value = credentials[option];
    if (!credential || value === undefined) continue;
    if (credential.in === 'bearer') {
      if (!headers.has('authorization')) {
        headers.set('authorization', `Bearer ${value}`);
        changed = true;
      }
    } else if (credential.in === 'form') {
      if (form && !form.has(credential.name)) {
        form.set(credential.name, value);
        changed = true;
      }
    } else if (credential.in === 'query' && !url.searchParams.has(credential.name)) {
      url.searchParams.append(credential.name, value);
      changed = true;
    }
  }
  if (!changed) return undefined;
  return new Request(url, {
    method: request.method,
    headers,
    body: form ? form.toString() : request.body,
    signal: request.signal,
    redirect: request.redirect,
    ...(form || !request.body ? {} : { duplex: 'half' }),
  } as RequestInit);
}
