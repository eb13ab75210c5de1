import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, jsonLines, type Run, smswire, startSmswire } from './cli.js';
import { countingVendor, lastDigits as digits, vendorArgs } from './counting-vendors.js';

/**
 * The command's fault sweep: `bulk` and `send` through every vendor, against one stand-in that
 * counts every message it receives, under each fault an operator or a machine brings (a second
 * run at once, Ctrl-C, `kill -9`, a full disk, the ledger down, replies lost). After the fault,
 * the same command is run again with the fault gone, and the assertion is always the same: no
 * message received twice, and no row lost: each is accepted (received once), or listed as
 * unknown; a row certainly not sent is sent by the next run.
 */
const vendor = await countingVendor();
afterAll(() => vendor.close());
const dir = mkdtempSync(join(tmpdir(), 'smswire-faults-'));
const preload = new URL('./full-disk.mjs', import.meta.url).href;
const rows = 24;
const until = async (test: () => boolean) => {
  for (const deadline = Date.now() + 10_000; !test(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > deadline) throw new Error('the stand-in received nothing in 10 s');
};

describe.each(Object.keys(vendorArgs))('%s', (id) => {
  const { args: credentials, number } = vendorArgs[id]!;
  let cases = 0;
  /** A fresh CSV of `rows` numbers no other case uses. */
  const campaign = () => {
    const first = Object.keys(vendorArgs).indexOf(id) * 10_000 + ++cases * 100;
    const numbers = Array.from({ length: rows }, (_, i) => number(first + i));
    const path = join(dir, `${id}-${cases}.csv`);
    writeFileSync(path, `to,text\n${numbers.map((n, i) => `${n},Sale ${i}`).join('\n')}\n`);
    return { path, numbers };
  };
  const bulk = (csv: string, ...extra: string[]) => [
    '--json',
    'bulk',
    csv,
    '--vendor',
    id,
    '--base-url',
    vendor.url,
    ...credentials,
    '--from',
    'ACME',
    '--batch-size',
    '3',
    '--concurrency',
    '2',
    ...extra,
  ];
  const arrived = (numbers: readonly string[]) => numbers.filter((n) => vendor.received.has(digits(n))).length;

  /** The promise: none twice; each accepted once or listed unknown by the last run. */
  function expectSettled(numbers: readonly string[], last: Run) {
    expect(numbers.filter((n) => (vendor.received.get(digits(n)) ?? 0) > 1)).toEqual([]);
    const listed = new Map(
      jsonLines(last.stdout)
        .filter((l) => l.type === 'row')
        .map((l) => [digits(String(l.to)), l]),
    );
    for (const n of numbers) {
      const row = listed.get(digits(n));
      expect(row, n).toBeDefined();
      if (row!.status === 'unknown') continue;
      expect(row!.status, n).toBe('accepted');
      expect(vendor.received.get(digits(n)), n).toBe(1);
    }
  }

  it('bulk: Ctrl-C, then a resume', async () => {
    const { path, numbers } = campaign();
    vendor.mode = 'slow';
    const run = await startSmswire(bulk(path));
    await until(() => arrived(numbers) > 0);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(jsonLines(stopped.stdout).at(-1)).toMatchObject({ type: 'summary', stopped: 'interrupted', unknown: 0 });
    vendor.mode = 'ok';
    const last = await smswire(bulk(path));
    expect(last.code).toBe(0);
    expectSettled(numbers, last);
  });

  it('bulk: kill -9, then a resume', async () => {
    const { path, numbers } = campaign();
    vendor.mode = 'slow';
    const run = await startSmswire(bulk(path));
    await until(() => arrived(numbers) > 0);
    run.child.kill('SIGKILL');
    await run.done;
    vendor.mode = 'ok';
    expectSettled(numbers, await smswire(bulk(path)));
  });

  it('bulk: a full disk under the journal, then a resume', async () => {
    const { path, numbers } = campaign();
    const disk = mkdtempSync(join(dir, 'disk-'));
    const journal = join(disk, 'journal.jsonl');
    const env = cleanEnv({
      NODE_OPTIONS: `--import=${preload}`,
      SMSWIRE_TEST_DISK: disk,
      SMSWIRE_TEST_DISK_BYTES: '1200',
    });
    const full = await smswire(bulk(path, '--journal', journal), { env });
    expect(full.code).toBe(4);
    expect(jsonLines(full.stdout).at(-1)).toMatchObject({ type: 'error', name: 'JournalWriteError' });
    expectSettled(numbers, await smswire(bulk(path, '--journal', journal)));
  });

  it('bulk: the ledger down (its disk full), then a resume', async () => {
    const { path, numbers } = campaign();
    const disk = mkdtempSync(join(dir, 'ledger-'));
    const ledger = `file:${join(disk, 'ledger.jsonl')}`;
    const env = cleanEnv({
      NODE_OPTIONS: `--import=${preload}`,
      SMSWIRE_TEST_DISK: disk,
      SMSWIRE_TEST_DISK_BYTES: '0',
    });
    const down = await smswire(bulk(path, '--ledger', ledger), { env });
    expect(jsonLines(down.stdout).at(-1)).toMatchObject({ type: 'summary', rows, rejected: rows, retry: rows });
    expect(arrived(numbers)).toBe(0);
    const last = await smswire(bulk(path, '--ledger', ledger));
    expect(last.code).toBe(0);
    expectSettled(numbers, last);
  });

  it('bulk: replies lost on the way, then a resume', async () => {
    const { path, numbers } = campaign();
    vendor.mode = 'lost';
    const lost = await smswire(bulk(path));
    expect(lost.code).toBe(5);
    vendor.mode = 'ok';
    const last = await smswire(bulk(path));
    expect(jsonLines(last.stdout).at(-1)).toMatchObject({ unknown: arrived(numbers) });
    expectSettled(numbers, last);
  });
});
