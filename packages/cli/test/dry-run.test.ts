import { tracingChannel } from 'node:diagnostics_channel';
import { vendorIds } from '@smswire/sms';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { credentialNames, kebab, type VendorId } from '../src/vendors.js';
import { jsonLines, runCli } from './run.js';

/**
 * `send --dry-run` builds its request with `sms.prepare`: no vendor call is ever attempted (none
 * published on `smswire:call`, where every attempt of every client is) and `fetch` is never
 * called, for each vendor, and for bad input too.
 */

/** Every credential a vendor takes, and a base URL nothing listens on. */
const credentials = (vendor: VendorId) => [
  ...credentialNames(vendor).flatMap((name) => [`--${kebab(name)}`, `x-${name}`]),
  '--base-url',
  'http://127.0.0.1:9',
];
const toFor = (vendor: VendorId) => (vendor === 'smsleads' ? '+972502345678' : '+8801712345678');

/** The attempts and the `fetch` calls made while `run` runs. */
async function counted(run: () => ReturnType<typeof runCli>) {
  const seen = { attempts: 0, fetches: 0 };
  const onAttempt = () => void seen.attempts++;
  vi.stubGlobal('fetch', async () => {
    seen.fetches++;
    return new Response('{}');
  });
  tracingChannel('smswire:call').start.subscribe(onAttempt);
  try {
    return { ...(await run()), ...seen };
  } finally {
    tracingChannel('smswire:call').start.unsubscribe(onAttempt);
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('send --dry-run', () => {
  it.each(vendorIds)('%s: the request printed, no attempt made, fetch never called', async (vendor) => {
    const argv = ['--json', 'send', '--vendor', vendor, ...credentials(vendor), '--to', toFor(vendor), '--text', 'hi'];
    const run = await counted(() => runCli([...argv, '--from', 'ACME', '--dry-run']));
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).find((line) => line.type === 'dryRun')).toMatchObject({
      vendor,
      to: toFor(vendor),
      request: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9\//) },
    });
    expect(run.stdout).toMatch(/%5BREDACTED%5D|\[REDACTED\]/);
    expect([run.attempts, run.fetches]).toEqual([0, 0]);
  });

  it('bad input: exit 2, no attempt, fetch never called', async () => {
    const vendor = 'dinisoft';
    const argv = ['send', '--vendor', vendor, ...credentials(vendor), '--to', '12', '--text', 'hi', '--from', 'ACME'];
    const run = await counted(() => runCli([...argv, '--dry-run']));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ValidationError|to/);
    expect([run.attempts, run.fetches]).toEqual([0, 0]);
  });
});
