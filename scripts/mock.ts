import { startMock } from './lib/mock.js';
import { listVendors } from './lib/vendors.js';

/** `pnpm mock <vendor> [port]`: Prism on one vendor's spec until Ctrl-C. */
const [id, port = '4010'] = process.argv.slice(2);
const vendors = listVendors();
const vendor = vendors.find((v) => v.id === id);
if (!vendor) {
  console.error(`usage: pnpm mock <vendor> [port]   vendors: ${vendors.map((v) => v.id).join(', ')}`);
  process.exit(2);
}
const mock = await startMock(vendor, Number(port));
console.log(`${vendor.packageName} mock on ${mock.url} — pass it as \`baseUrl\`. Ctrl-C stops it.`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void mock.stop().then(() => process.exit(0)));
}
