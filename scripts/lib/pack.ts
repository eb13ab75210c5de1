import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkspacePackage {
  name: string;
  version: string;
  dir: string;
  private: boolean;
}

/** Every package under `packages/`, core first: vendors build against its `dist`. */
export function workspacePackages(base: string): WorkspacePackage[] {
  return readdirSync(join(base, 'packages'))
    .map((folder) => join(base, 'packages', folder))
    .filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile())
    .map((dir) => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean };
      return { name: manifest.name, version: manifest.version, dir, private: manifest.private === true };
    })
    .sort((a, b) => Number(b.name === '@smswire/core') - Number(a.name === '@smswire/core') || a.name.localeCompare(b.name));
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
