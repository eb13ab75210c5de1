import { redacted } from '@smswire/core/internal';
import { type SendInput, type SendResult, ValidationError } from '@smswire/sms';
import { exitCodes, UsageError } from './exit-codes.js';
import { defaultLedgerPath, openLedger } from './ledger-option.js';
import type { Context } from './io.js';
import type { VendorSettings } from './settings.js';
import { buildSms, requireCredentials, settingsFor, vendorList, type VendorFlags } from './setup.js';
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

/**
 * What a send would do, sending nothing: `sms.prepare` builds the request the first vendor's
 * client would hand `fetch`. The client is given `[REDACTED]` for each credential and its request
 * shown as built (`revealCredentials`: the only credentials it holds are the masks), so the
 * request shows the mask where each one goes, escaped as the wire escapes it
 * (`apikey=%5BREDACTED%5D`), and never a credential in any spelling, however short.
 */
async function dryRun(
  input: SendInput,
  settings: Parameters<typeof buildSms>[0],
  flags: SendFlags,
  ctx: Context,
): Promise<number> {
  const { out } = ctx;
  const sms = buildSms(masked(settings.slice(0, 1)), flags, { out, env: ctx.io.env });
  const { vendor, to, encoding, parts, request: prepared } = await sms.prepare(input, { revealCredentials: true });
  // Header names in order, as `Headers` lists them.
  const headers = Object.fromEntries(Object.entries(prepared.headers).sort(([a], [b]) => (a < b ? -1 : 1)));
  const request = { method: prepared.method, url: prepared.url, headers, body: prepared.body ?? '' };
  const record = { vendor, to, encoding, parts, request };
  const body = request.body ? `\n\n${request.body}` : '';
  const lines = Object.entries(headers)
    .map(([name, value]) => `\n${name}: ${value}`)
    .join('');
  out.emit(
    'dryRun',
    record,
    `dry run, nothing sent: ${to} through ${vendor}, ${encoding}, ${parts} part${parts === 1 ? '' : 's'}\n` +
      `${request.method} ${request.url}${lines}${body}`,
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
