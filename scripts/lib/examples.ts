import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Example {
  /** Where it came from, e.g. `packages/unified/README.md#2`. */
  source: string;
  code: string;
}

/** Every ```ts block of the root README, the package READMEs and docs/. */
export function extractExamples(base: string): Example[] {
  const files = [
    join(base, 'README.md'),
    ...readdirSync(join(base, 'packages')).map((p) => join(base, 'packages', p, 'README.md')),
    ...readdirSync(join(base, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => join(base, 'docs', f)),
  ].filter((file) => existsSync(file));
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)].map((match, i) => ({
      source: `${relative(base, file)}#${i + 1}`,
      code: match[1]!,
    })),
  );
}
