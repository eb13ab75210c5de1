import type { ReplyDefinition, ReplyContext } from '../vendor-definition.js';
import { describeCode, limitCount, parseError, readCode, vendorError, xmlCodec } from './context.js';
import { shaperOf } from './json-shape.js';

type JsonReply = Extract<ReplyDefinition, { codec: 'json' }>;

const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
/** As XML's: deeper is no reply of these vendors, and breaks callers' own recursion (JSON.stringify). */
const maxDepth = 64;

/**
 * A JSON envelope whose `reply.status` field carries the vendor's code (DiniSoft sends it as a
 * string: `"0"`). Success returns the object held to the reply schema (json-shape.ts), with
 * `x-smswire-decode` fields converted;
 * anything else throws a VendorError from the catalog. When the request asked for the XML form
 * of the same reply (`reply.xml.when`), the XML is shaped into the same object first.
 */
export function decodeJson(
  body: string,
  reply: JsonReply,
  ctx: ReplyContext,
  params: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return jsonDecoder(reply)(body, ctx, params);
}

/** `decodeJson` for one reply definition, made once per client. */
export function jsonDecoder(
  reply: JsonReply,
): (body: string, ctx: ReplyContext, params?: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  // The status decides first: an error reply need not look like the success schema. The two
  // fields by name, not `{ ...reply }`: spreading the generated reply table took V8's slow path
  // and cost three times the JSON.parse of a short reply (docs/benchmarks.md).
  const envelope = { status: reply.status, statusOptional: reply.statusOptional };
  const shape = shaperOf(reply.shape);
  return (body, ctx, params = {}) => {
    if (reply.xml && wantsXml(reply.xml.when, params)) {
      const xml = xmlCodec(ctx, body);
      const record = xml.shape(
        xml.parse(body, ctx, [], reply.xml.root),
        reply.xml.shape ?? reply.shape,
        ctx,
        body,
      ) as Record<string, unknown>;
      return checkEnvelope(record, reply, ctx, body);
    }
    const record = checkEnvelope(parseJsonObject(body, ctx), envelope, ctx, body);
    const shaped = shape(record, ctx, body, '') as Record<string, unknown>;
    return decodeFields(shaped, reply, ctx, body);
  };
}

/** The form a two-form reply is asked for in (Prism, and honest servers, pick it by `Accept`); one form needs no asking. */
export function jsonMediaType(reply: JsonReply, params: Readonly<Record<string, unknown>>): string | undefined {
  if (!reply.xml) return undefined;
  return wantsXml(reply.xml.when, params) ? 'application/xml' : 'application/json';
}

/** Whether the request asked for the XML form of the reply (sms365's `type=xml`). */
function wantsXml(when: Readonly<Record<string, string>>, params: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(when).every(([name, value]) => params[name] === value);
}

function parseJsonObject(body: string, ctx: ReplyContext): Record<string, unknown> {
  // JSON.parse is synchronous: this bounds its values (each needs a comma or a bracket).
  limitCount(ctx, body, [',', '[', '{'], 'value');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // Not the engine's message: it quotes a slice of the body, which redaction cannot recognise.
    throw parseError(ctx, 'not JSON', body);
  }
  const problem = checkTree(value);
  if (problem) throw parseError(ctx, problem, body);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw parseError(ctx, 'expected a JSON object', body);
  }
  return value as Record<string, unknown>;
}

/** The status field decides: a catalog success returns the record, anything else throws. */
export function checkEnvelope(
  record: Record<string, unknown>,
  reply: { status: string; statusOptional?: true | undefined; decode?: JsonReply['decode'] | undefined },
  ctx: ReplyContext,
  body: string,
): Record<string, unknown> {
  const status = record[reply.status];
  if (status === undefined && reply.statusOptional) return record;
  const code = readCode(
    ctx,
    typeof status === 'string' || Number.isInteger(status) ? String(status) : '',
    body,
    `missing or invalid "${reply.status}"`,
  );
  if (describeCode(ctx, code).outcome !== 'success') throw vendorError(ctx, code);
  return decodeFields(record, reply, ctx, body);
}

/** `x-smswire-decode` fields, converted in place. */
function decodeFields(
  record: Record<string, unknown>,
  reply: { decode?: JsonReply['decode'] | undefined },
  ctx: ReplyContext,
  body: string,
): Record<string, unknown> {
  // Most replies convert nothing: no `Object.entries` for them.
  if (!reply.decode) return record;
  for (const [field, as] of Object.entries(reply.decode)) {
    // An empty value means "not there": the field is typed `Date | undefined`, never a string.
    if (record[field] === '') delete record[field];
    if (record[field] === undefined) continue;
    if (as === 'epoch-ms') record[field] = epochMs(record[field], field, body, ctx);
  }
  return record;
}

/**
 * JSON.parse makes `__proto__` an ordinary own key, harmless until someone merges the result
 * into another object; such replies are refused, and so is nesting past `maxDepth`. (A walk
 * after parsing: a reviver is slower.)
 */
function checkTree(value: unknown): string | undefined {
  // Iterative: a hostile reply can nest deeper than the call stack.
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > maxDepth) return `nesting deeper than ${maxDepth}`;
    // for…in, not Object.entries: no array per key (a third of the walk's cost on wide objects).
    for (const key in node) {
      if (forbiddenKeys.has(key)) return `forbidden key ${key}`;
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return undefined;
}

function epochMs(raw: unknown, field: string, body: string, ctx: ReplyContext): Date {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^[0-9]{1,15}$/.test(text)) {
    throw parseError(ctx, `"${field}" is not epoch milliseconds`, body);
  }
  return new Date(Number(text));
}
