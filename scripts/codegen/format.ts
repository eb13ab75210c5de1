import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from '../lib/vendors.js';

const biome = join(root, 'node_modules', '.bin', 'biome');

/**
 * Formats generated TypeScript with Biome and the repository's biome.json, the formatter of the
 * hand-written code, so `check:generated` compares formatted files. Keys are paths relative to
 * the repository root, which pick the settings that apply there. One Biome run for all of them:
 * a process per file made `check:generated` several times slower.
 */
export function formatAll(files: Map<string, string>, options: { lineWidth?: number } = {}): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'smswire-format-'));
  try {
    const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
    // The copy is outside any git checkout, so the settings apply without the VCS integration.
    writeFileSync(join(dir, 'biome.json'), JSON.stringify({ ...config, $schema: undefined, vcs: { enabled: false } }));
    for (const [path, source] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const width = options.lineWidth ? [`--line-width=${options.lineWidth}`] : [];
    execFileSync(biome, ['format', '--write', '--no-errors-on-unmatched', ...width, ...files.keys()], {
      cwd: dir,
      stdio: 'pipe',
    });
    return new Map([...files.keys()].map((path) => [path, readFileSync(join(dir, path), 'utf8')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
