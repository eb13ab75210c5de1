import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pending changesets (`.changeset/*.md` except the README). */
export function pendingChangesets(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.md') && file !== 'README.md');
}

/** Every package a pending changeset names that is not in `packages`. */
export function unknownPackages(dir: string, packages: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const file of pendingChangesets(dir)) {
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(join(dir, file), 'utf8'))?.[1];
    if (front === undefined) {
      problems.push(`.changeset/${file} has no front matter`);
      continue;
    }
    for (const line of front.split(/\r?\n/).filter((l) => l.trim())) {
      const name = /^\s*['"]?([^'"]+?)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line)?.[1];
      if (!name) problems.push(`.changeset/${file}: cannot read "${line}"`);
      else if (!packages.has(name)) problems.push(`.changeset/${file} names ${name}, which is not a package here`);
    }
  }
  return problems;
}
