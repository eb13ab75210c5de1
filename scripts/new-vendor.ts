import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildDefinition } from './codegen/build-definition.js';
import { formatAll } from './codegen/format.js';
import { writeVendor } from './codegen/generate.js';
import { writeLayer } from './codegen/layer.js';
import { scaffold } from './codegen/scaffold.js';
import { listVendors, loadSpec, root } from './lib/vendors.js';
import { adapterSource, sendMapping } from './new-vendor/adapter.js';
import { demoSource } from './new-vendor/demo.js';
import { addToManifests } from './new-vendor/manifests.js';

/**
 * `pnpm new-vendor <id> [checkout]`: from a new specs/<id>.yaml, everything the tests sweep for a
 * vendor: its package, its `@smswire/sms` adapter and entry, the command's row (generated), a demo,
 * and the workspace links. Then `pnpm install`, which links the new package into the workspace.
 * The tests run it on a temporary checkout.
 */
const [id, checkout] = process.argv.slice(2);
const base = checkout ? resolve(checkout) : root;
const vendor = listVendors(base).find((v) => v.id === id);
if (!id || !vendor) {
  console.error(`usage: pnpm new-vendor <id>, with specs/<id>.yaml written first${id ? ` (no specs/${id}.yaml)` : ''}`);
  process.exit(1);
}
if (existsSync(vendor.packageDir)) {
  console.error(`packages/${id} already exists`);
  process.exit(1);
}
const spec = loadSpec(vendor);
const { definition } = buildDefinition(id, spec);
for (const [file, content] of scaffold(id, spec.info.title, definition, readFileSync(join(base, 'LICENSE'), 'utf8'))) {
  mkdirSync(dirname(join(vendor.packageDir, file)), { recursive: true });
  writeFileSync(join(vendor.packageDir, file), content);
}
await writeVendor(vendor, base);
const title = spec.info.title as string;
const layer = existsSync(join(base, 'packages', 'sms'));
// The hand-written files beside the package: the adapter and the demo, formatted as the repository's code.
const files = new Map<string, string>([
  [relative(base, join(base, 'scripts', 'demo', `${id}.ts`)), demoSource(id, title, spec, definition)],
]);
if (layer)
  files.set(
    relative(base, join(base, 'packages', 'sms', 'src', `${id}.ts`)),
    adapterSource(id, title, spec, definition),
  );
for (const [file, content] of formatAll(files)) {
  mkdirSync(dirname(join(base, file)), { recursive: true });
  writeFileSync(join(base, file), content);
}
// The layer's vendor ids and the command's table, now with this one (a test's throwaway checkout may have no layer).
if (layer) {
  addToManifests(
    base,
    id,
    listVendors(base).map((v) => v.id),
  );
  writeLayer(base);
}
// The lockfile gains the new package (CI's default `--frozen-lockfile` would refuse it).
execFileSync('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], { cwd: base, stdio: 'inherit' });
const send = sendMapping(spec, definition);
console.log(
  [
    `packages/${id}: written; @smswire/sms/${id} (packages/sms/src/${id}.ts), the command's row and scripts/demo/${id}.ts too.`,
    send
      ? `The adapter sends through ${send.operation}; status, balance and reports answer UnsupportedError until you add them.`
      : `No send operation's parameters were recognised: the adapter's send answers UnsupportedError until you write it.`,
    `Still yours: a replay test with the document's sample replies, the README's prose and a changeset (docs/ARCHITECTURE.md, "Adding a vendor").`,
  ].join('\n'),
);
