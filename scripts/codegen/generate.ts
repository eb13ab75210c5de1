import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadSpec, root, type Vendor } from '../lib/vendors.js';
import { clientShape } from './client-options.js';
import { type BuiltVendor, buildDefinition } from './build-definition.js';
import { emitClient } from './emit-client.js';
import { emitDefinition } from './emit-definition.js';
import { emitOperations } from './emit-operations.js';
import { withRetries } from './emit-readme.js';
import { formatAll } from './format.js';
import { header } from './header.js';
import { resolve } from './spec.js';

/** Generated files of one vendor, keyed by path relative to the repository root. */
export async function generateVendor(vendor: Vendor, base: string = root): Promise<Map<string, string>> {
  const document = loadSpec(vendor);
  const specFile = basename(vendor.specPath);
  const built = buildDefinition(vendor.id, document);
  const { title } = built.spec;
  const ast = await openapiTS(typesSource(vendor, document, built), { silent: true });
  const dir = relative(base, join(vendor.packageDir, 'src', 'generated'));
  const ids = built.operations.map((o) => o.id);
  const codecs = new Set(built.operations.map((o) => o.definition.reply.codec));
  const typescript: [string, string][] = [
    ['schema.ts', header(specFile) + astToString(ast)],
    ['definition.ts', emitDefinition(specFile, built)],
    ['operations.ts', emitOperations(specFile, title, built.operations)],
    ['client.ts', emitClient(specFile, title, clientShape(built), ids, codecs)],
  ];
  const formatted = formatAll(new Map(typescript.map(([file, source]) => [join(dir, file), source])));
  const files = new Map<string, string>([
    // Shipped in the package, so users can mock the API they code against (`@smswire/x/openapi.yaml`).
    [
      relative(base, join(vendor.packageDir, 'openapi.yaml')),
      `# Copied by \`pnpm generate\` from specs/${specFile}. Do not edit.\n${readFileSync(vendor.specPath, 'utf8')}`,
    ],
    ...formatted,
  ]);
  const readme = join(vendor.packageDir, 'README.md');
  if (existsSync(readme))
    files.set(
      relative(base, readme),
      withRetries(readFileSync(readme, 'utf8'), built.definition, relative(base, readme)),
    );
  return files;
}

/**
 * What openapi-typescript types: the spec, except a body's `anyOf` of required sets, which it
 * would type as `{ … } | unknown` and so lose every parameter's type. The client checks those
 * sets itself (`requiredAnyOf`).
 */
function typesSource(vendor: Vendor, document: object, built: BuiltVendor): URL | Buffer {
  const withSets = built.operations.filter((o) => o.definition.requiredAnyOf);
  if (withSets.length === 0) return pathToFileURL(vendor.specPath);
  // openapi-typescript reads the document itself; this copy is the one place it is edited.
  const copy = structuredClone(document);
  /** The member `key` of a node of the copy, its `$ref` followed. */
  const child = (node: unknown, key: string): unknown =>
    resolve(
      copy,
      typeof node === 'object' && node !== null ? Object.getOwnPropertyDescriptor(node, key)?.value : undefined,
    );
  for (const { definition } of withSets) {
    const op = child(child(child(copy, 'paths'), definition.path), definition.method);
    const content = child(child(op, 'requestBody'), 'content');
    for (const type of typeof content === 'object' && content !== null ? Object.keys(content) : []) {
      const schema = child(child(content, type), 'schema');
      if (typeof schema === 'object' && schema !== null) Reflect.deleteProperty(schema, 'anyOf');
    }
  }
  // As text, the form openapi-typescript parses the file in: its own reading, not a cast.
  return Buffer.from(JSON.stringify(copy));
}

/** Writes one vendor's generated files under `base`; returns their paths. */
export async function writeVendor(vendor: Vendor, base: string = root): Promise<string[]> {
  const files = await generateVendor(vendor, base);
  // Start clean so a file the generator no longer writes does not linger.
  rmSync(join(vendor.packageDir, 'src', 'generated'), { recursive: true, force: true });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), content);
  }
  return [...files.keys()];
}
