import type { FetchLike } from '@smswire/core';
import { redacted } from '@smswire/core/internal';
import { normalizeNumber, segments, type SendInput, type SendResult } from '@smswire/sms';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Output } from './output.js';
import type { VendorSettings } from './settings.js';
import { buildSms, countryOf, requireCredentials, settingsFor, vendorList, type VendorFlags } from './setup.js';
import { credentialNames } from './vendors.js';

export interface SendFlags extends VendorFlags {
  to: string;
  text: string;
  from?: string;
  at?: string;
  idempotencyKey?: string;
  dryRun?: boolean;
}

export async function sendCommand(flags: SendFlags, out: Output): Promise<number> {
  const settings = settingsFor(vendorList(flags.vendor), flags, out);
  requireCredentials(settings);
  const input: SendInput = {
    to: flags.to,
    text: flags.text,
    ...(flags.from ? { from: flags.from } : {}),
    ...(flags.at ? { at: parseTime(flags.at) } : {}),
    ...(flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {}),
  };
  if (flags.dryRun) return dryRun(input, settings, flags, out);
  const result = await buildSms(settings, flags).send(input);
  out.emit('sent', { ...result }, describeSent(result));
  return exitCodes.done;
}

export function parseTime(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(at.getTime()))
    throw new UsageError(`--at takes an ISO 8601 time, e.g. 2026-05-01T09:00:00Z (got "${value}")`);
  return at;
}

const describeSent = (r: SendResult) =>
  `${r.state} by ${r.vendor}${r.messageId ? ` as ${r.messageId}` : ''}: ${r.to}, ${r.encoding}, ${r.parts} part${r.parts === 1 ? '' : 's'} (key ${r.id})`;

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
  out: Output,
): Promise<number> {
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
    await buildSms(masked(settings.slice(0, 1)), flags, { fetch }).send(input);
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
