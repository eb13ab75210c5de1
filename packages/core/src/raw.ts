import type { OperationDefinition, VendorDefinition } from './vendor-definition.js';

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
