import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';
import { testedNodeVersions } from '../scripts/lib/node-versions.js';
import { workspacePackages } from '../scripts/lib/pack.js';

/**
 * The Node versions CI tests (the pins in scripts/test-node-versions.sh), the ones the README
 * promises and the `engines` the packages declare must say the same thing. DESIGN.md "Node
 * versions": "Packages declare `node >= 20.19` and are tested on 20, 22, 24 and 26".
 */
const pins = testedNodeVersions();
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('tested Node versions', () => {
  it('are pinned once per supported major, each with a sha512 integrity', () => {
    expect(pins.map((p) => p.major)).toEqual([20, 22, 24, 26]);
  });

  it('are the ones the README states', () => {
    expect(readme).toContain('Tested Node versions: 20, 22, 24 and 26');
    for (const pin of pins.filter((p) => p.major !== 20)) expect(readme).toContain(pin.version);
  });

  it('all satisfy the engines range every package declares', () => {
    for (const pkg of [{ dir: root }, ...workspacePackages(root)]) {
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
        engines?: { node?: string };
      };
      expect(manifest.engines?.node, pkg.dir).toBe('>=20.19');
    }
    for (const pin of pins) expect(pin.major > 20 || (pin.major === 20 && pin.minor >= 19), pin.version).toBe(true);
  });
});
