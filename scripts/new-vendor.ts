import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildDefinition } from './codegen/build-definition.js';
import { writeVendor } from './codegen/generate.js';
import { writeLayer } from './codegen/layer.js';
import { scaffold } from './codegen/scaffold.js';
import { listVendors, loadSpec, root } from './lib/vendors.js';

// `pnpm new-vendor <id> [checkout]`: the package of a new specs/<id>.yaml (the tests use a temporary checkout).
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
// The layer's vendor ids, now with this one (a test's throwaway checkout may have no layer).
if (existsSync(join(base, 'packages', 'sms'))) writeLayer(base);
console.log(
  `packages/${id}: written, and ${id} added to @smswire/sms's vendor ids. Next: pnpm install, the adapter packages/sms/src/${id}.ts and the command's table, a changeset, scripts/demo/${id}.ts and a replay test (docs/ARCHITECTURE.md, "Adding a vendor").`,
);
