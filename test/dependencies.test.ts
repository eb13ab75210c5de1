import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { listVendors, root } from '../scripts/lib/vendors.js';

/**
 * Dependencies run one way: the generator writes the vendor packages' tables in core's format,
 * so it may know core and nothing built on what it writes; core knows nothing of ours; vendors
 * sit on core; sms on the vendors and core; the command on all of those. Scripts, the docs
 * build and tests may use anything and are not checked.
 */
type Part = 'generator' | 'core' | 'vendor' | 'sms' | 'cli' | 'opentelemetry';

/** What each part may import, besides its own files. `core/internal` is the internal entry or core's sources. */
const allowed: Record<Part, readonly string[]> = {
  // Core's table types, and the checks the generator holds examples to (core's own schema check,
  // date encodings and XML codec), so it refuses what core would refuse.
  generator: ['core', 'core/internal'],
  core: [],
  vendor: ['core', 'core/internal'],
  sms: ['vendor', 'core', 'core/internal'],
  cli: ['sms', 'vendor', 'core', 'core/internal'],
  // The bridge knows smswire by its channels' names only.
  opentelemetry: [],
};

/**
 * Of core's internals, what sms and the command take (generated vendor code takes the client
 * factory and the table types, whatever the generator writes). docs/ARCHITECTURE.md, Packaging,
 * says why sharing them is safe.
 */
const internalsUsed: Partial<Record<Part, readonly string[]>> = {
  sms: [
    'ParamSchema',
    'VendorDefinition',
    'channel',
    'createRedactor',
    'parentEvent',
    'resolveLogger',
    'traced',
    'tracingChannel',
  ],
  cli: ['createRedactor', 'Redactor', 'redacted'],
};

/**
 * Known back edges, to be removed: none today. An edge that has to exist for a while is listed
 * here with its reason, and the test below fails once it is gone.
 */
const knownBackEdges: string[] = [];

interface Import {
  specifier: string;
  /** The names it takes; `*` for a namespace, a re-export of everything or a dynamic import. */
  names: string[];
}

/** Every module a file names: static imports and re-exports (type-only ones too), `import()` and `import('…')` types. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const names = [
        ...(clause?.name ? ['default'] : []),
        ...(clause?.namedBindings && ts.isNamedImports(clause.namedBindings)
          ? clause.namedBindings.elements.map((e) => (e.propertyName ?? e.name).text)
          : clause?.namedBindings
            ? ['*']
            : []),
      ];
      found.push({ specifier: node.moduleSpecifier.text, names });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const names =
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements.map((e) => (e.propertyName ?? e.name).text)
          : ['*'];
      found.push({ specifier: node.moduleSpecifier.text, names });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, names: ['*'] });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, names: [node.qualifier?.getText() ?? '*'] });
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
  return found;
}

const vendorIds = new Set(listVendors().map((v) => v.id));
const generatorEntries = ['scripts/generate.ts', 'scripts/check-generated.ts', 'scripts/new-vendor.ts'];

/** The part a repository file belongs to, with the vendor's id for a vendor; undefined for scripts and tests. */
function partOf(path: string): { part: Part; vendor?: string | undefined } | undefined {
  if (path.startsWith('scripts/codegen/') || generatorEntries.includes(path)) return { part: 'generator' };
  const inPackage = /^packages\/([^/]+)\/src\//.exec(path);
  if (!inPackage) return undefined;
  const name = inPackage[1]!;
  if (name === 'core' || name === 'sms' || name === 'cli' || name === 'opentelemetry') return { part: name };
  return vendorIds.has(name) ? { part: 'vendor', vendor: name } : undefined;
}

/** What a specifier names: a part (core's internals told apart from its public entries) or a repository file. */
function target(
  from: string,
  specifier: string,
): { to: string; vendor?: string | undefined; file?: string } | undefined {
  const entry = /^@smswire\/([^/]+)(?:\/(.+))?$/.exec(specifier);
  if (entry) {
    const [, name, sub] = entry;
    if (name === 'core') return { to: sub === 'internal' ? 'core/internal' : 'core' };
    if (name === 'sms' || name === 'cli' || name === 'opentelemetry') return { to: name };
    return vendorIds.has(name!) ? { to: 'vendor', vendor: name } : { to: `unlisted package @smswire/${name}` };
  }
  if (!specifier.startsWith('.')) return undefined;
  const file = relative(root, resolve(dirname(join(root, from)), specifier)).replace(/\.js$/, '.ts');
  const part = partOf(file);
  if (part?.part === 'core') return { to: 'core/internal', file };
  return part ? { to: part.part, vendor: part.vendor, file } : { to: 'other', file };
}

interface Edge {
  from: string;
  to: string;
  /** `from → … → to` through the files of scripts a generator file imports. */
  via: string[];
  names: string[];
}

/**
 * Every import from a part's file into another part. Scripts' own files are followed from the
 * generator's, so the generator cannot reach the runtime through a helper in scripts/lib.
 */
function edgesOf(sources: ReadonlyMap<string, string>): Edge[] {
  const edges: Edge[] = [];
  const follow = (file: string, from: string, via: string[], seen: Set<string>) => {
    const fromPart = partOf(from)!;
    for (const { specifier, names } of importsOf(file, sources.get(file) ?? '')) {
      const hit = target(file, specifier);
      if (!hit) continue;
      if (hit.to === 'other') {
        if (fromPart.part === 'generator' && hit.file && sources.has(hit.file) && !seen.has(hit.file)) {
          seen.add(hit.file);
          follow(hit.file, from, [...via, hit.file], seen);
        }
        continue;
      }
      const own =
        fromPart.part === 'vendor'
          ? hit.to === 'vendor' && hit.vendor === fromPart.vendor
          : hit.to === fromPart.part || (fromPart.part === 'core' && hit.to === 'core/internal');
      if (own) continue;
      edges.push({ from, to: hit.to, via: hit.file ? [...via, hit.file] : via, names });
    }
  };
  for (const file of sources.keys()) if (partOf(file)) follow(file, file, [], new Set([file]));
  return edges;
}

/** The edges `allowed` does not list, as `file → part (files)` lines. */
function forbidden(edges: readonly Edge[]): string[] {
  const lines = edges.flatMap((edge) => {
    const part = partOf(edge.from)!.part;
    const internals = internalsUsed[part];
    const ok =
      allowed[part].includes(edge.to) &&
      !(edge.to === 'core/internal' && internals && edge.names.some((n) => !internals.includes(n)));
    if (ok) return [];
    const what = edge.to === 'core/internal' && internals ? ` { ${edge.names.join(', ')} }` : '';
    return [`${edge.from} → ${edge.to}${what}${edge.via.length ? ` (${edge.via.join(' → ')})` : ''}`];
  });
  return [...new Set(lines)].sort();
}

function repositorySources(): Map<string, string> {
  const files = [
    ...readdirSync(join(root, 'packages')).map((name) => join('packages', name, 'src')),
    'scripts',
  ].flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
      .map((e) => relative(root, join(e.parentPath, e.name))),
  );
  return new Map(files.map((file) => [file, readFileSync(join(root, file), 'utf8')]));
}

describe('dependencies between packages and folders', () => {
  const edges = edgesOf(repositorySources());

  it('run one way: no edge outside the allowed list but the known back edges', () => {
    expect(forbidden(edges).filter((line) => !knownBackEdges.includes(line))).toEqual([]);
  });

  it('the known back edges still exist (remove an entry once its edge is gone)', () => {
    expect(knownBackEdges.filter((line) => !forbidden(edges).includes(line))).toEqual([]);
  });

  it('every package is one of the parts above (a new one is placed in them first)', () => {
    const unplaced = readdirSync(join(root, 'packages')).filter((name) => !partOf(`packages/${name}/src/index.ts`));
    expect(unplaced).toEqual([]);
  });

  it('sees every kind of import, into every part, and through a helper in scripts', () => {
    const fake = new Map([
      ['packages/core/src/a.ts', "import type { X } from '@smswire/sms';\nexport type A = X;\n"],
      ['packages/core/src/b.ts', "export { y } from '../../dinisoft/src/index.js';\nimport './c.js';\n"],
      ['packages/core/src/c.ts', "export const c = () => import('@smswire/cli');\n"],
      ['packages/dinisoft/src/d.ts', "type T = import('@smswire/dreams').Client;\nimport '../../sms/src/x.js';\n"],
      ['packages/sms/src/e.ts', "import { createVendorClient } from '@smswire/core/internal';\n"],
      ['packages/sms/src/f.ts', "import type { VendorDefinition } from '@smswire/core/internal';\n"],
      ['scripts/codegen/g.ts', "import { h } from '../lib/h.js';\nconst s = `import { x } from '@smswire/sms';`;\n"],
      ['scripts/lib/h.ts', "export { h } from '../../packages/cli/src/prism.js';\n"],
    ]);
    expect(forbidden(edgesOf(fake))).toEqual([
      'packages/core/src/a.ts → sms',
      'packages/core/src/b.ts → vendor (packages/dinisoft/src/index.ts)',
      'packages/core/src/c.ts → cli',
      'packages/dinisoft/src/d.ts → sms (packages/sms/src/x.ts)',
      'packages/dinisoft/src/d.ts → vendor',
      'packages/sms/src/e.ts → core/internal { createVendorClient }',
      'scripts/codegen/g.ts → cli (scripts/lib/h.ts → packages/cli/src/prism.ts)',
    ]);
  });

  it('a package using core/internal is in the fixed release group and takes core at exactly its version', () => {
    const config = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
    const fixed: string[][] = config.fixed;
    const users = new Set(
      edges.filter((e) => e.to === 'core/internal' && e.from.startsWith('packages/')).map((e) => e.from.split('/')[1]!),
    );
    // Every generated client does: the check below has something to check.
    expect([...users]).toEqual(expect.arrayContaining([...vendorIds]));
    for (const name of users) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'));
      const group = fixed.find((g) => g.some((pattern) => matches(pattern, manifest.name)));
      expect(group, `${manifest.name} in a fixed group with @smswire/core`).toBeDefined();
      expect(group!.some((pattern) => matches(pattern, '@smswire/core'))).toBe(true);
      expect(manifest.dependencies['@smswire/core'], manifest.name).toBe('workspace:*');
      // A peer of a package in its own fixed group: changesets would make every minor release a
      // major of the whole group unless only a peer leaving its range counts (ARCHITECTURE.md, Packaging).
      const peers = Object.keys(manifest.peerDependencies ?? {}).filter((peer) =>
        group!.some((pattern) => matches(pattern, peer)),
      );
      if (peers.length > 0)
        expect(config.___experimentalUnsafeOptions_WILL_CHANGE_IN_PATCH?.onlyUpdatePeerDependentsWhenOutOfRange).toBe(
          true,
        );
    }
  });
});

/** A changesets package pattern: a name, or a scope with `*`. */
function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}
