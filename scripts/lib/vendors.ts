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

export function loadSpec(vendor: Vendor): Spec {
  return parse(readFileSync(vendor.specPath, 'utf8')) as Spec;
}
