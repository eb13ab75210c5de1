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
const rows = 18;
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

  it('bulk: a second run at once is refused, then a resume', async () => {
    const { path, numbers } = campaign();
    vendor.mode = 'slow';
    // Replies slow enough that the first run is still under way when the second starts, on a busy machine too.
    vendor.slowMs = 1500;
    const first = await startSmswire(bulk(path));
    await until(() => arrived(numbers) > 0);
    const second = await smswire(bulk(path));
    expect(second.code).toBe(2);
    vendor.mode = 'ok';
    vendor.slowMs = 200;
    await first.done;
    expectSettled(numbers, await smswire(bulk(path)));
  });

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

  const send = (to: string, env: Record<string, string>, ...extra: string[]) =>
    smswire(
      [
        '--json',
        'send',
        '--vendor',
        id,
        '--base-url',
        vendor.url,
        ...credentials,
        '--from',
        'ACME',
        '--to',
        to,
        '--text',
        'Hello',
        ...extra,
      ],
      { env },
    );
  const stateHome = () => cleanEnv({ XDG_STATE_HOME: mkdtempSync(join(dir, 'state-')) });

  it('send: a lost reply, then the same command again: not sent twice', async () => {
    const [to] = campaign().numbers;
    const env = stateHome();
    vendor.mode = 'lost';
    const lost = await send(to!, env, '--idempotency-key', `${id}-lost`);
    expect(lost.code).toBe(4);
    vendor.mode = 'ok';
    const again = await send(to!, env, '--idempotency-key', `${id}-lost`);
    expect(again.code).toBe(4);
    expect(jsonLines(again.stdout)[0]).toMatchObject({ type: 'error', outcome: 'unknown' });
    expect(vendor.received.get(digits(to!))).toBe(1);
  });

  it('send: the vendor unreachable, then up: sent once', async () => {
    const [to] = campaign().numbers;
    const env = stateHome();
    const { refusedUrl } = await import('../support/server.js');
    const down = await smswire(
      [
        '--json',
        'send',
        '--vendor',
        id,
        '--base-url',
        await refusedUrl(),
        ...credentials,
        '--from',
        'ACME',
        '--to',
        to!,
        '--text',
        'Hello',
        '--idempotency-key',
        `${id}-down`,
      ],
      { env },
    );
    expect(down.code).toBe(3);
    const up = await send(to!, env, '--idempotency-key', `${id}-down`);
    expect(up.code).toBe(0);
    expect(vendor.received.get(digits(to!))).toBe(1);
  });

  it('send: the same key from several processes at once: received once', async () => {
    const [to] = campaign().numbers;
    const env = stateHome();
    vendor.mode = 'slow';
    const runs = await Promise.all(Array.from({ length: 3 }, () => send(to!, env, '--idempotency-key', `${id}-race`)));
    vendor.mode = 'ok';
    expect(vendor.received.get(digits(to!))).toBe(1);
    // One sent it; the others waited their turn at the ledger and replayed it, or found it under way (unknown).
    expect(runs.map((r) => r.code).filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.code === 0 || r.code === 4)).toBe(true);
  });

  it('send: Ctrl-C while the request is under way, then again: not sent twice', async () => {
    const [to] = campaign().numbers;
    const env = stateHome();
    vendor.mode = 'slow';
    const run = await startSmswire(
      [
        '--json',
        'send',
        '--vendor',
        id,
        '--base-url',
        vendor.url,
        ...credentials,
        '--from',
        'ACME',
        '--to',
        to!,
        '--text',
        'Hello',
        '--idempotency-key',
        `${id}-int`,
      ],
      { env },
    );
    await until(() => vendor.received.has(digits(to!)));
    run.child.kill('SIGINT');
    await run.done;
    vendor.mode = 'ok';
    const again = await send(to!, env, '--idempotency-key', `${id}-int`);
    expect([0, 4]).toContain(again.code);
    expect(vendor.received.get(digits(to!))).toBe(1);
  });

  it('send: its ledger on a full disk: not sent, then sent once', async () => {
    const [to] = campaign().numbers;
    const state = mkdtempSync(join(dir, 'state-'));
    const env = cleanEnv({
      XDG_STATE_HOME: state,
      NODE_OPTIONS: `--import=${preload}`,
      SMSWIRE_TEST_DISK: state,
      SMSWIRE_TEST_DISK_BYTES: '0',
    });
    const full = await send(to!, env, '--idempotency-key', `${id}-disk`);
    expect(full.code).toBe(3);
    expect(vendor.received.has(digits(to!))).toBe(false);
    const again = await send(to!, cleanEnv({ XDG_STATE_HOME: state }), '--idempotency-key', `${id}-disk`);
    expect(again.code).toBe(0);
    expect(vendor.received.get(digits(to!))).toBe(1);
  });
});
