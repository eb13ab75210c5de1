import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../vitest.config.js';
import { root } from '../scripts/lib/vendors.js';

interface Tier {
  name: string;
  include: RegExp[];
  exclude: RegExp[];
}

/**
 * A glob of vitest.config.ts as a RegExp: `**` any folders, `*` any part of a name. The config
 * uses nothing else; a glob with more is refused rather than read differently from vitest.
 */
function globToRegExp(glob: string): RegExp {
  if (/[?[\]{}()!+@|\\]/.test(glob)) throw new Error(`${glob}: a glob this test cannot read`);
  const parts = glob.split('/');
  const source = parts
    .map((part, i) => {
      if (part === '**') return i === parts.length - 1 ? '.*' : '(?:[^/]+/)*';
      const name = part.replace(/[.^$]/g, '\\$&').replace(/\*/g, '[^/]*');
      return i === parts.length - 1 ? name : `${name}/`;
    })
    .join('');
  return new RegExp(`^${source}$`);
}

/** The tiers vitest.config.ts defines, each with the globs that select its files. */
function tiers(): Tier[] {
  const projects = (config.test?.projects ?? []) as {
    test?: { name?: string; include?: string[]; exclude?: string[] };
  }[];
  return projects.map(({ test }) => ({
    name: test!.name!,
    include: (test!.include ?? []).map(globToRegExp),
    exclude: (test!.exclude ?? []).map(globToRegExp),
  }));
}

/** The names of the tiers that run `file` (a path from the repository root). */
const tiersOf = (file: string, all: Tier[]) =>
  all
    .filter((tier) => tier.include.some((re) => re.test(file)) && !tier.exclude.some((re) => re.test(file)))
    .map((tier) => tier.name);

/** Every file of the repository named as a test, outside dependencies, builds and dot-folders. */
function testFiles(dir = ''): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      return /^(\.|node_modules$|dist$)/.test(entry.name) ? [] : testFiles(path);
    }
    return /\.(test|spec)\.[cm]?[jt]sx?$/.test(entry.name) ? [path] : [];
  });
}

describe('test tiers', () => {
  const all = tiers();
  const files = testFiles();

  it('are named by the file: name.test.ts unit, .int integration, .contract contract, .e2e e2e', () => {
    expect(all.map((tier) => tier.name)).toEqual(['unit', 'integration', 'contract', 'e2e']);
    expect(
      [
        'packages/sms/test/ledger.test.ts',
        'test/cli/x.test.ts',
        'packages/sms/test/deep/x.int.test.ts',
        'test/faults.int.test.ts',
        'test/contract/x.contract.test.ts',
        'test/cli/x.e2e.test.ts',
        // A tier this config does not know, and places vitest does not look: no tier.
        'test/x.integration.test.ts',
        'packages/sms/src/x.test.ts',
        'scripts/x.test.ts',
        'test/node_modules/x.test.ts',
      ].map((file) => [file, tiersOf(file, all)]),
    ).toEqual([
      ['packages/sms/test/ledger.test.ts', ['unit']],
      ['test/cli/x.test.ts', ['unit']],
      ['packages/sms/test/deep/x.int.test.ts', ['integration']],
      ['test/faults.int.test.ts', ['integration']],
      ['test/contract/x.contract.test.ts', ['contract']],
      ['test/cli/x.e2e.test.ts', ['e2e']],
      ['test/x.integration.test.ts', []],
      ['packages/sms/src/x.test.ts', []],
      ['scripts/x.test.ts', []],
      ['test/node_modules/x.test.ts', []],
    ]);
  });

  it('hold every test file of the repository in exactly one tier', () => {
    expect(files.length).toBeGreaterThan(50);
    const wrong = files.map((file) => ({ file, tiers: tiersOf(file, all) })).filter(({ tiers }) => tiers.length !== 1);
    expect(wrong).toEqual([]);
  });

  it('share one tier in each folder below test/ or a package test/, so a new file there is named like the rest', () => {
    const byFolder = new Map<string, Set<string>>();
    for (const file of files.filter((path) => /^(packages\/[^/]+\/)?test\/.+\//.test(path))) {
      const folder = file.slice(0, file.lastIndexOf('/'));
      const tiers = byFolder.get(folder) ?? new Set();
      for (const tier of tiersOf(file, all)) tiers.add(tier);
      byFolder.set(folder, tiers);
    }
    const mixed = [...byFolder].filter(([, tiers]) => tiers.size > 1).map(([folder, tiers]) => [folder, [...tiers]]);
    expect(byFolder.size).toBeGreaterThan(3);
    expect(mixed).toEqual([]);
  });

  it('start no process in the unit tier: a test that does is .int or .e2e', () => {
    const spawning = files.filter(
      (file) =>
        tiersOf(file, all).includes('unit') &&
        /from '(node:)?(child_process|worker_threads)'/.test(readFileSync(join(root, file), 'utf8')),
    );
    expect(spawning).toEqual([]);
  });
});
