import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';

/** The Markdown a reader is sent to: the top-level pages, docs/ and each package's README. */
function docs(): string[] {
  const inDocs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join('docs', file));
  const readmes = readdirSync(join(root, 'packages'))
    .map((name) => join('packages', name, 'README.md'))
    .filter((file) => existsSync(join(root, file)));
  return ['README.md', 'CONTRIBUTING.md', ...inDocs, ...readmes];
}

// A path from the repository root, as prose and code name them: one of the repository's
// top-level folders, then anything a file name holds. Placeholders (`<vendor>`, `*`, `${id}`)
// mark a pattern, not a path.
const rooted = /(?<![\w./@-])((?:packages|scripts|specs|docs|test|\.changeset|\.ci)\/[\w./@-]*[\w/])/g;
const link = /\]\(([^)\s]+)\)/g;
const pattern = /[<>*{}$]/;

/** Every repository path `text` (the Markdown of `doc`) names: its relative links and the paths it spells from the root. */
function pathsNamed(doc: string, text: string): string[] {
  const found = new Set<string>();
  for (const [, target] of text.matchAll(link)) {
    if (/^[a-z]+:|^#|^\//i.test(target!)) continue;
    const path = decodeURI(target!.replace(/#.*$/, ''));
    if (path) found.add(relative(root, resolve(root, dirname(doc), path)));
  }
  for (const match of text.matchAll(rooted)) {
    const after = text[match.index! + match[0].length];
    if (after !== undefined && pattern.test(after)) continue;
    found.add(match[1]!.replace(/\/$/, ''));
  }
  return [...found].filter((path) => !pattern.test(path));
}

/** The sections cited by name as `(docs/x.md, "Section")` (or `"A" and "B"`) in `text`, as `docs/x.md#Section`. */
function sectionsCited(text: string): { doc: string; section: string }[] {
  return [...text.matchAll(/(docs\/[\w./-]+\.md), ((?:"[^"\n]+"(?: and | or |, )?)+)/g)].flatMap(([, doc, names]) =>
    [...names!.matchAll(/"([^"]+)"/g)].map(([, section]) => ({ doc: doc!, section: section! })),
  );
}

/** A Markdown file's headings, without their `#`s. */
const headings = (doc: string) =>
  [...readFileSync(join(root, doc), 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map(([, heading]) => heading!.trim());

describe('every repository path a doc names exists', () => {
  it.each(docs())('%s', (doc) => {
    const missing = pathsNamed(doc, readFileSync(join(root, doc), 'utf8')).filter(
      (path) => !existsSync(join(root, path)),
    );
    expect(missing).toEqual([]);
  });

  it('every section a comment or doc cites by name, as (docs/x.md, "Section"), is a heading of that doc', () => {
    const files = ['packages', 'scripts', 'test', 'docs']
      .flatMap((dir) =>
        readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)),
      )
      // This file's own examples are not citations.
      .filter((file) => /\.(ts|md)$/.test(file) && !/node_modules|\/dist\/|doc-paths\.test/.test(file));
    const missing = files.flatMap((file) =>
      sectionsCited(readFileSync(join(root, file), 'utf8'))
        .filter(({ doc, section }) => !existsSync(join(root, doc)) || !headings(doc).includes(section))
        .map(({ doc, section }) => `${file}: ${doc}, "${section}"`),
    );
    expect(missing).toEqual([]);
    expect(sectionsCited('(docs/benchmarks.md, "Reply text" and "Cold"); docs/x.md, "Y".')).toEqual([
      { doc: 'docs/benchmarks.md', section: 'Reply text' },
      { doc: 'docs/benchmarks.md', section: 'Cold' },
      { doc: 'docs/x.md', section: 'Y' },
    ]);
  });

  it('reads links (relative to the doc, anchors dropped) and paths spelled from the root, not patterns', () => {
    const text = [
      'See [the guide](guides/unicode.md#parts), [home](https://example.com) and [top](#top).',
      'Its mock is Prism behind `scripts/lib/dispatch.ts`, which routes by root element;',
      'each vendor in packages/<vendor>/src/generated/ and `packages/*/README.md`, see scripts/codegen/.',
    ].join('\n');
    expect(pathsNamed('docs/ARCHITECTURE.md', text).sort()).toEqual([
      'docs/guides/unicode.md',
      'scripts/codegen',
      'scripts/lib/dispatch.ts',
    ]);
  });
});
