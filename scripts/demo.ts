import { inspect } from 'node:util';
import { startMock, type RunningMock } from './lib/mock.js';
import { listVendors } from './lib/vendors.js';
import { demoSms } from './demo/sms-layer.js';

/**
 * `pnpm demo`: every vendor client against a local Prism mock of its own spec, then
 * `@smswire/sms` over the same mocks (scripts/demo/sms-layer.ts). No credentials or network
 * needed. Each vendor's flow is in scripts/demo/<vendor>.ts. `pnpm demo <vendor>…` runs only
 * those vendors' flows, without the `@smswire/sms` section, which needs every mock.
 */
const only = process.argv.slice(2);
const unknown = only.filter((id) => !listVendors().some((v) => v.id === id));
if (unknown.length > 0) {
  console.error(`usage: pnpm demo [vendor…]; no specs/${unknown[0]}.yaml`);
  process.exit(2);
}
const vendors = listVendors().filter((v) => only.length === 0 || only.includes(v.id));
const line = (label: string, value: unknown) =>
  console.log(
    `  ${label} → ${typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY })}`,
  );
console.log(`starting ${vendors.length} mocks…`);
const mocks: RunningMock[] = await Promise.all(vendors.map((v) => startMock(v)));
let failed = false;
try {
  for (const [i, vendor] of vendors.entries()) {
    console.log(`\n${vendor.packageName} (mock ${mocks[i]!.url})`);
    const { demo } = (await import(`./demo/${vendor.id}.ts`)) as {
      demo: (baseUrl: string, log: (label: string, value: unknown) => void) => Promise<void>;
    };
    try {
      await demo(mocks[i]!.url, line);
    } catch (error) {
      failed = true;
      console.error(`  demo failed: ${String(error)}`);
    }
  }
  if (only.length === 0) {
    console.log('\n@smswire/sms (one send() per vendor mock; encodings; failover on local servers)');
    try {
      await demoSms(Object.fromEntries(vendors.map((v, i) => [v.id, mocks[i]!.url])), line);
    } catch (error) {
      failed = true;
      console.error(`  demo failed: ${String(error)}`);
    }
  }
} finally {
  await Promise.all(mocks.map((m) => m.stop()));
}
process.exitCode = failed ? 1 : 0;
