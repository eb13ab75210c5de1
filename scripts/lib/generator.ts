import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildDefinition } from './definition.js';
import { emitDefinition, emitOperations, header } from './emit.js';
import { loadSpec, root, type Vendor } from './vendors.js';

/** Generated files of one vendor, keyed by path relative to the repository root. */
export async function generateVendor(vendor: Vendor, base: string = root): Promise<Map<string, string>> {
  const spec = loadSpec(vendor);
  const specFile = basename(vendor.specPath);
  const { definition, operations } = buildDefinition(vendor.id, spec);
  const ast = await openapiTS(pathToFileURL(vendor.specPath), { silent: true });
  const dir = relative(base, join(vendor.packageDir, 'src', 'generated'));
  return new Map([
    // Shipped in the package, so users can mock the API they code against (`@smswire/x/openapi.yaml`).
    [relative(base, join(vendor.packageDir, 'openapi.yaml')), `# Copied by \`pnpm generate\` from specs/${specFile}. Do not edit.\n${readFileSync(vendor.specPath, 'utf8')}`],
    [join(dir, 'schema.ts'), header(specFile) + astToString(ast)],
    [join(dir, 'definition.ts'), emitDefinition(specFile, definition)],
    [join(dir, 'operations.ts'), emitOperations(specFile, spec.info.title, operations)],
  ]);
}
