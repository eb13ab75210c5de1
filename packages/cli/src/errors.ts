import type { ValidationIssue } from '@smswire/core';
import { SendError, type SendFields, ValidationError } from '@smswire/sms';
import { vendorTable } from './generated/vendors.js';
import { envName, isVendor, type VendorId } from './vendors.js';

/**
 * The vendor's request fields that carry what the command took as `--from` and `--text` (each
 * adapter's `sendFields`): a validation issue about one of them is told as the flag the user typed,
 * not the wire name (`callerID must not be empty` is `--from is required for dinisoft …`). Held to
 * each adapter by `packages/cli/test/errors.test.ts`, which sends without a sender and with a control character.
 */
export const inputFields = (vendor: VendorId): SendFields => vendorTable[vendor].sendFields;

/** Settings an operation needs besides credentials, by the issue path the adapter names them with: what they are for. */
const settingFields: Record<string, string> = { account: "'s balance read (its client name)" };

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** Where a setting can be given: its flag, its variable, its profile key. */
function required(vendor: VendorId, setting: string, what: string): string {
  return `--${kebab(setting)} is required for ${vendor}${what} (or ${envName(vendor, setting)}, or "${setting}" in the profile)`;
}

/** One issue in the user's words, or undefined when it names nothing the user typed. */
function issueInUserWords(vendor: VendorId, issue: ValidationIssue, unset: readonly string[]): string | undefined {
  const field =
    String(issue.path)
      .replace(/\[\d+\]/g, '')
      .split('.')
      .pop() ?? '';
  const fields = inputFields(vendor);
  const setting = field === fields.from ? 'from' : field;
  const empty = unset.includes(setting) || /must not be empty|is required|needs/.test(issue.message);
  if (field === fields.from) return empty ? required(vendor, 'from', '') : `--from ${issue.message}`;
  if (field === fields.text) return `--text ${issue.message}`;
  const purpose = settingFields[field];
  return purpose !== undefined && empty ? required(vendor, field, purpose) : undefined;
}

/** The ValidationError behind a failure: itself, or the one a send was refused for. */
function validationOf(error: unknown): ValidationError | undefined {
  if (error instanceof ValidationError) return error;
  if (error instanceof SendError && error.reason === 'validation' && error.cause instanceof ValidationError)
    return error.cause;
  return undefined;
}

/**
 * The text of a failure, after the line's prefix: a refusal of bad input in the words the user
 * typed, a send's outcome and what to do about it, or the error's own message. `unset`: the
 * settings the run was given nowhere (`from`), so an issue about one is that it is missing.
 */
export function failureText(error: unknown, unset: readonly string[] = []): string {
  const message = error instanceof Error ? error.message : String(error);
  const invalid = validationOf(error);
  const vendor = vendorOf(error);
  if (invalid) {
    // The command's own checks (`--at`) name the flag as the issue's path.
    if (invalid.vendor === 'smswire')
      return invalid.issues.map((issue) => `--${issue.path} ${issue.message}`).join('; ');
    const told = vendor ? invalid.issues.map((issue) => issueInUserWords(vendor, issue, unset)) : [];
    if (told.length && told.every((t) => t !== undefined)) return told.join('; ');
    return `invalid: ${invalid.message}`;
  }
  if (error instanceof SendError)
    return error.outcome === 'unknown'
      ? `outcome unknown (${error.reason})${error.replayed ? ', replayed from the ledger' : ''}: ${message}\nIt may have been sent: do not resend blindly.`
      : `not sent (${error.reason}): ${message}`;
  return message;
}

/** The vendor a failure is about, when it is one of the vendors (not the layer, `sms`). */
export function vendorOf(error: unknown): VendorId | undefined {
  const vendor = (error as { vendor?: unknown } | null)?.vendor;
  if (typeof vendor === 'string' && isVendor(vendor)) return vendor;
  const cause = (error as { cause?: { vendor?: unknown } } | null)?.cause?.vendor;
  return typeof cause === 'string' && isVendor(cause) ? cause : undefined;
}

/** Every error line's shape: `smswire: <vendor> <command>: …` (the parts known). */
export function errorLine(command: string | undefined, vendor: string | undefined, text: string): string {
  const where = [vendor, command].filter(Boolean).join(' ');
  return `smswire: ${where ? `${where}: ` : ''}${text}`;
}
