import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  private: boolean;
}

/** Every package under `packages/`, in build order (see `rank`). */
export function workspacePackages(base: string): WorkspacePackage[] {
  return readdirSync(join(base, 'packages'))
    .map((folder) => join(base, 'packages', folder))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        private?: boolean;
      };
      return { name: manifest.name, version: manifest.version, dir, private: manifest.private === true };
    })
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/**
 * Build order: core, then the vendor packages, then packages over them (`@smswire/sms` builds
 * against the vendors' `dist`, through its peer dependencies on them).
 */
function rank(pkg: WorkspacePackage): number {
  if (pkg.name === '@smswire/core') return 0;
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
    peerDependencies?: Record<string, string>;
  };
  return Object.keys(manifest.peerDependencies ?? {}).some((name) => name.startsWith('@smswire/')) ? 2 : 1;
}

export interface Packed extends WorkspacePackage {
  tarball: string;
  bytes: number;
}

/** `pnpm pack` (which builds through `prepack`) every package into `destination`. */
export function packAll(base: string, destination: string): Packed[] {
  return workspacePackages(base)
    .filter((pkg) => !pkg.private)
    .map((pkg) => {
      const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
        cwd: pkg.dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const tarball = output.trim().split('\n').at(-1)!.trim();
      return { ...pkg, tarball, bytes: statSync(tarball).size };
    });
}
