import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;
type Entries = Record<string, unknown>;

const read = (path: string): Json => JSON.parse(readFileSync(path, 'utf8'));
const write = (path: string, json: Json) => writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);

/** The object with `key` added in name order among the vendor keys, the others where they were. */
function withEntry(entries: Entries, key: string, value: unknown, isVendorKey: (k: string) => boolean): Entries {
  const keys = Object.keys(entries).filter((k) => k !== key);
  const vendorKeys = [...keys.filter(isVendorKey), key].sort();
  // The new key goes before the first vendor key that sorts after it, or after the last vendor key.
  const next = vendorKeys[vendorKeys.indexOf(key) + 1];
  const lastVendor = keys.filter(isVendorKey).at(-1);
  const at =
    next !== undefined ? keys.indexOf(next) : lastVendor !== undefined ? keys.indexOf(lastVendor) + 1 : keys.length;
  keys.splice(at, 0, key);
  return Object.fromEntries(keys.map((k) => [k, k === key ? value : entries[k]]));
}

/**
 * The package manifests that name each vendor, with the new one: `@smswire/sms`'s `./<id>` entry
 * (source and published), its optional peer and dev dependency on `@smswire/<id>`, and the
 * command's dependency on it. JSON cannot import a generated list, so `pnpm new-vendor` writes
 * them; test/new-vendor.e2e.test.ts checks they name every spec's vendor.
 */
export function addToManifests(base: string, id: string, vendorIds: readonly string[]): void {
  const name = `@smswire/${id}`;
  const isVendorEntry = (k: string) => vendorIds.includes(k.slice(2)) || k === `./${id}`;
  const isVendorPackage = (k: string) => vendorIds.some((v) => k === `@smswire/${v}`) || k === name;
  const smsPath = join(base, 'packages', 'sms', 'package.json');
  const sms = read(smsPath);
  const entry = { types: `./dist/${id}.d.ts`, default: `./dist/${id}.js` };
  sms.exports = withEntry(
    sms.exports as Entries,
    `./${id}`,
    { '@smswire/source': `./src/${id}.ts`, ...entry },
    isVendorEntry,
  );
  const publish = sms.publishConfig as Json;
  publish.exports = withEntry(publish.exports as Entries, `./${id}`, entry, isVendorEntry);
  sms.peerDependencies = withEntry(sms.peerDependencies as Entries, name, 'workspace:^', isVendorPackage);
  sms.peerDependenciesMeta = withEntry(sms.peerDependenciesMeta as Entries, name, { optional: true }, isVendorPackage);
  sms.devDependencies = withEntry(sms.devDependencies as Entries, name, 'workspace:^', isVendorPackage);
  write(smsPath, sms);
  const cliPath = join(base, 'packages', 'cli', 'package.json');
  const cli = read(cliPath);
  cli.dependencies = withEntry(cli.dependencies as Entries, name, 'workspace:^', isVendorPackage);
  write(cliPath, cli);
}
