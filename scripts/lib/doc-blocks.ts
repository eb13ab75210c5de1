import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { main, type Io } from '../../packages/cli/src/main.js';
import { root } from './vendors.js';

export interface DocBlock {
  /** Where it came from, e.g. `docs/guides/delivery-reports.md#2`. */
  source: string;
  lang: 'ts' | 'sh' | 'json';
  code: string;
}

/**
 * Every ```ts, ```sh and ```json block of the guides in docs/guides/, in file order. A JSON block
 * (a shape the guide shows, such as a forwarded event) must parse; ts and sh blocks are checked by
 * the tests that take them.
 */
export function guideBlocks(base: string = root): DocBlock[] {
  const dir = join(base, 'docs', 'guides');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .flatMap((f) => {
      const file = join(dir, f);
      return [...readFileSync(file, 'utf8').matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m, i) => {
        const lang =
          m[1] === 'ts' || m[1] === 'typescript'
            ? 'ts'
            : m[1] === 'sh' || m[1] === 'bash'
              ? 'sh'
              : m[1] === 'json'
                ? 'json'
                : undefined;
        if (!lang)
          throw new Error(`${relative(base, file)}#${i + 1}: a code block must be \`\`\`ts, \`\`\`sh or \`\`\`json`);
        if (lang === 'json') JSON.parse(m[2]!);
        return { source: `${relative(base, file)}#${i + 1}`, lang, code: m[2]! };
      });
    });
}

const helps = new Map<string, Promise<Set<string> | undefined>>();

/** `helpOf` once per command name: every shell line of every guide asks again. */
function flagsOf(name: string): Promise<Set<string> | undefined> {
  let flags = helps.get(name);
  if (!flags) {
    flags = helpOf(name);
    helps.set(name, flags);
  }
  return flags;
}

/** The `--flags` the command `smswire <name>` lists in its help, or undefined when it has no such command. */
async function helpOf(name: string): Promise<Set<string> | undefined> {
  let text = '';
  const sink = new PassThrough().on('data', (chunk: Buffer) => {
    text += chunk;
  });
  const io: Io = { env: {}, stdin: process.stdin, stdout: sink, stderr: sink };
  const code = await main([name, '--help'], io);
  if (code !== 0 || !text.startsWith(`Usage: smswire ${name} `)) return undefined;
  return new Set([...text.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]).concat('--json', '--env-file'));
}

/**
 * What is wrong with the `smswire` lines of a shell block, held to the command itself (its help):
 * a command it does not have, a flag that command does not take, or a vendor that is not one.
 * Other lines are left to `bash -n`.
 */
export async function commandProblems(code: string, vendors: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const line of code.split('\n')) {
    const words = line.trim().split(/\s+/);
    const at = words.indexOf('smswire');
    if (at < 0 || (at > 0 && !/^(\||&&|;|\$\(|[A-Z_]+=\S*)$/.test(words[at - 1]!))) continue;
    const command = words[at + 1] ?? '';
    const flags = /^[a-z]+$/.test(command) ? await flagsOf(command) : undefined;
    if (!flags) {
      problems.push(`${line.trim()}: smswire has no command ${command}`);
      continue;
    }
    for (const [i, word] of words.entries()) {
      const flag = /^--[a-z][a-z-]*/.exec(word)?.[0];
      if (i > at && flag && !flags.has(flag)) problems.push(`${line.trim()}: smswire ${command} has no ${flag}`);
      if (word === '--vendor' && !vendors.includes(words[i + 1] ?? ''))
        problems.push(`${line.trim()}: ${words[i + 1]} is not a vendor`);
    }
  }
  return problems;
}
