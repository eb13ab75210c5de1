import type { FetchLike } from '@smswire/core';
import { createSms, type CountryCode, type Ledger, type NumberWarning, type Sms } from '@smswire/sms';
import { UsageError } from './exit-codes.js';
import type { Context } from './io.js';
import type { Output } from './output.js';
import { callbackSigning, type ReportFlags } from './report-signing.js';
import { resolveSettings, type VendorSettings } from './settings.js';
import {
  adapterFactory,
  credentialNames,
  envName,
  isVendor,
  kebab,
  requiredCredentials,
  vendorIds,
  type VendorId,
} from './vendors.js';

/** The options every command that talks to a vendor takes (commander's camelCase names). */
export interface VendorFlags {
  vendor?: string;
  envFile?: string;
  profile?: string;
  country?: string;
  timeout?: string;
  [option: string]: unknown;
}

/** `--vendor sms365,dinisoft`: the vendors in order of preference. */
export function vendorList(value: string | undefined): VendorId[] {
  const names = (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`name the vendor with --vendor (${vendorIds.join(', ')})`);
  for (const name of names)
    if (!isVendor(name)) throw new UsageError(`unknown vendor "${name}": one of ${vendorIds.join(', ')}`);
  return [...new Set(names)] as VendorId[];
}

/** Each vendor's settings, their credentials hidden from the output from here on. */
export function settingsFor(vendors: readonly VendorId[], flags: VendorFlags, { io, out }: Context): VendorSettings[] {
  return vendors.map((vendor) => {
    const settings = resolveSettings(vendor, { flags, env: io.env, envFile: flags.envFile, profile: flags.profile });
    out.hide(settings.secrets);
    return settings;
  });
}

/** Refuses, before anything is sent, a send without the credentials it needs, naming where to give them. */
export function requireCredentials(settings: readonly VendorSettings[]): void {
  for (const { vendor, options } of settings) {
    const missing = requiredCredentials(vendor).filter((name) => options[name] === undefined);
    if (missing.length)
      throw new UsageError(
        `${vendor} needs ${missing.join(', ')}: give ${missing.map((m) => `--${kebab(m)}`).join(', ')}, ` +
          `set ${missing.map((m) => envName(vendor, m)).join(', ')} (or put them in --env-file), ` +
          `or run \`smswire login ${vendor}\``,
      );
  }
}

export function countryOf(value: string | undefined): CountryCode | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Z]{2}$/.test(value))
    throw new UsageError(`--country takes an ISO 3166-1 alpha-2 country code, such as GR or BD (got "${value}")`);
  return value as CountryCode;
}

export interface SmsSetup {
  fetch?: FetchLike | undefined;
  batchSize?: number | undefined;
  ledger?: Ledger | undefined;
  /** Told each message ID a vendor makes before its request leaves (SMS Leads), with the message's key. */
  onMessageIds?: ((vendor: VendorId, ids: { key: string; messageId: string }[]) => void) | undefined;
  /** The campaign: the namespace of the idempotency keys in the ledger. */
  namespace?: string | undefined;
  /** Where the layer's warnings go (the output's `warn`). */
  out?: Output | undefined;
  /** The run's environment: SMSWIRE_REPORT_SECRET for `--callback-url`. */
  env?: Context['io']['env'] | undefined;
}

/** `createSms` over the vendors' adapters, built from their settings. */
export function buildSms(settings: readonly VendorSettings[], flags: VendorFlags, setup: SmsSetup = {}): Sms {
  const timeoutMs = flags.timeout === undefined ? undefined : positive('--timeout', flags.timeout);
  const defaultCountry = countryOf(flags.country);
  // sms365 alone takes a callback per message (sms365.txt L562–566); signed for `smswire listen`.
  const callback = callbackSigning(flags as ReportFlags, setup.out, setup.env ?? {});
  const adapters = settings.map(({ vendor, options }) =>
    adapterFactory(vendor)({
      ...options,
      ...(setup.fetch ? { fetch: setup.fetch } : {}),
      ...(setup.batchSize ? { batchSize: setup.batchSize } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(callback && vendor === 'sms365' ? { callback } : {}),
      ...(setup.onMessageIds
        ? { onMessageIds: (ids: { key: string; messageId: string }[]) => setup.onMessageIds!(vendor, ids) }
        : {}),
    }),
  );
  return createSms({
    vendors: adapters,
    ...(setup.ledger ? { ledger: setup.ledger } : {}),
    ...(setup.namespace ? { namespace: setup.namespace } : {}),
    ...(defaultCountry ? { defaultCountry } : {}),
    ...(setup.out ? { onWarning: warnTo(setup.out) } : {}),
  });
}

const warnTo = (out: Output) => (warning: NumberWarning) =>
  out.warn({ kind: warning.kind, number: warning.number, message: warning.message }, warning.message);

export function positive(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} takes a whole number, at least 1`);
  return number;
}

/** Every credential flag any vendor takes, derived from the generated definitions. */
export function credentialFlags(): { name: string; vendors: VendorId[] }[] {
  const flags = new Map<string, VendorId[]>();
  for (const vendor of vendorIds)
    for (const name of credentialNames(vendor)) flags.set(name, [...(flags.get(name) ?? []), vendor]);
  return [...flags].map(([name, vendors]) => ({ name, vendors })).sort((a, b) => a.name.localeCompare(b.name));
}
