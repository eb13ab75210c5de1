import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';

/**
 * An array spread into a call's arguments overflows the stack past about 120,000 elements
 * (`Math.max(...times)` with a campaign's final reports, `push(...lines)`): in what ships, a
 * spread into these calls needs a bound the code can name. The places with one are listed here
 * with it; a new one fails until it is a loop or listed.
 */
const spreadCalls = /^(Math\.(min|max)|String\.fromCharCode|.*\.(push|unshift|splice))$/;
const bounded: { file: string; call: string; bound: string }[] = [
  { file: 'packages/core/src/redact.ts', call: 'String.fromCharCode', bound: "a credential's bytes" },
  { file: 'packages/sms/src/track.ts', call: 'changes.push', bound: 'one vendor page or status batch (at most 1,000)' },
  {
    file: 'packages/sms/src/send-many.ts',
    call: 'Math.max(1, ...context.vendors',
    bound: 'the vendors of one createSms',
  },
  { file: 'packages/cli/src/campaign-page.ts', call: 'Math.max(1, ...bars', bound: 'the bars of one chart (a dozen)' },
  { file: 'packages/cli/src/campaign-page.ts', call: 'Math.max(1, ...overTime', bound: 'at most 48 time buckets' },
];

function runtimeSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((path) => /\/packages\/[^/]+\/src\//.test(path) && !path.includes('/generated/'));
}

it('no array is spread into Math.min/max, String.fromCharCode or push in what ships, unless its bound is named', () => {
  const found: string[] = [];
  for (const path of runtimeSources(join(root, 'packages'))) {
    const file = relative(root, path);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (
        ts.isCallExpression(node) &&
        spreadCalls.test(node.expression.getText(source)) &&
        node.arguments.some((a) => ts.isSpreadElement(a) && !ts.isArrayLiteralExpression(a.expression))
      ) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const text = node.getText(source);
        if (!bounded.some((b) => b.file === file && text.startsWith(b.call)))
          found.push(`${file}:${line + 1} ${text.slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(found).toEqual([]);
});
