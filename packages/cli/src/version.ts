import { readFileSync } from 'node:fs';

/**
 * The package's version, from its package.json one folder up: from `src/`, from the built
 * `dist/`, and from the tests' bundle in `.tmp/` alike.
 */
export function cliVersion(): string {
  const manifest = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}
