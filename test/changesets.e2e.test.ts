import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { unknownPackages } from '../scripts/lib/changesets.js';
import { workspacePackages } from '../scripts/lib/pack.js';
import { root } from '../scripts/lib/vendors.js';

const packages = new Set(workspacePackages(root).map((p) => p.name));
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function changesets(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'smswire-changesets-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

it('accepts the repository’s own pending changesets', () => {
  expect(unknownPackages(join(root, '.changeset'), packages)).toEqual([]);
});

it('names a changeset that bumps a package that does not exist (release:dry then fails)', () => {
  const found = unknownPackages(
    changesets({
      'README.md': '# not a changeset',
      'good.md': "---\n'@smswire/core': patch\n---\n\nFix.\n",
      'typo.md': '---\n\'@smswire/dinisfot\': minor\n"@smswire/unified": patch\n---\n\nTypo.\n',
      'broken.md': 'no front matter\n',
    }),
    packages,
  );
  expect(found).toEqual([
    '.changeset/broken.md has no front matter',
    '.changeset/typo.md names @smswire/dinisfot, which is not a package here',
  ]);
});
