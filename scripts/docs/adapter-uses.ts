import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter, Capabilities, CountryCode, MessageStatus, Sms } from '../../packages/sms/src/index.js';
import { createSms, normalizeNumber, ValidationError, wireNumber } from '../../packages/sms/src/index.js';
import type { VendorId } from '../../packages/sms/src/vendors.js';
import { exampleParams } from '../lib/example-params.js';
import { root, type Spec, type Vendor } from '../lib/vendors.js';
import {
  type DocumentedReply,
  type Outcome,
  type Recorded,
  recordingFetch,
  sampleBase,
  settle,
  type VendorModule,
} from './sample-runs.js';

/**
 * What `@smswire/sms` does with a vendor, found by running its adapter (packages/sms/src/<vendor>.ts)
 * against recorded requests, not from a table kept by hand: which operation each call of the
 * vendor-neutral layer makes, what it needs, and what it returns for the documented replies.
 */
export type Use = 'send' | 'schedule' | 'status' | 'balance' | 'batch';

export interface NeutralCall {
  use: Use;
  /** The adapter options the call needs, besides `from`: credentials, `baseUrl`, adapter options such as `account`. */
  options: string[];
  /** The arguments shown: the recipient (E.164), the message ID, the send time. */
  to: string;
  second: string;
  messageId: string;
  at: Date;
  outcome: Outcome;
}

export interface AdapterFacts {
  capabilities: Capabilities;
  /** The adapter's batch size, when `sendMany` uses a batch operation. */
  batchSize?: number;
  /** How a UCS-2 text goes out, as the wire shows it: the parameters that change (`ucs=1`), or none. */
  ucs2Flags: string[];
  /** The text itself is rewritten for UCS-2 (Unified's UTF-16 hex). */
  ucs2Rewritten: boolean;
  /** Each operation the layer calls, with the first call that makes it. */
  calls: Map<string, NeutralCall>;
}

export const sampleText = 'Your code is 1234';
// A time the command accepts (it refuses a past one): 09:00 UTC on the first of next January.
const scheduled = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1, 9));
const placeholder = 'ACME';
const sentinel = 'SAMPLE-MESSAGE-ID';

type AdapterFactory = (options: Record<string, unknown>) => Adapter;

export function hasAdapter(vendor: Vendor): boolean {
  return existsSync(join(root, 'packages', 'sms', 'src', `${vendor.id}.ts`));
}

/** Runs every call of the layer once against the vendor's documented success replies. */
export async function adapterFacts(
  vendor: Vendor,
  spec: Spec,
  mod: VendorModule,
  success: (operationId: string, init: RequestInit | undefined) => DocumentedReply,
): Promise<AdapterFacts | undefined> {
  if (!hasAdapter(vendor)) return undefined;
  const factory = (await import(`../../packages/sms/src/${vendor.id}.ts`))[vendor.id] as AdapterFactory;
  const id = vendor.id as VendorId;
  const definition = mod.definition;
  // Optional credentials (Dreams' OAuth2 client) would add a token request to every call.
  const credentials = Object.fromEntries(
    Object.entries(definition.credentials)
      .filter(([, credential]) => !credential.optional)
      .map(([name]) => [name, 'not-a-secret']),
  );
  const probe = factory({ ...credentials, baseUrl: sampleBase });
  const { capabilities } = probe;
  const to = exampleNumber(vendor, spec, capabilities);
  const second = nextNumber(to);

  /** One call of the layer on a fresh recorded adapter; adapter options it asks for are added and it runs again. */
  async function run(call: (sms: Sms) => Promise<unknown>) {
    const extra: Record<string, string> = {};
    for (;;) {
      ids = 0;
      const log: Recorded[] = [];
      const replied: string[] = [];
      const answer = (operationId: string, init: RequestInit | undefined) => {
        const reply = success(operationId, init);
        replied.push(reply.body);
        return reply;
      };
      const adapter = factory({
        ...credentials,
        ...extra,
        baseUrl: sampleBase,
        from: placeholder,
        maxRetries: 0,
        fetch: recordingFetch(definition, answer, log),
      });
      const outcome = await settle(call(createSms({ vendors: [adapter] })));
      // An adapter option the call needs (DiniSoft's balance page needs `account`) shows as a refusal naming it.
      const issue = !outcome.ok && outcome.error instanceof ValidationError ? outcome.error.issues[0]?.path : undefined;
      if (issue && /^[a-z]\w*$/i.test(issue) && !(issue in extra) && log.length === 0) {
        extra[issue] = placeholder;
        continue;
      }
      return { outcome, log, replied, extra: Object.keys(extra) };
    }
  }

  // The IDs adapters make up (SMS Leads' per-phone `id`) are counted, so samples and comparisons stay put.
  let ids = 0;
  Object.defineProperty(globalThis.crypto, 'randomUUID', {
    configurable: true,
    value: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  });
  try {
    return await observe();
  } finally {
    Reflect.deleteProperty(globalThis.crypto, 'randomUUID');
  }

  async function observe(): Promise<AdapterFacts> {
    const calls = new Map<string, NeutralCall>();
    const note = (use: Use, ran: Awaited<ReturnType<typeof run>>, messageId = '', numbers = [to, second]) => {
      for (const { operationId, params } of ran.log) {
        if (calls.has(operationId)) continue;
        const op = definition.operations[operationId]!;
        const needed = op.security.filter(
          (option) => !(op.credentialUnless?.[option] ?? []).some((field) => params[field] !== undefined),
        );
        const template = definition.servers.length === 1 && definition.servers[0]!.includes('{');
        calls.set(operationId, {
          use,
          options: [...needed, ...(template ? ['baseUrl'] : []), ...ran.extra],
          to: numbers[0]!,
          second: numbers[1]!,
          messageId,
          at: scheduled,
          outcome: ran.outcome,
        });
      }
    };

    const sent = await run((sms) => sms.send({ to, text: sampleText, idempotencyKey: 'order-42' }));
    note('send', sent);
    if (capabilities.schedule)
      note(
        'schedule',
        await run((sms) => sms.send({ to, text: sampleText, at: scheduled, idempotencyKey: 'order-43' })),
      );
    if (probe.status) {
      const asked = await run((sms) => sms.status(sentinel, { vendor: id }));
      // The status operation's example argument, or an ID its documented reply reports on (SMS
      // Leads' `dlr` example asks about `some id 1` and answers about `1391438285`).
      const documented = documentedMessageId(spec, asked.log);
      const candidates = [documented, ...asked.replied.flatMap(replyValues)];
      let chosen = await run((sms) => sms.status(documented, { vendor: id }));
      let messageId = documented;
      for (const candidate of candidates) {
        const tried = await run((sms) => sms.status(candidate, { vendor: id }));
        if (tried.outcome.ok && (tried.outcome.value as MessageStatus).state !== 'unknown') {
          chosen = tried;
          messageId = candidate;
          break;
        }
      }
      note('status', chosen, messageId);
    }
    if (probe.balance) note('balance', await run((sms) => sms.balance({ vendor: id })));
    if (probe.batch) {
      const batch = (numbers: string[]) =>
        run((sms) =>
          sms.sendMany(
            numbers.map((n, i) => ({
              to: n,
              text: 'Our shop opens at 9 tomorrow',
              idempotencyKey: `opening-c${i + 1}`,
            })),
          ),
        );
      // A batch reply that names each number (sms365's smsBulk) answers for the numbers of its
      // documented example, which a mock replays whatever was sent: the sample sends to those, so
      // its results, in-process and against the mock, are the ones the reply reports.
      const first = await batch([to, second]);
      const named = first.replied
        .flatMap(replyValues)
        .map((value) => e164Of(vendor, value, capabilities))
        .filter((n): n is string => n !== undefined);
      const numbers = named.length >= 2 ? named.slice(0, 2) : [to, second];
      note('batch', named.length >= 2 ? await batch(numbers) : first, '', numbers);
    }

    const unicode = await run((sms) => sms.send({ to, text: 'Καλημέρα', idempotencyKey: 'order-44' }));
    const [gsm, ucs] = [sent.log[0]?.params ?? {}, unicode.log[0]?.params ?? {}];
    const textKey = Object.keys(gsm).find((key) => gsm[key] === sampleText);
    const ucs2Flags = Object.keys({ ...gsm, ...ucs })
      .filter((key) => key !== textKey && JSON.stringify(gsm[key]) !== JSON.stringify(ucs[key]))
      .map((key) => `${key}=${String(ucs[key])}`);
    return {
      capabilities,
      ...(probe.batch ? { batchSize: probe.batch.size } : {}),
      ucs2Flags,
      ucs2Rewritten: textKey !== undefined && ucs[textKey] !== 'Καλημέρα',
      calls,
    };
  }
}

/**
 * A recipient from the vendor's own examples: the first example value that is a mobile number in
 * the vendor's wire form (`306971000000`, SMS Leads' `0501234567`), as E.164.
 */
function exampleNumber(vendor: Vendor, spec: Spec, capabilities: Capabilities): string {
  const country = capabilities.countries?.[0] as CountryCode | undefined;
  // A number in no known mobile range (libphonenumber thinks 050-1234567 is one) only if no other is.
  let possible: string | undefined;
  for (const path of Object.keys(spec.paths)) {
    for (const leaf of leaves(exampleParams(spec, path))) {
      for (const candidate of [`+${leaf}`, leaf]) {
        let warned = false;
        let e164: string;
        try {
          e164 = normalizeNumber(candidate, {
            ...(country ? { country } : {}),
            onWarning: () => {
              warned = true;
            },
          });
          if (wireNumber(vendor.id as VendorId, e164) !== leaf) continue;
        } catch {
          continue;
        }
        if (!warned) return e164;
        possible ??= e164;
      }
    }
  }
  if (possible) return possible;
  throw new Error(`${vendor.id}: no example value of the spec is a mobile number in the vendor's form`);
}

/** A value in the vendor's wire form of a mobile number (`306971000000`), as E.164; else undefined. */
function e164Of(vendor: Vendor, value: string, capabilities: Capabilities): string | undefined {
  const country = capabilities.countries?.[0] as CountryCode | undefined;
  for (const candidate of [`+${value}`, value]) {
    try {
      let warned = false;
      const e164 = normalizeNumber(candidate, {
        ...(country ? { country } : {}),
        onWarning: () => {
          warned = true;
        },
      });
      if (!warned && wireNumber(vendor.id as VendorId, e164) === value) return e164;
    } catch {
      // Not a number.
    }
  }
  return undefined;
}

/** A second recipient for the batch sample: the same number, its last digit moved on. */
function nextNumber(e164: string): string {
  return `${e164.slice(0, -1)}${(Number(e164.at(-1)) + 1) % 10}`;
}

/** The status operation's own example of the value the adapter sends as the message ID. */
function documentedMessageId(spec: Spec, log: Recorded[]): string {
  const [first] = log;
  if (!first) return sentinel;
  const where = pathTo(first.params, sentinel);
  const path = Object.keys(spec.paths).find((p) =>
    ['get', 'post'].some((m) => spec.paths[p][m]?.operationId === first.operationId),
  )!;
  const value = where ? at(exampleParams(spec, path), where) : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : sentinel;
}

/** The values a reply body carries: a JSON document's, or the text of each XML element. */
function replyValues(body: string): string[] {
  try {
    return leaves(JSON.parse(body));
  } catch {
    return [...body.matchAll(/>\s*([^<>]+?)\s*</g)].map((m) => m[1]!);
  }
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

function pathTo(value: unknown, wanted: string): (string | number)[] | undefined {
  if (value === wanted) return [];
  if (!value || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const rest = pathTo(child, wanted);
    if (rest) return [Array.isArray(value) ? Number(key) : key, ...rest];
  }
  return undefined;
}

function at(value: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], value);
}
