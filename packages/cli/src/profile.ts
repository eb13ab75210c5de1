import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from './exit-codes.js';

/** What `smswire login` keeps: per vendor, its option values (`{ dinisoft: { apiKey, secretKey } }`). */
export interface Profile {
  vendors: Record<string, Record<string, string>>;
}

/** `$XDG_CONFIG_HOME/smswire/config.json`, `~/.config/smswire/config.json` without it. */
export function profilePath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'smswire', 'config.json');
}

export function readProfile(path: string): Profile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { vendors: {} };
    throw error;
  }
  let parsed: Partial<Profile>;
  try {
    parsed = JSON.parse(text) as Partial<Profile>;
  } catch {
    // Not the parser's message: it quotes the text, which holds secrets.
    throw new UsageError(`${path} is not valid JSON; run \`smswire login <vendor>\` to write it again`);
  }
  return { vendors: typeof parsed.vendors === 'object' && parsed.vendors ? parsed.vendors : {} };
}

/**
 * Written whole to a temporary file created with mode 0600, then renamed over the profile: no
 * moment where the secrets are readable by others, or half written.
 */
export function writeProfile(profile: Profile, path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
