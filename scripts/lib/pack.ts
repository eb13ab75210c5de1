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
  const packages = readdirSync(join(base, 'packages'))
    .map((folder) => join(base, 'packages', folder))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        private?: boolean;
        dependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      };
      const uses = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((name) =>
        name.startsWith('@smswire/'),
      );
      return { name: manifest.name, version: manifest.version, dir, private: manifest.private === true, uses };
    });
  const byName = new Map(packages.map((p) => [p.name, p]));
  /**
   * Build order: a package after every workspace package it depends on, peer dependencies
   * included (`@smswire/sms` builds against the vendors' `dist` through its peers on them):
   * core, the vendors, sms, then the command over sms.
   */
  const rank = (name: string): number => {
    const uses = byName.get(name)?.uses ?? [];
    return uses.length === 0 ? 0 : 1 + Math.max(...uses.map(rank));
  };
  return packages
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))
    .map(({ uses: _, ...pkg }) => pkg);
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
