import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pendingChangesets, unknownPackages } from './lib/changesets.js';
import { packAll, workspacePackages } from './lib/pack.js';
import { root } from './lib/vendors.js';

/**
 * `pnpm release:dry`: what `changeset version` would release, proved by packing it, in a
 * throwaway copy of the repository so nothing here changes.
 */
const copy = mkdtempSync(join(tmpdir(), 'smswire-release-'));
const run = (command: string, args: string[], cwd = copy) =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });

try {
  // Tracked and new files, as a commit of the current tree would have them.
  for (const file of run('git', ['ls-files', '-co', '--exclude-standard'], root).split('\n').filter(Boolean)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file), { dereference: true, errorOnExist: false });
  }
  const before = new Map(workspacePackages(copy).map((p) => [p.name, p.version]));

  const changesets = pendingChangesets(join(copy, '.changeset'));
  const problems = unknownPackages(join(copy, '.changeset'), new Set(before.keys()));
  if (problems.length) throw new Error(problems.join('\n'));

  run('pnpm', ['install', '--offline', '--frozen-lockfile']);
  run(join(copy, 'node_modules', '.bin', 'changeset'), ['version']);
  const packs = join(copy, '.packs');
  mkdirSync(packs);
  const packed = packAll(copy, packs);

  console.log(`${changesets.length} pending changeset(s)\n`);
  console.table(
    packed.map((p) => ({
      package: p.name,
      current: before.get(p.name),
      next: p.version,
      'tarball (kB)': (p.bytes / 1024).toFixed(1),
    })),
  );
} catch (error) {
  const detail = (error as { stderr?: string }).stderr ?? '';
  console.error(`release:dry failed: ${(error as Error).message}\n${detail}`);
  process.exitCode = 1;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
