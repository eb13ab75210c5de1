import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../lib/vendors.js';

const biome = join(root, 'node_modules', '.bin', 'biome');

/**
 * Formats generated TypeScript with Biome and the repository's biome.json, the formatter of the
 * hand-written code, so `check:generated` compares formatted files. `path` is relative to the
 * repository root and picks the settings that apply there.
 */
export function format(path: string, source: string): string {
  return execFileSync(biome, ['format', `--stdin-file-path=${path}`], { cwd: root, input: source, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}
