import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadSpec, root, type Vendor } from '../lib/vendors.js';
import { clientShape } from './client-options.js';
import { buildDefinition } from './definition.js';
import { emitClient } from './emit-client.js';
import { emitDefinition } from './emit-definition.js';
import { emitOperations } from './emit-operations.js';
import { withRetries } from './emit-readme.js';
import { format } from './format.js';
import { header } from './header.js';
import type { Spec } from './spec.js';

/** Generated files of one vendor, keyed by path relative to the repository root. */
export async function generateVendor(vendor: Vendor, base: string = root): Promise<Map<string, string>> {
  const spec = loadSpec(vendor) as Spec;
  const specFile = basename(vendor.specPath);
  const built = buildDefinition(vendor.id, spec);
  const ast = await openapiTS(pathToFileURL(vendor.specPath), { silent: true });
  const dir = relative(base, join(vendor.packageDir, 'src', 'generated'));
  const ids = built.operations.map((o) => o.id);
  const codecs = new Set(built.operations.map((o) => o.definition.reply.codec));
  const typescript: [string, string][] = [
    ['schema.ts', header(specFile) + astToString(ast)],
    ['definition.ts', emitDefinition(specFile, built)],
    ['operations.ts', emitOperations(specFile, spec.info.title, built.operations)],
    ['client.ts', emitClient(specFile, spec.info.title, clientShape(vendor.id, spec, built), ids, codecs)],
  ];
  const files = new Map<string, string>([
    // Shipped in the package, so users can mock the API they code against (`@smswire/x/openapi.yaml`).
    [relative(base, join(vendor.packageDir, 'openapi.yaml')), `# Copied by \`pnpm generate\` from specs/${specFile}. Do not edit.\n${readFileSync(vendor.specPath, 'utf8')}`],
    ...typescript.map(([file, source]): [string, string] => [join(dir, file), format(join(relative(base, vendor.packageDir), 'src', 'generated', file), source)]),
  ]);
  const readme = join(vendor.packageDir, 'README.md');
  if (existsSync(readme)) files.set(relative(base, readme), withRetries(readFileSync(readme, 'utf8'), built.definition, relative(base, readme)));
  return files;
}
