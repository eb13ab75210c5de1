import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateVendor } from './codegen/generate.js';
import { listVendors, root } from './lib/vendors.js';

for (const vendor of listVendors()) {
  const files = await generateVendor(vendor);
  const dir = join(vendor.packageDir, 'src', 'generated');
  // Start clean so a file the generator no longer writes does not linger.
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  console.log(`${vendor.id}: ${[...files.keys()].join(', ')}`);
}
