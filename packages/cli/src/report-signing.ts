import type { CallbackSigning } from '@smswire/sms/report-endpoint';
import type { Command } from 'commander';
import { UsageError } from './exit-codes.js';
import type { Io } from './io.js';
import type { Output } from './output.js';

/**
 * The signing secret `send`/`bulk` sign each sms365 callback URL with and `listen` checks:
 * `--report-secret` or SMSWIRE_REPORT_SECRET (better: a flag shows in `ps`), named by
 * `--report-key-id` or SMSWIRE_REPORT_KEY_ID (default `k1`) so a new secret can take over while
 * URLs signed with the old one are still out (`listen` accepts SMSWIRE_REPORT_SECRET_OLD under
 * SMSWIRE_REPORT_KEY_ID_OLD too).
 */
export interface ReportFlags {
  callbackUrl?: string;
  reportSecret?: string;
  reportKeyId?: string;
}

export const defaultKeyId = 'k1';

type Env = Io['env'];

const variable = (env: Env, name: string) => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** The secret and its key id, hidden from the output from here on; undefined when none is configured. */
export function reportSecret(
  flags: ReportFlags,
  out: Output | undefined,
  env: Env,
): { keyId: string; secret: string } | undefined {
  const secret = flags.reportSecret || variable(env, 'SMSWIRE_REPORT_SECRET');
  if (secret === undefined) return undefined;
  out?.hide([secret]);
  return { keyId: flags.reportKeyId || variable(env, 'SMSWIRE_REPORT_KEY_ID') || defaultKeyId, secret };
}

/** Every secret `listen` accepts: the signing one and the one being retired. */
export function acceptedSecrets(flags: ReportFlags, out: Output, env: Env): Map<string, string> {
  const current = reportSecret(flags, out, env);
  if (!current)
    throw new UsageError(
      'listen needs the signing secret: set SMSWIRE_REPORT_SECRET (or --report-secret), the same one send and bulk sign with',
    );
  const secrets = new Map([[current.keyId, current.secret]]);
  const old = variable(env, 'SMSWIRE_REPORT_SECRET_OLD');
  const oldKeyId = variable(env, 'SMSWIRE_REPORT_KEY_ID_OLD');
  if (old && oldKeyId && oldKeyId !== current.keyId) {
    out.hide([old]);
    secrets.set(oldKeyId, old);
  }
  return secrets;
}

/**
 * `--callback-url` of `send`/`bulk`: the URL `listen` printed. Each sms365 message gets it signed
 * for itself; a callback URL without a secret is refused, as `listen` would refuse its reports.
 */
export function callbackSigning(flags: ReportFlags, out: Output | undefined, env: Env): CallbackSigning | undefined {
  if (flags.callbackUrl === undefined) return undefined;
  const signing = reportSecret(flags, out, env);
  if (!signing)
    throw new UsageError(
      '--callback-url needs the signing secret `smswire listen` checks: set SMSWIRE_REPORT_SECRET (or --report-secret)',
    );
  return { url: flags.callbackUrl, ...signing };
}

/** The options `send` and `bulk` take for signed delivery reports. */
export function callbackOptions(command: Command): Command {
  return command
    .option(
      '--callback-url <url>',
      'sms365: where delivery reports go (the URL `smswire listen` prints); each message’s URL is signed',
    )
    .option('--report-secret <secret>', 'the signing secret (prefer SMSWIRE_REPORT_SECRET: a flag shows in `ps`)')
    .option('--report-key-id <id>', 'the name of the signing secret (default k1; SMSWIRE_REPORT_KEY_ID)');
}
