import type { FetchLike } from '@smswire/core';
import { redacted } from '@smswire/core/internal';
import { normalizeNumber, segments, type SendInput, type SendResult, ValidationError } from '@smswire/sms';
import { exitCodes, UsageError } from './exit-codes.js';
import { defaultLedgerPath, openLedger } from './ledger-option.js';
import type { Context } from './io.js';
import type { VendorSettings } from './settings.js';
import { buildSms, countryOf, requireCredentials, settingsFor, vendorList, type VendorFlags } from './setup.js';
import { credentialNames } from './vendors.js';

export interface SendFlags extends VendorFlags {
  to: string;
  text: string;
  from?: string;
  at?: string;
  allowPast?: boolean;
  idempotencyKey?: string;
  ledger?: string;
  campaign?: string;
  resendUnknown?: boolean;
  dryRun?: boolean;
}

/** How long `send` waits for another `send` holding the default ledger's lock (each holds it for one send). */
const ledgerWaitMs = 10_000;

export async function sendCommand(flags: SendFlags, ctx: Context): Promise<number> {
  const { io, out } = ctx;
  const settings = settingsFor(vendorList(flags.vendor), flags, ctx);
  requireCredentials(settings);
  if (!flags.from && settings.every((s) => s.options.from === undefined)) out.where.unset = ['from'];
  if (flags.campaign !== undefined && !/\S/.test(flags.campaign)) throw new UsageError('--campaign takes a name');
  const input: SendInput = {
    to: flags.to,
    text: flags.text,
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.at ? { at: parseTime(flags.at, { allowPast: flags.allowPast === true, now: io.now() }) } : {}),
    ...(flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {}),
    ...(flags.resendUnknown ? { resendUnknown: true } : {}),
  };
  if (flags.dryRun) return dryRun(input, settings, flags, ctx);
  // A key must outlive the process to make a repeated run a no-op: kept in --ledger, or by
  // default in a file ledger in the user's state directory.
  const where = flags.ledger ?? (flags.idempotencyKey ? `file:${defaultLedgerPath(io.env)}` : undefined);
  const ledger = where ? await openLedger(where, ledgerWaitMs) : undefined;
  try {
    const result = await buildSms(settings, flags, { out, env: ctx.io.env, ledger, namespace: flags.campaign }).send(
      input,
    );
    out.emit('sent', { ...result }, describeSent(result));
    return exitCodes.done;
  } finally {
    await ledger?.close();
  }
}

const isoTime = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i;

/**
 * `--at`: an ISO 8601 time whose every field exists (`Date` reads 2026-02-30 as March 2nd, and
 * 24:61 as the next day), and not in the past unless `allowPast` (a vendor sends a past time at
 * once, which is not what a schedule meant). Either mistake is a ValidationError: exit 2.
 */
export function parseTime(value: string, options: { allowPast?: boolean; now?: number } = {}): Date {
  const refuse = (message: string) =>
    new ValidationError({ vendor: 'smswire', operation: 'send', issues: [{ path: 'at', message }] });
  const match = isoTime.exec(value.trim());
  const at = new Date(value.trim());
  if (!match || Number.isNaN(at.getTime()))
    throw refuse(`takes an ISO 8601 time, e.g. 2026-05-01T09:00:00Z (got "${value}")`);
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((f) => Number(f ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour > 23 || minute > 59 || second > 59)
    throw refuse(`"${value}" is not a date and time that exists`);
  if (!options.allowPast && at.getTime() < (options.now ?? Date.now()))
    throw refuse(`"${value}" is in the past (give --allow-past to send it at once anyway)`);
  return at;
}

const describeSent = (r: SendResult) =>
  `${r.replayed ? 'replayed, nothing sent now: earlier ' : ''}${r.state} by ${r.vendor}${r.messageId ? ` as ${r.messageId}` : ''}: ${r.to}, ${r.encoding}, ${r.parts} part${r.parts === 1 ? '' : 's'} (key ${r.id})`;

/** The request that would leave, caught by a `fetch` that records it and sends nothing. */
class Caught extends Error {}

/**
 * What a send would do, sending nothing: the vendor client builds its real request, which a
 * `fetch` that never reaches the network catches. The client is given `[REDACTED]` for each
 * credential, so the request shows the mask where each one goes, escaped as the wire escapes it
 * (`apikey=%5BREDACTED%5D`), and never a credential in any spelling, however short.
 */
async function dryRun(
  input: SendInput,
  settings: Parameters<typeof buildSms>[0],
  flags: SendFlags,
  ctx: Context,
): Promise<number> {
  const { out } = ctx;
  const vendor = settings[0]!.vendor;
  const to = normalizeNumber(input.to, { country: countryOf(flags.country) });
  const cost = segments(input.text, { vendor });
  let request: { method: string; url: string; headers: Record<string, string>; body: string } | undefined;
  const fetch: FetchLike = async (target, init = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    request = {
      method: init.method ?? 'GET',
      url: String(target instanceof Request ? target.url : target),
      headers,
      body: init.body === undefined || init.body === null ? '' : String(init.body),
    };
    throw new Caught('dry run: not sent');
  };
  try {
    await buildSms(masked(settings.slice(0, 1)), flags, { fetch, out, env: ctx.io.env }).send(input);
  } catch (error) {
    if (!request) throw error;
  }
  if (!request) throw new Error('the dry run caught no request');
  const record = { vendor, to, encoding: cost.encoding, parts: cost.parts, request };
  const body = request.body ? `\n\n${request.body}` : '';
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `\n${name}: ${value}`)
    .join('');
  out.emit(
    'dryRun',
    record,
    `dry run, nothing sent: ${to} through ${vendor}, ${cost.encoding}, ${cost.parts} part${cost.parts === 1 ? '' : 's'}\n` +
      `${request.method} ${request.url}${headers}${body}`,
  );
  return exitCodes.done;
}

/** The settings with the mask in place of each credential given. */
const masked = (settings: readonly VendorSettings[]): VendorSettings[] =>
  settings.map((s) => ({
    ...s,
    options: Object.fromEntries(
      Object.entries(s.options).map(([name, value]) => [
        name,
        credentialNames(s.vendor).includes(name) ? redacted : value,
      ]),
    ),
  }));
