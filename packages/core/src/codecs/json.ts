import type { ReplyDefinition, ReplyContext } from '../vendor-definition.js';
import { parseError, xmlCodec } from './context.js';
import { checkEnvelope, decodeFields } from './envelope.js';
import { limitCount } from './limits.js';
import { wantsXml } from './media-type.js';
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
