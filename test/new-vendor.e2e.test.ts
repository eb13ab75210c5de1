import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';

/**
 * `pnpm new-vendor` on a toy spec (test/fixtures/toy-vendor.yaml: one send, one read) in a copy
 * of this checkout, and then the checks a new vendor would otherwise leave red: the generated
 * code, the type check, lint, and every test file that sweeps the vendors, for the new one.
 */
const run = promisify(execFile);
let copy: string;

// The copy's own vitest must not take this run's worker settings for its own.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
const pnpm = (args: string[], timeout = 120_000) =>
  run('pnpm', args, { cwd: copy, env: { ...env, CI: 'true', NO_COLOR: '1' }, timeout, maxBuffer: 16 << 20 });

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'smswire-new-vendor-'));
  // The checkout as it is, uncommitted files included, without what git ignores (node_modules, dist).
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
    .toString()
    .split('\0')
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  // Biome reads .gitignore through git.
  execFileSync('git', ['init', '-q'], { cwd: copy });
  // From pnpm's store, as the checkout was installed: no network.
  await pnpm(['install', '--offline', '--frozen-lockfile']);
  cpSync(join(root, 'test', 'fixtures', 'toy-vendor.yaml'), join(copy, 'specs', 'toy.yaml'));
  await pnpm(['new-vendor', 'toy']);
}, 120_000);
// Its node_modules are many thousand links.
afterAll(() => rmSync(copy, { recursive: true, force: true }), 60_000);

describe('pnpm new-vendor on a toy spec', () => {
  it('writes the package, the sms adapter with its entry, the command row and a demo', () => {
    const pkg = JSON.parse(readFileSync(join(copy, 'packages', 'toy', 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@smswire/toy', dependencies: { '@smswire/core': 'workspace:*' } });
    const readme = readFileSync(join(copy, 'packages', 'toy', 'README.md'), 'utf8');
    expect(readme).toContain('| `sendSms` | `apiKey` |');
    const adapter = readFileSync(join(copy, 'packages', 'sms', 'src', 'toy.ts'), 'utf8');
    expect(adapter).toContain('const reply = await client.sendSms(params(message), init);');
    expect(adapter).toContain("export const sendFields: SendFields = { from: 'sender', text: 'text' };");
    const sms = JSON.parse(readFileSync(join(copy, 'packages', 'sms', 'package.json'), 'utf8'));
    expect(Object.keys(sms.exports)).toContain('./toy');
    expect(sms.peerDependencies['@smswire/toy']).toBe('workspace:^');
    expect(sms.peerDependenciesMeta['@smswire/toy']).toEqual({ optional: true });
    const cli = JSON.parse(readFileSync(join(copy, 'packages', 'cli', 'package.json'), 'utf8'));
    expect(cli.dependencies['@smswire/toy']).toBe('workspace:^');
    expect(readFileSync(join(copy, 'packages', 'cli', 'src', 'generated', 'vendors.ts'), 'utf8')).toContain(
      'toy: { definition: toyDefinition, adapter: toy, sendFields: toySendFields }',
    );
    expect(readFileSync(join(copy, 'packages', 'sms', 'src', 'generated', 'vendor-ids.ts'), 'utf8')).toContain(
      "'smsleads', 'toy', 'unified'",
    );
    expect(existsSync(join(copy, 'scripts', 'demo', 'toy.ts'))).toBe(true);
    // Linked into the workspace: the layer and the command resolve it.
    expect(existsSync(join(copy, 'packages', 'sms', 'node_modules', '@smswire', 'toy', 'package.json'))).toBe(true);
  });

  it('leaves check:generated (what generate writes), lint:specs, the type check and lint green', async () => {
    // Side by side: none writes, and the type check alone takes most of the time.
    await Promise.all([pnpm(['check:generated']), pnpm(['lint:specs']), pnpm(['typecheck']), pnpm(['lint'])]);
  }, 180_000);

  it('passes every vendor sweep for the new vendor, its size budget and its demo', async () => {
    const sweeps = [
      'test/faults.int.test.ts',
      'test/secrets.int.test.ts',
      'test/callers.int.test.ts',
      'test/credentials.int.test.ts',
      'test/stack-traces.int.test.ts',
      'test/no-lost-results.int.test.ts',
      'test/prepare.int.test.ts',
      'test/readme-credentials.test.ts',
      'packages/sms/test/prepare.test.ts',
      'packages/sms/test/code-meanings.int.test.ts',
      'packages/sms/test/vendor-text-keys.int.test.ts',
      'packages/cli/test/errors.test.ts',
    ];
    // The size budgets, the dependency rules and the manifests, which hold the new package and adapter too.
    const whole = ['test/size.test.ts', 'test/dependencies.test.ts', 'test/vendor-manifests.test.ts'];
    const { stdout } = await pnpm(
      [
        'exec',
        'vitest',
        'run',
        '--project',
        'unit',
        '--project',
        'integration',
        ...sweeps,
        ...whole,
        '-t',
        "toy|budget|run one way|spec's vendor",
      ],
      180_000,
    );
    // Each file ran some test (a file with none is reported skipped).
    expect(stdout).toMatch(new RegExp(`Test Files +${sweeps.length + whole.length} passed`));
    const demo = await pnpm(['demo', 'toy']);
    expect(demo.stdout).toMatch(/^@smswire\/toy \(mock http:\/\/127\.0\.0\.1:\d+\)$/m);
    expect(demo.stdout).toContain("sendSms → { status: '0', id: '5501' }");
    expect(demo.stderr).not.toContain('demo failed');
  }, 240_000);

  it('refuses an existing package and an id without a spec', async () => {
    await expect(pnpm(['new-vendor', 'toy'])).rejects.toMatchObject({
      stderr: expect.stringContaining('packages/toy already exists'),
    });
    await expect(pnpm(['new-vendor', 'ghost'])).rejects.toMatchObject({
      stderr: expect.stringContaining('no specs/ghost.yaml'),
    });
  }, 60_000);
});
