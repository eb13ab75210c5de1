import type { ReplyDefinition, ReplyContext } from '../vendor-definition.js';
import { describeCode, parseError, readCode, vendorError } from './context.js';

// What the JSON and XML codecs share (each from an entry of its own): an XML reply's status
// element is checked as a JSON status field is.

type JsonReply = Extract<ReplyDefinition, { codec: 'json' }>;

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
export function decodeFields(
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

function epochMs(raw: unknown, field: string, body: string, ctx: ReplyContext): Date {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^[0-9]{1,15}$/.test(text)) {
    throw parseError(ctx, `"${field}" is not epoch milliseconds`, body);
  }
  return new Date(Number(text));
}
