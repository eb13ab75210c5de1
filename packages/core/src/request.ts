import type { OperationDefinition, ParamDefinition, VendorDefinition } from './definition.js';

/** What one call puts on the wire besides the path: query, form fields and headers, all text. */
export interface WireRequest {
  query: Record<string, string>;
  form: Record<string, string> | undefined;
  headers: Record<string, string>;
}

/**
 * Places the validated arguments, the fixed values and the credentials the operation's security
 * names where the spec says they go, each written as the vendor expects it.
 */
export function encodeRequest(
  definition: VendorDefinition,
  op: OperationDefinition,
  params: Readonly<Record<string, unknown>>,
  credentials: Readonly<Record<string, string | undefined>>,
): WireRequest {
  const query: Record<string, string> = {};
  const form: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const param = op.params[name];
    if (value === undefined || !param) continue;
    (param.in === 'form' ? form : query)[name] = encodeValue(param, value);
  }
  const fixedTarget = op.method === 'post' ? form : query;
  for (const [name, value] of Object.entries(op.fixed ?? {})) fixedTarget[name] = value;
  for (const option of op.security) {
    const credential = definition.credentials[option];
    const value = credentials[option];
    if (!credential || value === undefined) continue;
    if (credential.in === 'bearer') headers.authorization = `Bearer ${value}`;
    else (credential.in === 'form' ? form : query)[credential.name] = value;
  }
  return { query, form: op.method === 'post' ? form : undefined, headers };
}

export function encodeValue(param: ParamDefinition, value: unknown): string {
  switch (param.encode) {
    case 'unix-seconds':
      return String(value instanceof Date ? Math.floor(value.getTime() / 1000) : value);
    case 'json':
      return JSON.stringify(value);
    case 'json-nested':
      return JSON.stringify((value as unknown[]).map((item) => [item]));
    case 'csv':
      return Array.isArray(value) ? value.join(',') : String(value);
    default:
      return String(value);
  }
}
