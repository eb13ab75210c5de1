import type {
  DateCodec,
  OperationDefinition,
  ParamDefinition,
  ParamSchema,
  VendorDefinition,
} from './vendor-definition.js';

/**
 * What one call puts on the wire: the path and query (`target`, appended to the server URL), a
 * form or XML body, and headers, all text.
 */
export interface WireRequest {
  target: string;
  form: Record<string, string> | undefined;
  xml?: string;
  headers: Record<string, string>;
}

/** Builds one call's request from its validated arguments and the client's credentials. */
export type RequestEncoder = (
  params: Readonly<Record<string, unknown>>,
  credentials: Readonly<Record<string, string | undefined>>,
) => WireRequest;

/**
 * An operation's encoder, made once per client: it places the validated arguments, the fixed
 * values and the credentials the operation's security names where the spec says they go, each
 * written as the vendor expects it. What each goes by (its place, its name as the query writes
 * it) is worked out here; a call only walks these arrays and writes the values
 * (docs/benchmarks.md, "Made once"). A `#command` suffix only tells one URL's operations apart in the
 * spec (SMS Leads); it is never sent.
 */
export function requestEncoder(definition: VendorDefinition, op: OperationDefinition): RequestEncoder {
  const hash = op.path.indexOf('#');
  const path = hash === -1 ? op.path : op.path.slice(0, hash);
  const names = Object.keys(op.params);
  const params = names.map((name) => op.params[name]!);
  // `name=` as the query writes it: encoded once, not per call.
  const queryName = (name: string) => `${encodeURIComponent(name)}=`;
  const queryNames = names.map(queryName);
  const fixedIn = op.xml ? 'xml' : op.method === 'post' ? 'form' : 'query';
  const fixed = Object.entries(op.fixed ?? {}).map(([name, value]) => ({ name, value, query: queryName(name) }));
  const credentials = op.security.flatMap((option) => {
    const credential = definition.credentials[option];
    return credential ? [{ option, credential, query: queryName(credential.name) }] : [];
  });
  const form = op.method === 'post' && !op.xml;
  const { dates } = definition;
  return (values, given) => {
    let target = path;
    let separator = '?';
    const fields: Record<string, string> | undefined = form ? {} : undefined;
    const body: Record<string, unknown> | undefined = op.xml ? {} : undefined;
    const headers: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) {
      const value = values[names[i]!];
      if (value === undefined) continue;
      const param = params[i]!;
      if (param.in === 'xml') body![names[i]!] = value instanceof Date ? dates!.value(param, value) : value;
      else if (param.in === 'form') fields![names[i]!] = encodeValue(param, value, values, dates);
      else {
        target += separator + queryNames[i] + encodeURIComponent(encodeValue(param, value, values, dates));
        separator = '&';
      }
    }
    for (const { name, value, query } of fixed) {
      if (fixedIn === 'xml') body![name] = value;
      else if (fixedIn === 'form') fields![name] = String(value);
      else {
        target += separator + query + encodeURIComponent(String(value));
        separator = '&';
      }
    }
    for (const { option, credential, query } of credentials) {
      const value = given[option];
      if (value === undefined || !sendsCredential(op, option, values)) continue;
      if (credential.in === 'bearer') headers.authorization = `Bearer ${value}`;
      else if (credential.in === 'xml') setPath(body!, credential.name, value);
      else if (credential.in === 'form') fields![credential.name] = value;
      else {
        target += separator + query + encodeURIComponent(value);
        separator = '&';
      }
    }
    if (!op.xml) return { target, form: fields, headers };
    headers['content-type'] = 'application/xml';
    return { target, form: undefined, xml: definition.xmlCodec!.build(op.xml.root, op.xml.shape, body), headers };
  };
}

/**
 * Whether the call sends this credential: not when the caller gave the parameters that stand in
 * for it (sms365's `key/get` identifies the account by its login, or else by the key).
 */
export function sendsCredential(
  op: OperationDefinition,
  option: string,
  params: Readonly<Record<string, unknown>>,
): boolean {
  const instead = op.credentialUnless?.[option];
  return instead === undefined || instead.every((name) => params[name] === undefined);
}

function setPath(target: Record<string, unknown>, path: string, value: string) {
  const keys = path.split('.');
  const last = keys.pop()!;
  for (const key of keys) {
    target[key] ??= {};
    target = target[key] as Record<string, unknown>;
  }
  target[last] = value;
}

export function encodeValue(
  param: ParamDefinition,
  value: unknown,
  params: Readonly<Record<string, unknown>> = {},
  /** A Date reaches here only when the reader took it, which it does only with the definition's `dates`. */
  dates?: DateCodec,
): string {
  if (value instanceof Date) return String(dates!.value(param, value));
  if (!encodingApplies(param, params)) return String(value);
  switch (param.encode) {
    case 'json':
      return JSON.stringify(rewrite(param.schema, value));
    case 'json-nested':
      return JSON.stringify((rewrite(param.schema, value) as unknown[]).map((item) => [item]));
    case 'csv':
      return Array.isArray(value) ? value.join(',') : String(value);
    case 'ucs2-hex':
      return ucs2Hex(String(value));
    default:
      return param.schema.encode ? msisdn(value as string) : String(value);
  }
}

/** Whether the parameter's `encode` applies to this call: always, or when its `encodeWhen` values match. */
export function encodingApplies(param: ParamDefinition, params: Readonly<Record<string, unknown>>): boolean {
  return (
    !param.encodeWhen ||
    Object.entries(param.encodeWhen).every(([name, values]) =>
      values.includes(params[name] as string | number | boolean),
    )
  );
}

/** Text as its UTF-16 code units, big-endian, four upper-case hex digits each: `Γ` → `0393`, `😀` → `D83DDE00`. */
export function ucs2Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex.toUpperCase();
}

/**
 * A phone number as people write it (`+966 50 000 0000`, `00966500000000`) as its digits,
 * without the international prefix; the spec's pattern admitted the written form.
 */
export function msisdn(written: string): string {
  const digits = written.replace(/[^0-9]/g, '');
  return written.startsWith('00') ? digits.slice(2) : digits;
}

/**
 * A JSON-text value with the `encode` its contentSchema gives strings at any depth applied. The
 * value was validated against that schema, whose `items` and `properties` come with their type
 * (the generator sees to it), so its shape is the schema's.
 */
// biome-ignore lint/suspicious/noExplicitAny: validated against `schema` just before, so its shape is the schema's
function rewrite(schema: ParamSchema, value: any): unknown {
  const { items, properties } = schema;
  if (schema.encode) return msisdn(value);
  if (items) return value.map((item: unknown) => rewrite(items, item));
  if (properties)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        Object.hasOwn(properties, key) ? rewrite(properties[key]!, item) : item,
      ]),
    );
  return value;
}
