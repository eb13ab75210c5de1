import { writeVendor } from './codegen/generate.js';
import { listVendors } from './lib/vendors.js';

for (const vendor of listVendors()) {
  console.log(`${vendor.id}: ${(await writeVendor(vendor)).join(', ')}`);
}
