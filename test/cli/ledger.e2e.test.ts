import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cleanEnv, jsonLines, smswire, startSmswire } from './cli.js';
import { countingVendor, lastDigits, vendorArgs } from './counting-vendors.js';

/**
 * What holds a key across processes: `send --idempotency-key` run twice (the default ledger), two
 * bulk runs on one journal or one file ledger at once (the lock), campaigns sharing a ledger
 * (`--campaign`), a key reused for another message, and `--resend-unknown` with `--ledger`,
 * against a stand-in that counts every message it receives.
 */
const vendor = await countingVendor();
afterAll(() => vendor.close());
const dir = mkdtempSync(join(tmpdir(), 'smswire-ledger-e2e-'));
const { args: credentials, number } = vendorArgs.unified!;
const uni = ['--vendor', 'unified', '--base-url', vendor.url, ...credentials, '--from', 'ACME'];
const times = (n: string) => vendor.received.get(lastDigits(n)) ?? 0;

it('send --idempotency-key twice sends once: the second prints the first result as a replay, from $XDG_STATE_HOME/smswire', async () => {
  const env = cleanEnv({ XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')) });
  const send = (text: string) =>
    smswire(['--json', 'send', ...uni, '--to', number(1), '--text', text, '--idempotency-key', 'order-1'], { env });
  const first = await send('Your order shipped');
  expect(first.code).toBe(0);
  const [sent] = jsonLines(first.stdout);
  expect(sent).toMatchObject({ type: 'sent', id: 'order-1' });
  expect(sent!.replayed).toBeUndefined();
  const again = await send('Your order shipped');
  expect(again.code).toBe(0);
  expect(jsonLines(again.stdout)[0]).toEqual({ ...sent, replayed: true });
  expect(times(number(1))).toBe(1);
  const text = await smswire(
    ['send', ...uni, '--to', number(1), '--text', 'Your order shipped', '--idempotency-key', 'order-1'],
    { env },
  );
  expect(text.stdout).toMatch(/^replayed, nothing sent now/);
  // The same key for another text is refused, not replayed: exit 2.
  const other = await send('Another text');
  expect(other.code).toBe(2);
  expect(jsonLines(other.stdout)[0]).toMatchObject({ type: 'error', name: 'SendError', reason: 'validation' });
  expect(times(number(1))).toBe(1);
  // Another campaign is another key.
  const campaign = await smswire(
    [
      '--json',
      'send',
      ...uni,
      '--to',
      number(1),
      '--text',
      'Your order shipped',
      '--idempotency-key',
      'order-1',
      '--campaign',
      'june',
    ],
    { env },
  );
  expect(jsonLines(campaign.stdout)[0]!.replayed).toBeUndefined();
  expect(times(number(1))).toBe(2);
});

const csvOf = (name: string, first: number, count: number, text = 'Sale') => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `to,text,id\n${Array.from({ length: count }, (_, i) => `${number(first + i)},${text},c${i}`).join('\n')}\n`,
  );
  return path;
};

it('two bulk runs on one CSV at once: the second is refused (exit 2, naming the holder) and nothing is sent twice', async () => {
  const csv = csvOf('twice.csv', 100, 30);
  vendor.mode = 'slow';
  vendor.slowMs = 300;
  const first = await startSmswire(['--json', 'bulk', csv, ...uni, '--batch-size', '1', '--concurrency', '1']);
  while (times(number(100)) === 0) await new Promise((r) => setTimeout(r, 10));
  const second = await smswire(['bulk', csv, ...uni]);
  expect(second.code).toBe(2);
  expect(second.stderr).toMatch(/is locked by process \d+ on /);
  vendor.mode = 'ok';
  expect((await first.done).code).toBe(0);
  expect(Array.from({ length: 30 }, (_, i) => times(number(100 + i)))).toEqual(Array(30).fill(1));
});

it('two workers on one --ledger file: the second is refused, each row received once', async () => {
  const csv = csvOf('workers.csv', 200, 20);
  const ledger = `file:${join(dir, 'workers-ledger.jsonl')}`;
  vendor.mode = 'slow';
  const first = await startSmswire([
    'bulk',
    csv,
    ...uni,
    '--ledger',
    ledger,
    '--journal',
    join(dir, 'w1.jsonl'),
    '--concurrency',
    '1',
    '--batch-size',
    '1',
  ]);
  while (times(number(200)) === 0) await new Promise((r) => setTimeout(r, 10));
  const second = await smswire(['bulk', csv, ...uni, '--ledger', ledger, '--journal', join(dir, 'w2.jsonl')]);
  expect(second.code).toBe(2);
  vendor.mode = 'ok';
  expect((await first.done).code).toBe(0);
  expect(Array.from({ length: 20 }, (_, i) => times(number(200 + i)))).toEqual(Array(20).fill(1));
});

it('campaigns on one ledger: a new campaign reusing ids is sent, a rerun of one is replayed (marked), a reused key for another text refused', async () => {
  const ledger = `file:${join(dir, 'campaigns-ledger.jsonl')}`;
  const may = csvOf('may.csv', 300, 4);
  const run = (csv: string, ...extra: string[]) =>
    smswire(['--json', 'bulk', csv, ...uni, '--ledger', ledger, ...extra]);
  const first = await run(may);
  expect(first.code).toBe(0);
  expect(jsonLines(first.stdout).at(-1)).toMatchObject({
    accepted: 4,
    campaign: expect.stringMatching(/^may-[0-9a-f]{8}$/),
  });
  // The same ids (c0…c3) in June's file, other numbers: another campaign, sent.
  const june = await run(csvOf('june.csv', 400, 4));
  expect(jsonLines(june.stdout).at(-1)).toMatchObject({ accepted: 4 });
  expect(Array.from({ length: 4 }, (_, i) => times(number(400 + i)))).toEqual([1, 1, 1, 1]);
  // May again with a fresh journal: the ledger answers, each row marked as replayed, none sent.
  const replay = await run(may, '--journal', join(dir, 'may-again.jsonl'));
  const rows = jsonLines(replay.stdout).filter((l) => l.type === 'row');
  expect(rows.map((r) => [r.status, r.replayed])).toEqual(Array(4).fill(['accepted', true]));
  expect(Array.from({ length: 4 }, (_, i) => times(number(300 + i)))).toEqual([1, 1, 1, 1]);
  const text = await smswire(['bulk', may, ...uni, '--ledger', ledger, '--journal', join(dir, 'may-text.jsonl')]);
  expect(text.stdout).toContain('(replayed: sent before with this key, not now)');
  // The campaign named, its keys reused for another text: refused, never replayed.
  const changed = csvOf('may-changed.csv', 300, 4, 'Other text');
  const refused = await run(
    changed,
    '--campaign',
    jsonLines(first.stdout).at(-1)!.campaign as string,
    '--journal',
    join(dir, 'changed.jsonl'),
  );
  const refusedRows = jsonLines(refused.stdout).filter((l) => l.type === 'row');
  expect(refusedRows.map((r) => [r.status, r.reason, r.replayed])).toEqual(
    Array(4).fill(['rejected', 'validation', undefined]),
  );
  expect(Array.from({ length: 4 }, (_, i) => times(number(300 + i)))).toEqual([1, 1, 1, 1]);
});

it('--resend-unknown with --ledger sends the rows whose replies were lost; without it they are not sent again', async () => {
  const csv = csvOf('lost.csv', 500, 3);
  const ledger = `file:${join(dir, 'lost-ledger.jsonl')}`;
  vendor.mode = 'lost';
  const lost = await smswire(['--json', 'bulk', csv, ...uni, '--ledger', ledger]);
  expect(jsonLines(lost.stdout).at(-1)).toMatchObject({ unknown: 3 });
  vendor.mode = 'ok';
  // A fresh journal: only the ledger knows these rows are unknown.
  const again = await smswire([
    '--json',
    'bulk',
    csv,
    ...uni,
    '--ledger',
    ledger,
    '--journal',
    join(dir, 'lost-2.jsonl'),
  ]);
  expect(jsonLines(again.stdout).at(-1)).toMatchObject({ unknown: 3 });
  expect(Array.from({ length: 3 }, (_, i) => times(number(500 + i)))).toEqual([1, 1, 1]);
  const resent = await smswire(['--json', 'bulk', csv, ...uni, '--ledger', ledger, '--resend-unknown']);
  expect(resent.code).toBe(0);
  expect(jsonLines(resent.stdout).at(-1)).toMatchObject({ accepted: 3, unknown: 0 });
  expect(Array.from({ length: 3 }, (_, i) => times(number(500 + i)))).toEqual([2, 2, 2]);
});

it('reconcile resolves the SMS Leads rows whose replies were lost: their message IDs were journaled before the requests', async () => {
  const leads = vendorArgs.smsleads!;
  const csv = join(dir, 'leads.csv');
  const numbers = [0, 1, 2].map((i) => leads.number(600 + i));
  writeFileSync(csv, `to,text\n${numbers.map((n) => `${n},Hi`).join('\n')}\n`);
  const args = ['--vendor', 'smsleads', '--base-url', vendor.url, ...leads.args];
  vendor.mode = 'lost';
  const lost = await smswire(['--json', 'bulk', csv, ...args, '--from', 'ACME']);
  vendor.mode = 'ok';
  expect(jsonLines(lost.stdout).at(-1)).toMatchObject({ unknown: 3 });
  const reconciled = await smswire(['--json', 'reconcile', `${csv}.journal.jsonl`, ...args]);
  expect(reconciled.code).toBe(0);
  expect(jsonLines(reconciled.stdout).at(-1)).toEqual({ type: 'summary', unknown: 3, resolved: 3, left: 0 });
  // The next run counts them as accepted, sending nothing.
  const resumed = await smswire(['--json', 'bulk', csv, ...args, '--from', 'ACME']);
  expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ accepted: 3, unknown: 0, resumed: 3 });
  expect(numbers.map((n) => times(n))).toEqual([1, 1, 1]);
});

it('send --resend-unknown sends a key whose first send has an unknown outcome; without it the repeat is exit 4, nothing sent', async () => {
  const env = cleanEnv({ XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')) });
  const send = (...extra: string[]) =>
    smswire(['--json', 'send', ...uni, '--to', number(700), '--text', 'Hi', '--idempotency-key', 'lost-1', ...extra], {
      env,
    });
  vendor.mode = 'lost';
  expect((await send()).code).toBe(4);
  vendor.mode = 'ok';
  const again = await send();
  expect(again.code).toBe(4);
  expect(times(number(700))).toBe(1);
  const resent = await send('--resend-unknown');
  expect(resent.code).toBe(0);
  expect(times(number(700))).toBe(2);
});
