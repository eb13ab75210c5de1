import type { VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { retriesEnd, retriesStart } from './emit-readme.js';
import { list } from './emit-client.js';

/** The README table of which `createClient` options each operation needs (test/readme-credentials.test.ts checks it). */
export function credentialTable(definition: VendorDefinition): string {
  const oauth = Object.keys(definition.credentials).filter((name) => definition.credentials[name]!.optional);
  const rows = Object.entries(definition.operations).map(([id, op]) => {
    const needs = op.security.map((option) => {
      const instead = op.credentialUnless?.[option];
      return instead
        ? `\`${option}\`, unless the call gives ${list(instead).replace(/, /g, ' and ')}`
        : `\`${option}\``;
    });
    if (op.bearer) needs.push(`a bearer token when the client has ${list(oauth)}`);
    return `| \`${id}\` | ${needs.join('; ') || 'none'} |`;
  });
  return ['| operation | createClient options it needs |', '| --- | --- |', ...rows].join('\n');
}

/** The hand-written files of a new vendor package, keyed by path inside `packages/<id>/`. */
export function scaffold(
  id: string,
  title: string,
  definition: VendorDefinition,
  license: string,
): Map<string, string> {
  const name = `@smswire/${id}`;
  const entry = { types: './dist/index.d.ts', default: './dist/index.js' };
  const exports = (withSource: boolean) => ({
    '.': withSource ? { '@smswire/source': './src/index.ts', ...entry } : entry,
    './openapi.yaml': './openapi.yaml',
    './package.json': './package.json',
  });
  const pkg = {
    name,
    version: '0.0.0',
    description: `Typed client for the ${title}, generated from its OpenAPI spec.`,
    keywords: ['sms', 'openapi', 'typescript', id],
    license: 'MIT',
    repository: { type: 'git', url: 'git+https://github.com/smswire/smswire.git', directory: `packages/${id}` },
    type: 'module',
    engines: { node: '>=20.19' },
    sideEffects: false,
    types: './dist/index.d.ts',
    exports: exports(true),
    files: ['dist', 'openapi.yaml', 'CHANGELOG.md'],
    publishConfig: { access: 'public', exports: exports(false) },
    scripts: {
      build: "node -e \"require('node:fs').rmSync('dist',{recursive:true,force:true})\" && tsc -p tsconfig.build.json",
      prepack: 'pnpm run build',
    },
    dependencies: { '@smswire/core': 'workspace:*' },
  };
  const tsconfig =
    '{\n  "extends": "../../tsconfig.base.json",\n  "compilerOptions": { "rootDir": "src", "outDir": "dist", "customConditions": [] },\n  "include": ["src"]\n}\n';
  const readme = [
    `# ${name}`,
    '',
    `Typed client for the ${title}, generated from [\`specs/${id}.yaml\`](../../specs/${id}.yaml).`,
    '',
    '## Install',
    '',
    '```sh',
    `pnpm add ${name}`,
    '```',
    '',
    'Node ≥ 20.19, ESM.',
    '',
    '## Credentials',
    '',
    credentialTable(definition),
    '',
    '## Retries',
    '',
    retriesStart,
    retriesEnd,
    '',
  ].join('\n');
  return new Map([
    ['package.json', `${JSON.stringify(pkg, null, 2)}\n`],
    ['tsconfig.build.json', tsconfig],
    ['LICENSE', license],
    ['README.md', readme],
    [
      'CHANGELOG.md',
      `# ${name}\n\nReleases are recorded here by changesets (\`pnpm changeset\`, then \`changeset version\`).\n`,
    ],
    // Vendor conveniences go here, beside the generated client.
    ['src/index.ts', "export * from './generated/client.js';\n"],
  ]);
}
