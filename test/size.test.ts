import { expect, it } from 'vitest';
import { packageSizes } from '../scripts/lib/size.js';

it('every package stays within its min+gzip budget', async () => {
  const sizes = await packageSizes();
  expect(sizes.map((s) => s.name)).toContain('@smswire/core');
  for (const { name, bytes, limit } of sizes) {
    expect(bytes, `${name}: ${bytes} B min+gzip, budget ${limit} B`).toBeLessThanOrEqual(limit);
  }
});
