import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root, whichever script or test imports this. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Vendor {
  /** File name of the spec without extension; also the package folder and the npm name suffix. */
  id: string;
  specPath: string;
  packageDir: string;
  packageName: string;
}

/** The one list of vendors: every `specs/*.yaml`. Adding a spec adds a vendor everywhere. */
export function listVendors(base: string = root): Vendor[] {
  return readdirSync(join(base, 'specs'))
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const id = file.slice(0, -'.yaml'.length);
      return {
        id,
        specPath: join(base, 'specs', file),
        packageDir: join(base, 'packages', id),
        packageName: `@smswire/${id}`,
      };
    });
}

// biome-ignore lint/suspicious/noExplicitAny: a spec document as parsed from YAML, before the generator checks it
export type Spec = Record<string, any>;

const parsed = new Map<string, { text: string; spec: Spec }>();

/**
 * The vendor's spec, parsed. Parsing the YAML costs far more than copying the result, and the
 * sweeps load every spec in every file, so each text is parsed once; each caller gets its own copy.
 */
export function loadSpec(vendor: Vendor): Spec {
  const text = readFileSync(vendor.specPath, 'utf8');
  let entry = parsed.get(vendor.specPath);
  if (entry?.text !== text) {
    entry = { text, spec: parse(text) as Spec };
    parsed.set(vendor.specPath, entry);
  }
  return structuredClone(entry.spec);
}
