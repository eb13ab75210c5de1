import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CodeSample, codeSamples, sampleLabels, type VendorSamples } from '../scripts/docs/code-samples.js';
import { commandProblems, guideBlocks } from '../scripts/lib/doc-blocks.js';
import { listVendors, loadSpec, root, type Spec } from '../scripts/lib/vendors.js';

/**
 * Every code sample of the reference pages and every code block of the guides, type-checked
 * against the workspace packages (test/package/install.e2e.test.ts checks the samples against the
 * packages as published), and every shell line that runs `smswire` held to the command's
 * commands (DESIGN.md "The command").
 */
const run = promisify(execFile);
const vendors = listVendors();
const generated = new Map<string, VendorSamples>();
let dir: string;

beforeAll(async () => {
  for (const vendor of vendors) generated.set(vendor.id, await codeSamples(vendor));
  mkdirSync(join(root, '.tmp'), { recursive: true });
  dir = mkdtempSync(join(root, '.tmp', 'samples-'));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const samplesOf = (id: string) => [...generated.get(id)!.samples.entries()];

describe.each(vendors)('the $id reference page', (vendor) => {
  const spec = loadSpec(vendor);
  const ids = Object.values<Spec>(spec.paths).flatMap((item) => Object.values<Spec>(item).map((op) => op.operationId));

  it('has a TypeScript sample for every operation, calling it with exactly its credentials', () => {
    const samples = generated.get(vendor.id)!.samples;
    expect([...samples.keys()]).toEqual(ids);
    for (const [id, list] of samples) {
      const [first] = list;
      expect(first?.label, id).toBe('TypeScript');
      expect(first?.source, id).toContain(`from '${vendor.packageName}'`);
      expect(first?.source, id).toContain(`client.${id}(`);
      // The decoded first documented reply, under the call.
      expect(first?.source, id).toMatch(/\/\/ → /);
      expect(first?.source, id).toContain('instanceof VendorError');
      for (const label of list.map((s) => s.label)) expect(sampleLabels).toContain(label);
    }
  });

  it('shows the @smswire/sms call and the command for the operations the adapter makes, and only those', () => {
    const facts = generated.get(vendor.id)!.facts;
    for (const [id, list] of samplesOf(vendor.id)) {
      const neutral = facts?.calls.get(id);
      expect(
        list.map((s) => s.label),
        id,
      ).toEqual(neutral ? sampleLabels : ['TypeScript']);
    }
  });
});

it('the adapters are seen making the calls their sources name', () => {
  // packages/sms/src/sms365.ts: "sms365 through `smsSend` … Status is `statusSms`, balance `meBalance`",
  // and `sendMany` uses `smsBulk`.
  const uses = Object.fromEntries([...generated.get('sms365')!.facts!.calls].map(([id, call]) => [id, call.use]));
  expect(uses).toEqual({ smsSend: 'send', statusSms: 'status', meBalance: 'balance', smsBulk: 'batch' });
  // packages/sms/src/unified.ts: "Unified through `bulksms`, or `schedulemsg` with `at`".
  expect([...generated.get('unified')!.facts!.calls.keys()]).toEqual(['bulksms', 'schedulemsg']);
  expect(generated.get('unified')!.facts!.calls.get('schedulemsg')!.use).toBe('schedule');
});

it('every TypeScript sample and guide block type-checks, and a wrong one does not', async () => {
  const files: { name: string; source: string; code: string }[] = [];
  for (const vendor of vendors)
    for (const [id, list] of samplesOf(vendor.id))
      list
        .filter((s: CodeSample) => s.lang === 'TypeScript')
        .forEach((s, i) => {
          files.push({ name: `${vendor.id}-${id}-${i}.ts`, source: `${vendor.id} ${id} ${s.label}`, code: s.source });
        });
  const guides = guideBlocks().filter((b) => b.lang === 'ts');
  expect(guides.length).toBeGreaterThan(5);
  guides.forEach((b, i) => {
    files.push({ name: `guide-${i}.ts`, source: b.source, code: b.code });
  });
  // The check must be able to fail: a sample with a wrong argument type.
  files.push({
    name: 'wrong.ts',
    source: 'a sample with a wrong argument type',
    code: "import { createClient } from '@smswire/sms365';\nawait createClient({ key: 'k' }).smsSend({ to: 306971000000, text: 'x' });\n",
  });
  for (const file of files) writeFileSync(join(dir, file.name), `// ${file.source}\n${file.code}\nexport {};\n`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const packages = join(root, 'packages');
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        lib: ['es2023', 'dom'],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
        customConditions: ['@smswire/source'],
        // The workspace packages by name, as a user imports them; their sources, not a build.
        paths: {
          '@smswire/sms/*': [join(packages, 'sms', 'src', '*.ts')],
          '@smswire/*': [join(packages, '*', 'src', 'index.ts')],
        },
      },
      include: files.map((f) => f.name),
    }),
  );
  const result = await run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: dir }).catch(
    (e: { stdout: string }) => e,
  );
  const errors = (result as { stdout: string }).stdout.split('\n').filter((line) => /error TS/.test(line));
  expect(errors.filter((line) => !line.startsWith('wrong.ts'))).toEqual([]);
  expect(errors.some((line) => line.startsWith('wrong.ts'))).toBe(true);
}, 180_000);

it('every shell sample and guide block parses, and runs only commands and flags smswire has', async () => {
  const ids = vendors.map((v) => v.id);
  const blocks = [
    ...vendors.flatMap((vendor) =>
      samplesOf(vendor.id).flatMap(([id, list]) =>
        list.filter((s) => s.lang === 'bash').map((s) => ({ source: `${vendor.id} ${id}`, code: s.source })),
      ),
    ),
    ...guideBlocks().filter((b) => b.lang === 'sh'),
  ];
  expect(blocks.length).toBeGreaterThan(10);
  for (const block of blocks) {
    await expect(run('bash', ['-n', '-c', block.code]), block.source).resolves.toBeTruthy();
    expect(await commandProblems(block.code, ids), block.source).toEqual([]);
  }
  // The command has no `sned`, no vendor `twilio`, and bulk takes no `--resend-unkown`.
  expect(await commandProblems('smswire sned --vendor sms365', ids)).toHaveLength(1);
  expect(await commandProblems('smswire send --vendor twilio', ids)).toHaveLength(1);
  expect(await commandProblems('smswire bulk x.csv --vendor sms365 --resend-unkown', ids)).toHaveLength(1);
});
