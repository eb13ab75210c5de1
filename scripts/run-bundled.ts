import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bundleForNode } from './lib/bundle.js';
import { root } from './lib/vendors.js';

/**
 * `tsx scripts/run-bundled.ts <script.ts> [args…]`: runs a script as the workspace sources
 * bundled by esbuild, as `pnpm bench` does. Under tsx every named closure the client creates per
 * call is wrapped in a `__name` helper (esbuild's keepNames), which the built packages (tsc) do
 * not do: about 2 µs a call that users never pay, charged to smswire and hardly to the baselines.
 * The bundle sits two levels below the root, so `root` (scripts/lib/vendors.ts) still finds it.
 */
const [script, ...args] = process.argv.slice(2);
if (!script) throw new Error('usage: run-bundled.ts <script.ts> [args…]');
const outfile = join(root, 'scripts', '.bundled', `${basename(script, '.ts')}-${process.pid}.mjs`);
// esbuild runs a native binary of its own: loaded from node_modules, not bundled.
await bundleForNode({ path: join(root, script) }, outfile, { external: ['esbuild'] });
try {
  const run = spawnSync(process.execPath, [outfile, ...args], { cwd: root, stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outfile, { force: true });
}
