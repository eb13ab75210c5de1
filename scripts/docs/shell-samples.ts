import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../lib/vendors.js';

/**
 * Every shell sample of the docs, as the tests run it (test/docs/shell-samples.e2e.test.ts) against
 * the vendors' shipped mocks. The rules a sample is written to:
 *
 * - Each command is followed by the output it prints, as comment lines that start `# → `
 *   (stdout and stderr together, in order). A command with them must print exactly those lines;
 *   one without them is only held to exit 0. Other comments explain and are not checked.
 *   In an output line, `…` stands for any text: what the mock or the moment makes up (a key, a time).
 * - `'<your apiKey>'` and the like stand for the user's credentials; the mocks take any value.
 *   `<your baseUrl>` and the port 4010 stand for where the vendor's mock listens: the tests put
 *   the mock's URL and a free port there. Every vendor's `SMSWIRE_<VENDOR>_BASE_URL` points at its
 *   mock, as a user testing against `smswire mock` would set it.
 * - A command sent to the background with `&` (a mock) is waited for until it prints its first
 *   line, which is its output to check, and is stopped when the sample ends.
 * - A Markdown block right after `<!-- not run: <reason> -->` is not run, for the reason given
 *   (installing from the npm registry, a server the tests do not have); the test lists them.
 * - The blocks of one Markdown file run in order in one shell and one empty folder, so a later
 *   block sees the files and variables of an earlier one, as a reader who follows along would.
 */

export interface ShellBlock {
  /** Where it is, e.g. `docs/guides/unicode.md#2` or `sms365 smsSend`. */
  source: string;
  code: string;
  /** Why it is not run; undefined when it is. */
  notRun?: string | undefined;
}

/** A command of a sample and the output its `# → ` lines show. */
export interface Step {
  /** The command's lines (with continuations and here-documents). */
  command: string;
  expected: string[];
  background: boolean;
}

/** The Markdown files whose shell blocks are samples: the guides and every README. */
export function markdownSources(base: string = root): string[] {
  const guides = readdirSync(join(base, 'docs', 'guides'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/guides/${f}`);
  const readmes = readdirSync(join(base, 'packages'))
    .sort()
    .map((p) => `packages/${p}/README.md`)
    .filter((f) => {
      try {
        readFileSync(join(base, f));
        return true;
      } catch {
        return false;
      }
    });
  return [...guides, 'README.md', ...readmes];
}

/** The ```sh and ```bash blocks of a Markdown file, each with its `not run` reason if it has one. */
export function markdownShellBlocks(file: string, base: string = root): ShellBlock[] {
  const text = readFileSync(join(base, file), 'utf8');
  return [...text.matchAll(/(?:<!-- not run: ([^>]*?) -->\n)?^```(sh|bash|shell)\n([\s\S]*?)^```/gm)].map((m, i) => ({
    source: `${file}#${i + 1}`,
    code: m[3]!,
    notRun: m[1]?.trim(),
  }));
}

/**
 * The shell blocks of a page the docs build writes (the landing page): `<pre><code class="language-sh">`,
 * marked as not run the same way as in Markdown.
 */
export function htmlShellBlocks(page: string, html: string): ShellBlock[] {
  const plain = (escaped: string) =>
    escaped.replace(
      /&(lt|gt|quot|#39|amp);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!,
    );
  return [
    ...html.matchAll(
      /(?:<!-- not run: ([^>]*?) -->\n)?<pre><code class="language-(?:sh|bash)">([\s\S]*?)<\/code><\/pre>/g,
    ),
  ].map((m, i) => ({ source: `${page}#${i + 1}`, code: `${plain(m[2]!)}\n`, notRun: m[1]?.trim() }));
}

const output = /^# → ?(.*)$/;

/** A sample's commands, each with the output lines under it. */
export function steps(code: string): Step[] {
  const lines = code.split('\n');
  const found: Step[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) {
      if (output.test(line)) throw new Error(`an output line with no command above it: ${line}`);
      i++;
      continue;
    }
    const command = [line];
    const heredoc = /<<-?\s*'?(\w+)'?/.exec(line)?.[1];
    if (heredoc) {
      while (++i < lines.length && lines[i] !== heredoc) command.push(lines[i]!);
      command.push(lines[i] ?? heredoc);
    } else while (command.at(-1)!.endsWith('\\') && i + 1 < lines.length) command.push(lines[++i]!);
    i++;
    const expected: string[] = [];
    while (i < lines.length && output.test(lines[i]!)) expected.push(output.exec(lines[i++]!)![1]!);
    const text = command.join('\n');
    found.push({ command: text, expected, background: /&\s*(#.*)?$/.test(text) && !/&&\s*(#.*)?$/.test(text) });
  }
  return found;
}

/** The mark between the outputs of two steps, which no command prints. */
export const stepMark = '@@smswire-sample-step';

/**
 * One bash script that runs the steps in order and marks where each one's output ends and its exit
 * code; `& ` commands write to a file the script waits on, and are stopped at its end.
 */
export function script(list: Step[], timeoutSeconds = 120): string {
  const parts = ['exec 2>&1', `trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT`];
  list.forEach((step, i) => {
    if (step.background) {
      const command = step.command.replace(/&\s*(#.*)?$/, '');
      parts.push(
        `${command} > .background-${i} 2>&1 &`,
        `for _ in $(seq ${timeoutSeconds * 10}); do [ -s .background-${i} ] && break; sleep 0.1; done`,
        `head -n 1 .background-${i}`,
        `printf '\\n${stepMark} %s\\n' "$( [ -s .background-${i} ] && echo 0 || echo timeout)"`,
      );
    } else parts.push(step.command, `printf '\\n${stepMark} %s\\n' "$?"`);
  });
  return `${parts.join('\n')}\n`;
}

export interface StepRun {
  step: Step;
  exit: string;
  output: string[];
}

/** The script's output cut at the marks, one piece per step. */
export function splitRun(list: Step[], printed: string): StepRun[] {
  const runs: StepRun[] = [];
  let rest = printed;
  for (const step of list) {
    const at = rest.indexOf(`${stepMark} `);
    if (at < 0) break;
    const end = rest.indexOf('\n', at);
    const exit = rest.slice(at + stepMark.length + 1, end < 0 ? undefined : end);
    const lines = rest.slice(0, at).split('\n');
    // The mark starts on a line of its own: the newline before it is the script's, not the command's.
    lines.pop();
    if (lines.at(-1) === '') lines.pop();
    runs.push({ step, exit, output: lines });
    rest = end < 0 ? '' : rest.slice(end + 1);
  }
  return runs;
}

/** Whether an output line is what a `# → ` line shows, `…` standing for any text. */
export function matches(expected: string, actual: string): boolean {
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(actual.trimEnd());
}

/** What is wrong with a run: a step that did not exit 0, or printed other lines than it shows. */
export function problems(runs: StepRun[], list: Step[]): string[] {
  const found: string[] = [];
  if (runs.length < list.length) found.push(`only ${runs.length} of ${list.length} commands ran`);
  for (const { step, exit, output: lines } of runs) {
    const name = step.command.split('\n')[0]!;
    if (exit !== '0') found.push(`${name}: exit ${exit}\n${lines.join('\n')}`);
    else if (
      step.expected.length &&
      (lines.length !== step.expected.length || step.expected.some((line, i) => !matches(line, lines[i]!)))
    )
      found.push(`${name}: printed\n${lines.join('\n')}\nbut the sample shows\n${step.expected.join('\n')}`);
  }
  return found;
}

/** The sample with its placeholders for the mocks filled in. */
export function filled(code: string, mocks: Record<string, string>, port: number): string {
  return code
    .replace(/export SMSWIRE_(\w+?)_BASE_URL='?<your baseUrl>'?/g, (_, vendor: string) => {
      return `export SMSWIRE_${vendor}_BASE_URL=${mocks[vendor.toLowerCase()]}`;
    })
    .replace(/\b4010\b/g, String(port));
}
