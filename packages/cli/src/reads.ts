import { readFileSync } from 'node:fs';
import { type MessageStatus, segments } from '@smswire/sms';
import { failureText } from './errors.js';
import { describeError, exitCodeOf, exitCodes, UsageError } from './exit-codes.js';
import type { Context } from './io.js';
import type { Output } from './output.js';
import { buildSms, settingsFor, vendorList, type VendorFlags } from './setup.js';
import { credentialNames, envName, kebab, needsBaseUrl, settingNames, vendorIds, type VendorId } from './vendors.js';
import { resolveSettings } from './settings.js';

/**
 * `smswire balance [--vendor v,…]`: each named vendor's, or every configured one's that has a
 * balance read. A vendor that cannot be read (an option missing, a refusal) prints its own
 * error line and the others are still read; the exit code is 0 only when every one was.
 */
export async function balanceCommand(flags: VendorFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  const vendors = flags.vendor ? vendorList(flags.vendor) : configuredVendors(flags, ctx.io.env);
  if (vendors.length === 0)
    throw new UsageError('no vendor is configured: name one with --vendor, or run `smswire login <vendor>`');
  const named = Boolean(flags.vendor);
  let code: number = exitCodes.done;
  for (const vendor of vendors) {
    try {
      const sms = buildSms(settingsFor([vendor], flags, ctx), flags);
      if (!named && !sms.capabilities()[vendor]?.balance) continue;
      const [balance] = await sms.balance({ vendor });
      out.emit('balance', { ...balance! }, `${vendor}: ${balance!.amount} ${balance!.unit}`);
    } catch (error) {
      out.fail(describeError(error), failureText(error), vendor);
      if (code === exitCodes.done) code = exitCodeOf(error);
    }
  }
  return code;
}

/** Vendors with any option set in a flag, the environment or the profile. */
function configuredVendors(flags: VendorFlags, env: Record<string, string | undefined>): VendorId[] {
  return vendorIds.filter((vendor) => {
    const { options } = resolveSettings(vendor, { flags: {}, env, envFile: flags.envFile, profile: flags.profile });
    return credentialNames(vendor).some((name) => options[name] !== undefined);
  });
}

export async function statusCommand(messageId: string, flags: VendorFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  const settings = settingsFor(vendorList(flags.vendor).slice(0, 1), flags, ctx);
  const status = await buildSms(settings, flags).status(messageId, { vendor: settings[0]!.vendor });
  out.emit('status', statusRecord(status), describeStatus(status));
  return exitCodes.done;
}

export const statusRecord = (s: MessageStatus) => ({ ...s, ...(s.at ? { at: s.at.toISOString() } : {}) });
export const describeStatus = (s: MessageStatus) =>
  `${s.vendor} ${s.messageId}: ${s.state}${s.final ? ' (final)' : ''}${s.vendorStatus ? ` — vendor says "${s.vendorStatus}"` : ''}${s.at ? ` at ${s.at.toISOString()}` : ''}`;

/**
 * `smswire report <file> --vendor v`: a saved delivery-report callback, as the URL the vendor
 * called, its request line (`GET /cb?msgid=… HTTP/1.1`, headers after it ignored), or the bare
 * query string. `-` reads stdin. No `at`: see below.
 */
export async function reportCommand(file: string, flags: VendorFlags, { io, out }: Context): Promise<number> {
  const vendor = vendorList(flags.vendor)[0]!;
  let text: string;
  try {
    text = file === '-' ? await readAll(io.stdin) : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const first = text.trim().split(/\r?\n/)[0] ?? '';
  const target = /^[A-Z]+ (\S+) HTTP\/[\d.]+$/.exec(first)?.[1] ?? first;
  const url = /^[a-z]+:\/\//i.test(target) || target.startsWith('/') || target.startsWith('?') ? target : `?${target}`;
  const sms = buildSms([{ vendor, options: placeholder(vendor), secrets: [] }], flags);
  // The library's `at` is when a callback was read: for a live endpoint the time it arrived, for a
  // saved one now, which is not the report's time. An sms365 report carries no time of its own
  // (sms365.txt L564–565), so none is printed.
  const { at: _readNow, ...status } = sms.report(vendor, url);
  out.emit('report', statusRecord(status), `${describeStatus(status)} (the report carries no time)`);
  return exitCodes.done;
}

/** `smswire segments <text> [--vendor v,…]`: encoding and parts for each vendor, since they count differently. */
export function segmentsCommand(text: string, flags: VendorFlags, out: Output): number {
  const vendors = flags.vendor ? vendorList(flags.vendor) : [...vendorIds];
  for (const vendor of vendors) {
    const s = segments(text, { vendor });
    out.emit(
      'segments',
      { vendor, ...s },
      `${vendor}: ${s.encoding}, ${s.length} characters, ${s.parts} part${s.parts === 1 ? '' : 's'} of up to ${s.perPart}`,
    );
  }
  return exitCodes.done;
}

/** `smswire vendors`: what each vendor can do, and where its credentials come from. */
export function vendorsCommand(out: Output): number {
  for (const vendor of vendorIds) {
    const capabilities = buildSms([{ vendor, options: placeholder(vendor), secrets: [] }], {}).capabilities()[vendor]!;
    const options = [...credentialNames(vendor), ...settingNames(vendor)];
    const env = options.map((o) => envName(vendor, o));
    const flags = options.map((o) => `--${kebab(o)}`);
    const can = Object.entries(capabilities)
      .filter(([, v]) => v === true)
      .map(([k]) => k);
    out.emit(
      'vendor',
      { vendor, capabilities, credentials: credentialNames(vendor), baseUrlRequired: needsBaseUrl(vendor), flags, env },
      `${vendor.padEnd(9)} ${can.join(', ')}${capabilities.countries ? ` (destinations: ${capabilities.countries.join(', ')})` : ''}\n          ${flags.join(' ')}\n          ${env.join(' ')}`,
    );
  }
  return exitCodes.done;
}

/** Options that let an adapter be built for what needs no call: its capabilities, a report. */
const placeholder = (vendor: VendorId): Record<string, string> =>
  needsBaseUrl(vendor) ? { baseUrl: 'http://127.0.0.1' } : {};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}
