import { resolve } from 'node:path';
import { generatedDrift } from './codegen/drift.js';
import { root } from './lib/vendors.js';

// Optional argument: another checkout to check (the tests use a temporary copy).
const base = process.argv[2] ? resolve(process.argv[2]) : root;
const problems = await generatedDrift(base);
if (problems.length > 0) {
  console.error(
    `Generated code does not match the specs (run \`pnpm generate\`):\n${problems.map((p) => `  ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log('generated code matches the specs');
