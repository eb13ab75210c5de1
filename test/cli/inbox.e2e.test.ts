import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { israelDate } from '../support/israel-time.js';
import { cleanEnv, jsonLines, smswire, startSmswire } from './cli.js';
import { countingVendor, vendorArgs } from './counting-vendors.js';

/** `smswire inbox`: SMS Leads replies, each printed once across runs, the cursor under $XDG_STATE_HOME/smswire. */
const vendor = await countingVendor();
afterAll(() => vendor.close());

/** A state home of its own (so a cursor of its own), the command's arguments, and replies dated a minute ago, as SMS Leads dates them. */
function inbox(texts: readonly [from: string, text: string][]) {
  const env = cleanEnv({ XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'smswire-inbox-')) });
  const args = ['--json', 'inbox', '--base-url', vendor.url, ...vendorArgs.smsleads!.args];
  const date = israelDate(Date.now() - 60_000);
  for (const [source, message] of texts) vendor.incoming.push({ source, destination: '0501234567', message, date });
  return { env, args, date, state: env.XDG_STATE_HOME! };
}

it('inbox prints each reply once across runs, keeping the cursor in $XDG_STATE_HOME/smswire', async () => {
  const { env, args, date, state } = inbox([
    ['0521234567', 'STOP'],
    ['0521234567', 'STOP'],
  ]);
  const first = await smswire(args, { env });
  expect(first.code).toBe(0);
  const replies = jsonLines(first.stdout);
  expect(replies).toHaveLength(2);
  expect(replies[0]).toMatchObject({ type: 'reply', vendor: 'smsleads', from: '0521234567', text: 'STOP' });
  expect(replies[0]!.id).not.toBe(replies[1]!.id);
  const cursor = join(state, 'smswire', 'inbox-smsleads.cursor');
  expect(existsSync(cursor)).toBe(true);
  expect(readFileSync(cursor, 'utf8')).not.toContain('Fault-Token-5');

  // The same minute, a third reply received after the first run: only it is printed.
  vendor.incoming.push({ source: '0529999999', destination: '0501234567', message: 'yes', date });
  const second = await smswire(args, { env });
  expect(jsonLines(second.stdout).map((r) => r.text)).toEqual(['yes']);
  expect(jsonLines((await smswire(args, { env })).stdout)).toEqual([]);
});

it('a reply whose line never reached the reader (the pipe closed) is not counted printed: the next run prints it', async () => {
  const { env, args } = inbox([
    ['0521111111', 'first'],
    ['0522222222', 'second'],
  ]);
  // `smswire inbox | head -0`: the reader is gone before the first line.
  const gone = await startSmswire(args, { env });
  gone.child.stdout!.destroy();
  const ended = await gone.done;
  expect(ended.code).toBe(0);
  expect(ended.stderr).not.toContain('EPIPE');
  const next = await smswire(args, { env });
  expect(jsonLines(next.stdout).map((r) => r.text)).toEqual(expect.arrayContaining(['first', 'second']));
});
