import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDrift } from '../scripts/codegen/drift.js';
import { listVendors, root } from '../scripts/lib/vendors.js';

const run = promisify(execFile);
let copy: string;

/** A throwaway checkout holding just the specs and the committed generated code. */
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'smswire-check-'));
  cpSync(join(root, 'specs'), join(copy, 'specs'), { recursive: true });
  for (const vendor of listVendors()) {
    cpSync(join(vendor.packageDir, 'src', 'generated'), join(copy, 'packages', vendor.id, 'src', 'generated'), {
      recursive: true,
    });
    cpSync(join(vendor.packageDir, 'openapi.yaml'), join(copy, 'packages', vendor.id, 'openapi.yaml'));
    cpSync(join(vendor.packageDir, 'README.md'), join(copy, 'packages', vendor.id, 'README.md'));
  }
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

function edit(file: string, change: (text: string) => string): () => void {
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, change(original));
  return () => writeFileSync(file, original);
}

describe('check:generated', () => {
  it('passes on the committed output and fails, with exit code 1, after a spec change', async () => {
    await expect(
      run(process.execPath, ['--import', 'tsx', 'scripts/check-generated.ts', copy], { cwd: root }),
    ).resolves.toBeTruthy();
    const restore = edit(join(copy, 'specs', 'dinisoft.yaml'), (t) =>
      t.replace('summary: Submit an SMS', 'summary: Send an SMS'),
    );
    try {
      const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/check-generated.ts', copy], {
        cwd: root,
      }).catch((e: { code: number; stderr: string }) => e);
      expect(failure).toMatchObject({ code: 1 });
      expect((failure as { stderr: string }).stderr).toMatch(/operations\.ts: differs .*Send an SMS/);
    } finally {
      restore();
    }
  }, 60_000);

  it.each(listVendors().map((v) => v.id))(
    'catches a hand edit and a stray file under packages/%s/src/generated',
    async (id) => {
      const dir = join(copy, 'packages', id, 'src', 'generated');
      expect(await generatedDrift(copy)).toEqual([]);
      const restore = edit(join(dir, 'definition.ts'), (t) => t.replace(/kind: '(read|write)'/, "kind: 'edited'"));
      try {
        expect(await generatedDrift(copy)).toEqual([expect.stringContaining('definition.ts: differs')]);
      } finally {
        restore();
      }
      writeFileSync(join(dir, 'extra.ts'), 'export {};\n');
      try {
        expect(await generatedDrift(copy)).toEqual([
          expect.stringContaining('extra.ts: not produced by the generator'),
        ]);
      } finally {
        rmSync(join(dir, 'extra.ts'));
      }
      // Three regenerations of every vendor, each formatted by Biome, on a shared machine.
    },
    60_000,
  );

  it('catches generated code whose spec is gone', async () => {
    const ghost = join(copy, 'packages', 'ghost', 'src', 'generated');
    mkdirSync(ghost, { recursive: true });
    try {
      expect(await generatedDrift(copy)).toEqual(['packages/ghost/src/generated: no specs/ghost.yaml produces it']);
    } finally {
      rmSync(join(copy, 'packages', 'ghost'), { recursive: true });
    }
  });

  it('is deterministic', async () => {
    const [vendor] = listVendors();
    const { generateVendor } = await import('../scripts/codegen/generate.js');
    expect(await generateVendor(vendor!)).toEqual(await generateVendor(vendor!));
  });
});
