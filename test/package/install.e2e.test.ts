import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialOptions, exampleParams, operationsOf } from '../support/clients.js';
import { codeSamples } from '../../scripts/docs/code-samples.js';
import { extractExamples } from '../../scripts/lib/examples.js';
import { startMock } from '../../scripts/lib/mock.js';
import { packAll, type Packed } from '../../scripts/lib/pack.js';
import { listVendors, root, type Spec } from '../../scripts/lib/vendors.js';
import { parse } from 'yaml';

/**
 * The path a user takes: pack every package, install the tarballs with plain npm into a fresh
 * project outside the workspace, then import, call and type-check from there.
 */
const run = promisify(execFile);
let work: string;
let project: string;
let packed: Packed[];
const vendors = listVendors();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'smswire-install-'));
  project = join(work, 'project');
  mkdirSync(project);
  packed = packAll(root, work);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packed.map((p) => p.tarball),
      'typescript@5.9.3',
      '@types/node@20.19.0',
      // The peer of @smswire/opentelemetry.
      '@opentelemetry/api@1.10.0',
      // The optional peer of @smswire/sms/redis-ledger, which a README example imports.
      'ioredis@6.0.0',
    ],
    { cwd: project },
  );
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packages as published', () => {
  it('pass publint', async () => {
    for (const pkg of packed) {
      const tarball = readFileSync(pkg.tarball);
      const { messages, pkg: manifest } = await publint({
        pack: {
          tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer,
        },
        level: 'suggestion',
        strict: true,
      });
      expect(messages.map((m) => `${pkg.name}: ${formatMessage(m, manifest)}`)).toEqual([]);
    }
  }, 60_000);

  it('pass @arethetypeswrong (ESM-only profile: Node >= 20.19 requires ESM)', async () => {
    for (const pkg of packed) {
      await expect(
        run(
          join(root, 'node_modules', '.bin', 'attw'),
          [pkg.tarball, '--profile', 'esm-only', '--format', 'ascii', '--exclude-entrypoints', './openapi.yaml'],
          { cwd: work },
        ),
      ).resolves.toBeTruthy();
    }
  }, 120_000);

  it('ship each vendor spec and a CHANGELOG', () => {
    for (const vendor of vendors) {
      const shipped = readFileSync(join(project, 'node_modules', vendor.packageName, 'openapi.yaml'), 'utf8');
      expect(shipped).toContain(readFileSync(vendor.specPath, 'utf8'));
      expect(readFileSync(join(project, 'node_modules', vendor.packageName, 'CHANGELOG.md'), 'utf8')).toContain(
        vendor.packageName,
      );
    }
  });
});

describe.each(vendors)('$packageName installed with npm', (vendor) => {
  it('is imported (ESM) and required (CommonJS), and calls its shipped spec’s mock', async () => {
    const specPath = join(project, 'node_modules', vendor.packageName, 'openapi.yaml');
    const spec = parse(readFileSync(specPath, 'utf8')) as Spec;
    const { path, op } = operationsOf(spec)[0]!;
    const params = exampleParams(spec, path);
    const credentials = Object.fromEntries(credentialOptions(spec).map((option) => [option, 'not-a-secret']));
    const mock = await startMock({ ...vendor, specPath });
    try {
      const call = `const client = createClient(${JSON.stringify({ ...credentials, baseUrl: mock.url })});
client[${JSON.stringify(op.operationId)}](${JSON.stringify(params)}).then((r) => console.log(JSON.stringify(r)), (e) => { console.error(String(e)); process.exit(1); });`;
      writeFileSync(
        join(project, `${vendor.id}.mjs`),
        `import { createClient } from '${vendor.packageName}';\n${call}\n`,
      );
      writeFileSync(
        join(project, `${vendor.id}.cjs`),
        `const { createClient } = require('${vendor.packageName}');\n${call}\n`,
      );
      for (const file of [`${vendor.id}.mjs`, `${vendor.id}.cjs`]) {
        const { stdout } = await run(process.execPath, ['--no-warnings', file], { cwd: project });
        expect(JSON.parse(stdout), `${file} → ${path}`).toBeTruthy();
      }
    } finally {
      await mock.stop();
    }
  }, 120_000);
});

describe('@smswire/cli installed with npm', () => {
  it('puts `smswire` on the path, which sends through the installed spec’s mock and prints no secret', async () => {
    const bin = join(project, 'node_modules', '.bin', 'smswire');
    const listed = await run(bin, ['--json', 'vendors'], { cwd: project });
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).vendor),
    ).toEqual(vendorIds());
    const dinisoft = vendors.find((v) => v.id === 'dinisoft')!;
    const mock = await startMock({
      ...dinisoft,
      specPath: join(project, 'node_modules', dinisoft.packageName, 'openapi.yaml'),
    });
    try {
      const args = [
        'send',
        '--vendor',
        'dinisoft',
        '--base-url',
        mock.url,
        '--to',
        '+8801712345678',
        '--text',
        'Hi',
        '--from',
        'ACME',
      ];
      const env = {
        ...process.env,
        SMSWIRE_DINISOFT_API_KEY: 'installed-key-1234',
        SMSWIRE_DINISOFT_SECRET_KEY: 'installed-secret-5678',
      };
      const sent = await run(bin, ['--json', ...args], { cwd: project, env });
      expect(JSON.parse(sent.stdout)).toMatchObject({ type: 'sent', vendor: 'dinisoft', to: '+8801712345678' });
      const dry = await run(bin, [...args, '--dry-run'], { cwd: project, env });
      expect(dry.stdout).toContain('apikey=%5BREDACTED%5D');
      expect(sent.stdout + sent.stderr + dry.stdout + dry.stderr).not.toMatch(/installed-(key|secret)/);
    } finally {
      await mock.stop();
    }
  }, 120_000);

  it("reads `--env-file` itself: a missing file is exit 2 naming it, not Node 20's exit 9", async () => {
    const bin = join(project, 'node_modules', '.bin', 'smswire');
    const missing = join(project, 'missing.env');
    const failed = await run(bin, ['balance', '--vendor', 'dinisoft', '--env-file', missing], { cwd: project }).then(
      () => undefined,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`--env-file ${missing}: no such file`);
  }, 60_000);
});

describe('type-checked against the installed packages', () => {
  it('a consumer of every package, every TypeScript example in the READMEs and docs, and every code sample of the reference', async () => {
    const examples = extractExamples(root);
    expect(examples.length).toBeGreaterThan(vendors.length);
    for (const vendor of vendors) {
      for (const [id, list] of (await codeSamples(vendor)).samples)
        for (const sample of list.filter((s) => s.lang === 'TypeScript'))
          examples.push({ source: `${vendor.id} ${id} ${sample.label} (reference page)`, code: sample.source });
    }
    const files: string[] = [];
    examples.forEach((example, i) => {
      const file = `example-${i}.ts`;
      writeFileSync(join(project, file), `// ${example.source}\n${example.code}\nexport {};\n`);
      files.push(file);
    });
    for (const vendor of vendors) {
      const file = `consumer-${vendor.id}.ts`;
      writeFileSync(
        join(project, file),
        `import { createClient, definition, errorCatalog, SmswireError, VendorError, type Operations } from '${vendor.packageName}';
declare const client: ReturnType<typeof createClient>;
const operations: (keyof Operations)[] = ${JSON.stringify(operationIds(vendor))};
export const checks = [client.raw, operations, errorCatalog, new VendorError({ vendor: definition.vendor, code: '1', description: 'x', retryable: false }) instanceof SmswireError];
`,
      );
      files.push(file);
    }
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        include: files,
      }),
    );
    const result = await run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
      cwd: project,
    }).catch((e: { stdout: string }) => e);
    expect((result as { stdout: string }).stdout).toBe('');
  }, 300_000);
});

const vendorIds = () => vendors.map((v) => v.id);

/** Operation ids of a vendor, read from its spec. */
function operationIds(vendor: (typeof vendors)[number]): string[] {
  const spec = parse(readFileSync(vendor.specPath, 'utf8')) as Spec;
  return operationsOf(spec).map(({ op }) => op.operationId as string);
}
