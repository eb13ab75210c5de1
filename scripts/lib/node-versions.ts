import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './vendors.js';

export interface NodePin {
  major: number;
  minor: number;
  version: string;
  integrity: string;
}

/**
 * The Node versions CI tests: the pins of scripts/test-node-versions.sh, the one list. The
 * node-versions test holds the README and the packages' `engines` to it, and the landing page
 * shows it.
 */
export function testedNodeVersions(base: string = root): NodePin[] {
  const script = readFileSync(join(base, 'scripts', 'test-node-versions.sh'), 'utf8');
  return [...script.matchAll(/^ {2}"(\d+)\.(\d+)\.(\d+) (sha512-[A-Za-z0-9+/]{86}==)"$/gm)].map((m) => ({
    major: Number(m[1]),
    minor: Number(m[2]),
    version: `${m[1]}.${m[2]}.${m[3]}`,
    integrity: m[4]!,
  }));
}
