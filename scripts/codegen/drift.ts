import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { generateVendor } from './generate.js';
import { generateLayer, layerIdsPath } from './layer.js';
import { listVendors, root } from '../lib/vendors.js';

/** Every difference between the committed generated files and what the specs produce now. */
export async function generatedDrift(base: string = root): Promise<string[]> {
  const problems: string[] = [];
  const vendors = listVendors(base);
  // Generated code whose spec is gone is drift too.
  for (const folder of existsSync(join(base, 'packages')) ? readdirSync(join(base, 'packages')) : []) {
    const generated = join(base, 'packages', folder, 'src', 'generated');
    if (existsSync(generated) && !vendors.some((v) => v.id === folder) && folder !== 'sms' && folder !== 'cli')
      problems.push(`${relative(base, generated)}: no specs/${folder}.yaml produces it`);
  }
  const packages = [
    ...(await Promise.all(
      vendors.map(async (v) => ({
        dir: join(v.packageDir, 'src', 'generated'),
        expected: await generateVendor(v, base),
      })),
    )),
    // When the checkout has a vendor-neutral layer (a test's throwaway checkout may not).
    ...(existsSync(join(base, 'packages', 'sms'))
      ? [{ dir: dirname(layerIdsPath(base)), expected: generateLayer(base) }]
      : []),
  ];
  for (const { dir, expected } of packages) {
    const present = existsSync(dir) ? readdirSync(dir).map((f) => relative(base, join(dir, f))) : [];
    for (const extra of present.filter((file) => !expected.has(file)))
      problems.push(`${extra}: not produced by the generator`);
    for (const [file, content] of expected) {
      const path = join(base, file);
      if (!existsSync(path)) problems.push(`${file}: missing`);
      else if (readFileSync(path, 'utf8') !== content)
        problems.push(`${file}: ${firstDifference(readFileSync(path, 'utf8'), content)}`);
    }
  }
  return problems;
}

function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((text, i) => text !== e[i]);
  const at = line === -1 ? a.length : line;
  return `differs from the spec at line ${at + 1}: committed ${JSON.stringify(a[at] ?? '')}, spec gives ${JSON.stringify(e[at] ?? '')}`;
}
