import { inspect } from 'node:util';
import { startMock, type RunningMock } from './lib/mock.js';
import { listVendors } from './lib/vendors.js';

/**
 * `pnpm demo`: every vendor client against a local Prism mock of its own spec. No credentials
 * or network needed. Each vendor's flow is in scripts/demo/<vendor>.ts.
 */
const vendors = listVendors();
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
      await demo(mocks[i]!.url, (label, value) =>
        console.log(
          `  ${label} → ${typeof value === 'string' ? value : inspect(value, { depth: 4, breakLength: Number.POSITIVE_INFINITY })}`,
        ),
      );
    } catch (error) {
      failed = true;
      console.error(`  demo failed: ${String(error)}`);
    }
  }
} finally {
  await Promise.all(mocks.map((m) => m.stop()));
}
process.exitCode = failed ? 1 : 0;
