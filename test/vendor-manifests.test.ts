import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { listVendors, root } from '../scripts/lib/vendors.js';

/**
 * The package manifests that name each vendor, which JSON cannot derive from the specs and
 * `pnpm new-vendor` writes (scripts/new-vendor/manifests.ts): every spec's vendor in each, and
 * nothing else.
 */
const manifest = (name: string) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
const ids = listVendors().map((v) => v.id);
const packages = ids.map((id) => `@smswire/${id}`);
const vendorKeys = (entries: Record<string, unknown>, prefix: string) =>
  Object.keys(entries)
    .filter((key) => key.startsWith(prefix) && ids.includes(key.slice(prefix.length)))
    .sort();
const named = (entries: Record<string, unknown>) => Object.keys(entries).filter((k) => k.startsWith('@smswire/'));

it("@smswire/sms has an entry, an optional peer and a dev dependency for every spec's vendor", () => {
  const sms = manifest('sms');
  expect(vendorKeys(sms.exports, './')).toEqual(ids.map((id) => `./${id}`));
  expect(vendorKeys(sms.publishConfig.exports, './')).toEqual(ids.map((id) => `./${id}`));
  for (const id of ids) {
    expect(sms.exports[`./${id}`]).toEqual({
      '@smswire/source': `./src/${id}.ts`,
      types: `./dist/${id}.d.ts`,
      default: `./dist/${id}.js`,
    });
  }
  expect(named(sms.peerDependencies).sort()).toEqual(packages);
  expect(packages.filter((p) => sms.peerDependenciesMeta[p]?.optional !== true)).toEqual([]);
  expect(named(sms.devDependencies).sort()).toEqual(packages);
});

it("the command depends on every spec's vendor package", () => {
  const cli = manifest('cli');
  expect(
    named(cli.dependencies)
      .filter((p) => !['@smswire/core', '@smswire/sms'].includes(p))
      .sort(),
  ).toEqual(packages);
});
