import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listVendors, root } from '../scripts/lib/vendors.js';

/**
 * `pnpm demo` runs as the README says, with no credentials: every vendor client against its Prism
 * mock, then `@smswire/sms` over the same mocks. Checks the lines the README promises.
 */
describe('pnpm demo', () => {
  it('runs every vendor and the @smswire/sms section, and exits 0', { timeout: 300_000 }, async () => {
    const { stdout, stderr } = await promisify(execFile)('pnpm', ['demo'], {
      cwd: root,
      timeout: 280_000,
      maxBuffer: 16 << 20,
    });
    expect(stderr).not.toContain('demo failed');
    for (const { packageName } of listVendors())
      expect(stdout).toMatch(new RegExp(`^${packageName} \\(mock http://127\\.0\\.0\\.1:\\d+\\)$`, 'm'));
    const section = stdout.slice(stdout.indexOf('\n@smswire/sms '));
    // One send() reaching each vendor's mock, the number in E.164.
    for (const [vendor, to] of [
      ['dinisoft', '\\+8801712345678'],
      ['dreams', '\\+966500000000'],
      ['sms365', '\\+306971000000'],
      ['smsleads', '\\+972502345678'],
      ['unified', '\\+919812345678'],
    ])
      expect(section).toMatch(new RegExp(`send\\(\\) via ${vendor} → ${to} gsm7 1 part\\(s\\), message id \\S+`));
    // Greek, Arabic and Hebrew are UCS-2 (3GPP TS 23.038: none of their letters is in GSM-7).
    expect(section).toMatch(/Greek \(40 characters\) → ucs2, 1 part\(s\) of 70; sent via sms365 as ucs2, 1 part/);
    expect(section).toMatch(/Arabic \(88 characters\) → ucs2, 2 part\(s\) of 67; sent via sms365 as ucs2, 2 part/);
    expect(section).toMatch(/Hebrew \(30 characters\) → ucs2, 1 part\(s\) of 70/);
    // Moves on after a refusal, not after a timeout.
    expect(section).toMatch(/failover after a refusal .* → sent via dinisoft, message id 194234; dinisoft received 1/);
    expect(section).toMatch(
      /no failover after a timeout .* → SendError unknown \(ambiguous\); sms365 received 1, dinisoft received 0 more/,
    );
  });
});
