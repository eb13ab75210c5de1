import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './vendors.js';

export interface DocBlock {
  /** Where it came from, e.g. `docs/guides/delivery-reports.md#2`. */
  source: string;
  lang: 'ts' | 'sh';
  code: string;
}

/** Every ```ts and ```sh block of the guides in docs/guides/, in file order. */
export function guideBlocks(base: string = root): DocBlock[] {
  const dir = join(base, 'docs', 'guides');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => {
      const file = join(dir, f);
      return [...readFileSync(file, 'utf8').matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m, i) => {
        const lang =
          m[1] === 'ts' || m[1] === 'typescript' ? 'ts' : m[1] === 'sh' || m[1] === 'bash' ? 'sh' : undefined;
        if (!lang) throw new Error(`${relative(base, file)}#${i + 1}: a code block must be \`\`\`ts or \`\`\`sh`);
        return { source: `${relative(base, file)}#${i + 1}`, lang, code: m[2]! };
      });
    });
}

/** The commands of `smswire`, DESIGN.md "The command". */
export const commands = [
  'send',
  'bulk',
  'balance',
  'status',
  'segments',
  'vendors',
  'mock',
  'report',
  'reconcile',
  'login',
] as const;

/**
 * What is wrong with the `smswire` lines of a shell block: a command the tool does not have, or a
 * vendor that is not one. Other lines are left to `bash -n`.
 */
export function commandProblems(code: string, vendors: readonly string[]): string[] {
  const problems: string[] = [];
  for (const line of code.split('\n')) {
    const words = line.trim().split(/\s+/);
    const at = words.indexOf('smswire');
    if (at < 0 || (at > 0 && !/^(\||&&|;|\$\(|[A-Z_]+=\S*)$/.test(words[at - 1]!))) continue;
    const command = words[at + 1];
    if (!commands.includes(command as (typeof commands)[number]))
      problems.push(`${line.trim()}: smswire has no command ${command}`);
    for (const [i, word] of words.entries()) {
      if (word === '--vendor' && !vendors.includes(words[i + 1] ?? ''))
        problems.push(`${line.trim()}: ${words[i + 1]} is not a vendor`);
    }
  }
  return problems;
}
