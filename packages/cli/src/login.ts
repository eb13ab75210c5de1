import { isCancel, password, text } from '@clack/prompts';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Context } from './io.js';
import { profilePath, readProfile, writeProfile } from './profile.js';
import { vendorList, type VendorFlags } from './setup.js';
import { credentialNames, kebab, needsBaseUrl, requiredCredentials, settingNames } from './vendors.js';

/**
 * `smswire login <vendor>`: the vendor's credentials (and settings given as flags) saved in the
 * profile, mode 0600. Each credential not given as a flag is asked for with hidden input on a
 * terminal; without a terminal, every required one must be a flag.
 */
export async function loginCommand(vendorName: string, flags: VendorFlags, { io, out }: Context): Promise<number> {
  const vendor = vendorList(vendorName)[0]!;
  const interactive = io.stdin.isTTY === true;
  const saved: Record<string, string> = {};
  const required = new Set([...requiredCredentials(vendor), ...(needsBaseUrl(vendor) ? ['baseUrl'] : [])]);
  for (const name of [...credentialNames(vendor), ...settingNames(vendor)]) {
    const flag = flags[name];
    if (typeof flag === 'string' && flag !== '') {
      saved[name] = flag;
      continue;
    }
    const secret = credentialNames(vendor).includes(name);
    // Settings are asked for only when the vendor cannot work without them (Unified's baseUrl).
    if (!secret && !required.has(name)) continue;
    if (!interactive) {
      if (required.has(name))
        throw new UsageError(`no terminal to ask on: give ${vendor}'s ${name} as --${kebab(name)}`);
      continue;
    }
    const message = `${vendor} ${name}${required.has(name) ? '' : ' (optional, Enter to skip)'}`;
    const validate = (value: string | undefined) => (required.has(name) && !value ? `${name} is required` : undefined);
    const answer = secret
      ? await password({ message, validate, input: io.stdin, output: io.stderr })
      : await text({ message, validate, input: io.stdin, output: io.stderr });
    if (isCancel(answer)) throw new UsageError('login cancelled: nothing saved');
    if (answer) saved[name] = answer;
  }
  for (const secret of credentialNames(vendor).map((n) => saved[n])) if (secret) out.hide([secret]);
  const path = flags.profile ?? profilePath(io.env);
  const profile = readProfile(path);
  profile.vendors[vendor] = { ...profile.vendors[vendor], ...saved };
  writeProfile(profile, path);
  const names = Object.keys(saved);
  out.emit(
    'login',
    { vendor, profile: path, saved: names },
    `saved ${vendor}'s ${names.join(', ')} in ${path} (mode 0600)`,
  );
  return exitCodes.done;
}
