import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from './exit-codes.js';
import { profilePath, readProfile } from './profile.js';
import { credentialNames, envName, settingNames, type VendorId } from './vendors.js';

/** Where a vendor's options come from, highest first. */
export interface Sources {
  /** Command-line flags, by option name (`apiKey`). */
  flags: Record<string, unknown>;
  /** The run's environment (`Io.env`). */
  env: Record<string, string | undefined>;
  /** `--env-file`, loaded into `env`. */
  envFile?: string | undefined;
  /** The profile file; `$XDG_CONFIG_HOME/smswire/config.json` by default. */
  profile?: string | undefined;
}

export interface VendorSettings {
  vendor: VendorId;
  /** Credentials and settings, by option name, each from the first source that has it. */
  options: Record<string, string>;
  /** Credential values, for redaction. */
  secrets: string[];
}

/** A vendor's options: flags, then `SMSWIRE_<VENDOR>_<OPTION>` variables, then `--env-file`, then the profile. */
export function resolveSettings(vendor: VendorId, sources: Sources): VendorSettings {
  if (sources.envFile) loadEnvFile(sources.envFile, sources.env);
  const profile = readProfile(sources.profile ?? profilePath(sources.env)).vendors[vendor] ?? {};
  const options: Record<string, string> = {};
  const credentials = credentialNames(vendor);
  for (const name of [...credentials, ...settingNames(vendor)]) {
    const flag = sources.flags[name];
    const value =
      (typeof flag === 'string' && flag !== '' ? flag : undefined) ??
      nonEmpty(sources.env[envName(vendor, name)]) ??
      nonEmpty(profile[name]);
    if (value !== undefined) options[name] = value;
  }
  return { vendor, options, secrets: credentials.map((name) => options[name]).filter((v) => v !== undefined) };
}

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/** The files already read into each environment. */
const loaded = new WeakMap<object, Set<string>>();

/**
 * `--env-file`, read here and parsed with `util.parseEnv` rather than `process.loadEnvFile`: on
 * Node 20 that ends the process (exit 9, Node's own message) on a missing file instead of throwing.
 * It sets, in the run's environment, only the variables the environment does not already have, so the environment keeps its
 * precedence over the file.
 */
function loadEnvFile(path: string, env: Record<string, string | undefined>): void {
  const done = loaded.get(env) ?? new Set<string>();
  loaded.set(env, done);
  if (done.has(path)) return;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory, not a file'
          : code === 'EACCES'
            ? 'not readable (permission denied)'
            : `unreadable (${code ?? 'unknown error'})`;
    throw new UsageError(`--env-file ${path}: ${why}`);
  }
  for (const [name, value] of Object.entries(parseEnv(text))) if (env[name] === undefined) env[name] = value;
  done.add(path);
}
