import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from '../scripts/lib/vendors.js';

/**
 * The generator writes the vendor packages that `@smswire/sms` and the command build on, so it
 * must not import them back: what runs generated code (the reference's samples) is the docs
 * build's (scripts/docs/). Core's tables and validation are what the generator writes for, and stay.
 */
it('scripts/codegen imports nothing of @smswire/sms or the command', () => {
  const dir = join(root, 'scripts', 'codegen');
  const edges = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:from|import\()\s*[`'"]([^`'"]+)[`'"]/g)]
        .map((m) => m[1]!)
        .filter((spec) => /packages\/(sms|cli)\/|@smswire\/(sms|cli)\b|\.\.\/docs\//.test(spec))
        .map((spec) => `${f} → ${spec}`),
    );
  expect(edges).toEqual([]);
});
