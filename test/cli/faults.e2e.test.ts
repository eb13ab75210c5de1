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
  /** The vendor, where it answers, and who sends: what `bulk` and `send` both name. */
  const target = (baseUrl = vendor.url) => ['--vendor', id, '--base-url', baseUrl, ...credentials, '--from', 'ACME'];
  const bulk = (csv: string, ...extra: string[]) => [
    '--json',
    'bulk',
    csv,
    ...target(),
    '--batch-size',
    '3',
    '--concurrency',
    '2',
    ...extra,
  ];
  /** An environment whose writes under `disk` fail once `bytes` are written there (full-disk.mjs). */
  const fullDisk = (disk: string, bytes: string, extra: Record<string, string> = {}) =>
    cleanEnv({
      ...extra,
      NODE_OPTIONS: `--import=${preload}`,
      SMSWIRE_TEST_DISK: disk,
      SMSWIRE_TEST_DISK_BYTES: bytes,
    });
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
    const full = await smswire(bulk(path, '--journal', journal), { env: fullDisk(disk, '1200') });
    expect(full.code).toBe(4);
    expect(jsonLines(full.stdout).at(-1)).toMatchObject({ type: 'error', name: 'JournalWriteError' });
    expectSettled(numbers, await smswire(bulk(path, '--journal', journal)));
  });

  it('bulk: the ledger down (its disk full), then a resume', async () => {
    const { path, numbers } = campaign();
    const disk = mkdtempSync(join(dir, 'ledger-'));
    const ledger = `file:${join(disk, 'ledger.jsonl')}`;
    const down = await smswire(bulk(path, '--ledger', ledger), { env: fullDisk(disk, '0') });
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

  /** `send` to one number under this vendor's idempotency key `${id}-${key}`. */
  const sendArgs = (to: string, key: string, baseUrl = vendor.url) => [
    '--json',
    'send',
    ...target(baseUrl),
    '--to',
    to,
    '--text',
    'Hello',
    '--idempotency-key',
    `${id}-${key}`,
  ];
  const send = (to: string, env: Record<string, string>, key: string) => smswire(sendArgs(to, key), { env });
  /** A number no other case uses, and a state home of its own that the case's runs share (their ledger). */
  const oneNumber = () => {
    const state = mkdtempSync(join(dir, 'state-'));
    return { to: campaign().numbers[0]!, state, env: cleanEnv({ XDG_STATE_HOME: state }) };
  };

  it('send: a lost reply, then the same command again: not sent twice', async () => {
    const { to, env } = oneNumber();
    vendor.mode = 'lost';
    const lost = await send(to, env, 'lost');
    expect(lost.code).toBe(4);
    vendor.mode = 'ok';
    const again = await send(to, env, 'lost');
    expect(again.code).toBe(4);
    expect(jsonLines(again.stdout)[0]).toMatchObject({ type: 'error', outcome: 'unknown' });
    expect(vendor.received.get(digits(to))).toBe(1);
  });

  it('send: the vendor unreachable, then up: sent once', async () => {
    const { to, env } = oneNumber();
    const { refusedUrl } = await import('../support/server.js');
    const down = await smswire(sendArgs(to, 'down', await refusedUrl()), { env });
    expect(down.code).toBe(3);
    const up = await send(to, env, 'down');
    expect(up.code).toBe(0);
    expect(vendor.received.get(digits(to))).toBe(1);
  });

  it('send: the same key from several processes at once: received once', async () => {
    const { to, env } = oneNumber();
    vendor.mode = 'slow';
    const runs = await Promise.all(Array.from({ length: 3 }, () => send(to, env, 'race')));
    vendor.mode = 'ok';
    expect(vendor.received.get(digits(to))).toBe(1);
    // One sent it; the others waited their turn at the ledger and replayed it, or found it under way (unknown).
    expect(runs.map((r) => r.code).filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
    expect(runs.every((r) => r.code === 0 || r.code === 4)).toBe(true);
  });

  it('send: Ctrl-C while the request is under way, then again: not sent twice', async () => {
    const { to, env } = oneNumber();
    vendor.mode = 'slow';
    const run = await startSmswire(sendArgs(to, 'int'), { env });
    await until(() => vendor.received.has(digits(to)));
    run.child.kill('SIGINT');
    await run.done;
    vendor.mode = 'ok';
    const again = await send(to, env, 'int');
    expect([0, 4]).toContain(again.code);
    expect(vendor.received.get(digits(to))).toBe(1);
  });

  it('send: its ledger on a full disk: not sent, then sent once', async () => {
    const { to, state, env } = oneNumber();
    const full = await send(to, fullDisk(state, '0', { XDG_STATE_HOME: state }), 'disk');
    expect(full.code).toBe(3);
    expect(vendor.received.has(digits(to))).toBe(false);
    const again = await send(to, env, 'disk');
    expect(again.code).toBe(0);
    expect(vendor.received.get(digits(to))).toBe(1);
  });
});
