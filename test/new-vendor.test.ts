import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedDrift } from '../scripts/codegen/drift.js';
import { root } from '../scripts/lib/vendors.js';

const run = promisify(execFile);
let copy: string;

/** A throwaway checkout with one new spec (DiniSoft's, as `acme`) and no package for it. */
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'smswire-new-vendor-'));
  cpSync(join(root, 'specs', 'dinisoft.yaml'), join(copy, 'specs', 'acme.yaml'));
  cpSync(join(root, 'LICENSE'), join(copy, 'LICENSE'));
  // The vendor-neutral layer, whose vendor ids the command writes.
  mkdirSync(join(copy, 'packages', 'sms'), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const newVendor = (id: string) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/new-vendor.ts', id, copy], { cwd: root });

describe('pnpm new-vendor', () => {
  it('writes the package of a new spec, generated code included, which check:generated accepts', async () => {
    await newVendor('acme');
    const dir = join(copy, 'packages', 'acme');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@smswire/acme',
      dependencies: { '@smswire/core': 'workspace:*' },
      files: ['dist', 'openapi.yaml', 'CHANGELOG.md'],
    });
    for (const file of [
      'tsconfig.build.json',
      'LICENSE',
      'CHANGELOG.md',
      'src/index.ts',
      'openapi.yaml',
      'src/generated/client.ts',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, 'src', 'generated', 'client.ts'), 'utf8')).toContain(
      'export interface AcmeOptions extends ClientOptions',
    );
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    // The credential table test/readme-credentials.test.ts asks for, and the generated retries block.
    expect(readme).toContain('| `sendText` | `apiKey`; `secretKey` |');
    expect(readme).toContain('- Reads, retried on connection errors, timeouts, 408, 429 and 5xx: `smsClientBalance`.');
    // The layer's vendor ids come from the specs: the new one is in them, with no list edited by hand.
    expect(readFileSync(join(copy, 'packages', 'sms', 'src', 'generated', 'vendor-ids.ts'), 'utf8')).toContain(
      "export const vendorIds = ['acme'] as const;",
    );
    expect(await generatedDrift(copy)).toEqual([]);
  }, 60_000);

  it('refuses an existing package and an id without a spec', async () => {
    await expect(newVendor('acme')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('packages/acme already exists'),
    });
    await expect(newVendor('ghost')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no specs/ghost.yaml'),
    });
  }, 60_000);
});
