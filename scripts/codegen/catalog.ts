import type { CodeDefinition, CodeReason, ReplyDefinition } from '../../packages/core/src/vendor-definition.js';
import { isCodeShaped } from '../../packages/core/src/codecs/context.js';
import type { Catalog } from './model.js';
import { need, SpecError } from './spec.js';

export type { Catalog } from './model.js';

/** An `x-smswire-codes` table (the spec root's or an operation's), checked. */
export function buildCodes(where: string, raw: unknown): Catalog {
  const codes: Catalog = {};
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw)))
    throw new SpecError(`${where}: x-smswire-codes maps each code to its entry`);
  for (const [code, value] of Object.entries(raw ?? {})) {
    // The client takes nothing else for a code, so that a sentence quoting the request never becomes one.
    if (!isCodeShaped(code))
      throw new SpecError(`${where} code ${code}: a code is a number or a word like invalid_client`);
    if (typeof value !== 'object' || value === null)
      throw new SpecError(`${where} code ${code}: outcome must be success or error`);
    const entry: Entry = value;
    if (entry.outcome !== 'success' && entry.outcome !== 'error')
      throw new SpecError(`${where} code ${code}: outcome must be success or error`);
    if (entry.description !== undefined && typeof entry.description !== 'string')
      throw new SpecError(`${where} code ${code}: description must be text`);
    const description = need(entry.description, `${where} code ${code}: description`);
    const unknown = Object.keys(entry).filter((key) => !entryKeys.includes(key));
    if (unknown.length)
      throw new SpecError(`${where} code ${code}: unknown keys ${unknown.join(', ')} (unquoted comma?)`);
    codes[code] = {
      outcome: entry.outcome,
      description,
      ...(entry.retryable === true ? { retryable: true } : {}),
      ...meaning(`${where} code ${code}`, entry),
    };
  }
  return codes;
}

const entryKeys = ['outcome', 'description', 'retryable', 'reason', 'mayExist'];

/** A catalog entry as written: the keys are checked one by one. */
interface Entry {
  outcome?: unknown;
  description?: unknown;
  retryable?: unknown;
  reason?: unknown;
  mayExist?: unknown;
}

const isReason = (value: unknown): value is CodeReason => codeReasons.some((r) => r === value);

/** The reasons `@smswire/sms` reports (`SendError.reason`), bar its own `canceled`. */
export const codeReasons = [
  'auth',
  'balance',
  'number',
  'content',
  'throttled',
  'vendorDown',
  'validation',
  'ambiguous',
] as const satisfies readonly CodeReason[];

/**
 * What an error code means to the vendor-neutral layer: every one has a reason, and `mayExist`
 * marks those after which the message may exist anyway (the vendor failed internally, or its
 * text leaves it open), which are never sent elsewhere. A success has neither, and a code safe to
 * resend (`retryable`) certainly left no message behind.
 */
function meaning(where: string, entry: Entry): Pick<CodeDefinition, 'reason' | 'mayExist'> {
  if (entry.mayExist !== undefined && entry.mayExist !== true)
    throw new SpecError(`${where}: mayExist is true or absent`);
  if (entry.outcome === 'success') {
    if (entry.reason !== undefined || entry.mayExist !== undefined)
      throw new SpecError(`${where}: a success has no reason or mayExist`);
    return {};
  }
  const reason = entry.reason;
  if (!isReason(reason))
    throw new SpecError(`${where}: reason must be one of ${codeReasons.join(', ')} (every error code has one)`);
  if (entry.mayExist === true && entry.retryable === true)
    throw new SpecError(`${where}: a code safe to resend (retryable) cannot leave a message that may exist`);
  return entry.mayExist === true ? { reason, mayExist: true } : { reason };
}

export interface ExampleMedia {
  type: string;
  examples: Record<string, unknown>;
}

/**
 * Each code of the operation's own catalog has an example reply, and each example's code is in
 * the operation's catalog (its own and the vendor's). With both a JSON and an XML form, every
 * example exists in both, under the same name. Returns the codes the examples carry.
 */
export function checkExamples(
  id: string,
  reply: ReplyDefinition,
  codes: Catalog,
  own: Catalog,
  media: ExampleMedia[],
): string[] {
  if (media.every((m) => Object.keys(m.examples).length === 0))
    throw new SpecError(`${id}: the 200 reply needs examples`);
  const seen = new Set<string>();
  const names = new Map<string, Set<string>>();
  for (const { type, examples } of media) {
    for (const [name, value] of Object.entries(examples)) {
      const key = type === 'application/json' || type === 'application/xml' ? type : 'other';
      if (!names.has(key)) names.set(key, new Set());
      names.get(key)!.add(name);
      const found = exampleCodes(reply, value, codes);
      for (const code of found) {
        if (!Object.hasOwn(codes, code))
          throw new SpecError(`${id}: example ${name} has code ${code}, which is not in x-smswire-codes`);
      }
      if (found[0] !== undefined) seen.add(found[0]);
    }
  }
  const missing = Object.keys(own).filter((code) => !seen.has(code));
  if (missing.length) throw new SpecError(`${id}: no example reply starts with code ${missing.join(', ')}`);
  if (reply.codec === 'json' && reply.xml) {
    const json = [...(names.get('application/json') ?? [])].sort().join();
    const xml = [...(names.get('application/xml') ?? [])].sort().join();
    if (json !== xml) throw new SpecError(`${id}: the JSON and XML replies need the same example names`);
  }
  return [...seen];
}

/** The codes an example reply carries, read without the client's codecs. */
function exampleCodes(reply: ReplyDefinition, value: unknown, codes: Catalog): string[] {
  const text = String(value);
  switch (reply.codec) {
    case 'json':
    case 'xml': {
      const status = reply.status;
      if (typeof value === 'string') {
        if (Object.hasOwn(codes, text.trim())) return [text.trim()];
        if (status === undefined) return [];
        const match = new RegExp(`<${status}>([^<]*)</${status}>`).exec(text);
        return match ? [match[1]!.trim()] : [];
      }
      const field: unknown =
        status === undefined || typeof value !== 'object' || value === null
          ? undefined
          : Object.getOwnPropertyDescriptor(value, status)?.value;
      return field === undefined ? [] : [String(field)];
    }
    case 'code':
      return [text.trim().replace(/^Result:\s*/i, '')];
    case 'scalar':
      // With `negative: code`, a negative reply is a code, so it must be in the catalog.
      return Object.hasOwn(codes, text.trim()) || (reply.negative === 'code' && text.trim().startsWith('-'))
        ? [text.trim()]
        : [];
    case 'pipe':
      return text
        .split(/[\r\n,]+/)
        .filter((e) => e.trim())
        .map((e) => e.split('|')[0]!.trim());
  }
}
