import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';

/** A file's relative imports and re-exports, type-only ones included, as the paths of the files they name. */
function importsIn(file: string, text: string): string[] {
  return [...text.matchAll(/\b(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?'(\.{1,2}\/[^']+)'/g)].map((m) =>
    resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
  );
}

/** The first import cycle in `sources` (path → text), as the files around it, or undefined. */
function findCycle(sources: ReadonlyMap<string, string>): string[] | undefined {
  const graph = new Map([...sources].map(([file, text]) => [file, importsIn(file, text)]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done' || !graph.has(file)) return undefined;
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file];
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file)!) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

function sources(dir: string): Map<string, string> {
  return new Map(
    readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name))
      .map((file) => [file, readFileSync(file, 'utf8')]),
  );
}

// A cycle lets load order decide what is defined when, and says two files are one concern.
it.each(readdirSync(join(root, 'packages')))('packages/%s/src has no import cycle', (name) => {
  const cycle = findCycle(sources(join(root, 'packages', name, 'src')));
  expect(cycle?.map((file) => relative(root, file)).join(' → ')).toBeUndefined();
});

it('sees a cycle through type-only imports and re-exports, as core had between its tables and codec context', () => {
  const a = join(root, 'a.ts');
  const b = join(root, 'codecs', 'b.ts');
  const cyclic = new Map([
    [a, "import type {\n  B,\n} from './codecs/b.js';\nexport type A = B;\n"],
    [b, "export type { A } from '../a.js';\nexport type B = 1;\n"],
  ]);
  expect(findCycle(cyclic)).toEqual([a, b, a]);
  expect(
    findCycle(
      new Map([
        [a, "import type { B } from './codecs/b.js';\n"],
        [b, 'export type B = 1;\n'],
      ]),
    ),
  ).toBe(undefined);
});
