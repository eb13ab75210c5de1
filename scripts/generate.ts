import { writeVendor } from './codegen/generate.js';
import { writeLayer } from './codegen/layer.js';
import { listVendors } from './lib/vendors.js';

for (const vendor of listVendors()) {
  console.log(`${vendor.id}: ${(await writeVendor(vendor)).join(', ')}`);
}
console.log(`@smswire/sms: ${writeLayer().join(', ')}`);
