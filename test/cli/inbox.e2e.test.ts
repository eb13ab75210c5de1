import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cleanEnv, jsonLines, smswire, startSmswire } from './cli.js';
import { countingVendor, vendorArgs } from './counting-vendors.js';

/** `smswire inbox`: SMS Leads replies, each printed once across runs, the cursor under $XDG_STATE_HOME/smswire. */
const vendor = await countingVendor();
afterAll(() => vendor.close());

/** A minute ago in Israel time, `dd/mm/yy hh:mm`, as SMS Leads dates replies. */
function israelNow(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Jerusalem',
      year: '2-digit',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(Date.now() - 60_000))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

it('inbox prints each reply once across runs, keeping the cursor in $XDG_STATE_HOME/smswire', async () => {
  const state = mkdtempSync(join(tmpdir(), 'smswire-inbox-'));
  const env = cleanEnv({ XDG_STATE_HOME: state });
  const args = ['--json', 'inbox', '--base-url', vendor.url, ...vendorArgs.smsleads!.args];
  const date = israelNow();
  vendor.incoming.push(
    { source: '0521234567', destination: '0501234567', message: 'STOP', date },
    { source: '0521234567', destination: '0501234567', message: 'STOP', date },
  );
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
  const state = mkdtempSync(join(tmpdir(), 'smswire-inbox-gone-'));
  const env = cleanEnv({ XDG_STATE_HOME: state });
  const args = ['--json', 'inbox', '--base-url', vendor.url, ...vendorArgs.smsleads!.args];
  const date = israelNow();
  vendor.incoming.push(
    { source: '0521111111', destination: '0501234567', message: 'first', date },
    { source: '0522222222', destination: '0501234567', message: 'second', date },
  );
  // `smswire inbox | head -0`: the reader is gone before the first line.
  const gone = await startSmswire(args, { env });
  gone.child.stdout!.destroy();
  const ended = await gone.done;
  expect(ended.code).toBe(0);
  expect(ended.stderr).not.toContain('EPIPE');
  const next = await smswire(args, { env });
  expect(jsonLines(next.stdout).map((r) => r.text)).toEqual(expect.arrayContaining(['first', 'second']));
});
