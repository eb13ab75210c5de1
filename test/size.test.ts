import { expect, it } from 'vitest';
import { packageSizes, smsModules } from '../scripts/lib/size.js';

it('every package stays within its min+gzip budget', async () => {
  const sizes = await packageSizes();
  expect(sizes.map((s) => s.name)).toContain('@smswire/core');
  for (const { name, bytes, limit } of sizes) {
    expect(bytes, `${name}: ${bytes} B min+gzip, budget ${limit} B`).toBeLessThanOrEqual(limit);
  }
});

it('@smswire/sms loads `track` when a tracking first starts, not with `createSms`', async () => {
  const files = [...(await smsModules())].map((file) => file.replace(/\\/g, '/'));
  expect(files.some((file) => file.endsWith('packages/sms/src/sms.ts'))).toBe(true);
  expect(files.filter((file) => file.endsWith('packages/sms/src/track.ts'))).toEqual([]);
});
