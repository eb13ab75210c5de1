import { execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  readdirSync,
  writeFileSync,
  writeSync as nodeWriteSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLedgerError, fileLedger } from '../src/file-ledger.js';
import { createSms, type SendError } from '../src/index.js';
import { countingVendor, ledgerContract } from './ledger-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'smswire-file-ledger-'));
const opened: { close(): void }[] = [];
afterAll(() => {
  for (const ledger of opened) ledger.close();
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;
const freshPath = () => join(dir, `ledger-${++files}.jsonl`);

const shared = fileLedger(freshPath());
opened.push(shared);
ledgerContract('file ledger', () => shared);

/** The keys of the file's lines, in order, read as a new process would. */
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { key: string; entry: { state: string }; at: number });

// Issue 29, "A full disk": a line is written whole or the claim fails before any request, and a
// torn line never reads as a decision.
describe('a write the disk takes only part of', () => {
  /** `writeSync` that takes only half of the line once `failing` is set, and nothing after that. */
  const shortWrites = () => {
    const state = { failing: false, short: 0 };
    const write = (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (!state.failing) return writeSync(fd, buffer, offset, length);
      state.short++;
      if (state.short > 1) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return writeSync(fd, buffer, offset, Math.floor(length / 2));
    };
    return { state, write };
  };

  it('fails the claim (notAccepted, vendorDown), sends nothing, and leaves no torn line; the key is sent once space is back', async () => {
    const path = freshPath();
    const disk = shortWrites();
    const vendor = countingVendor();
    const ledger = fileLedger(path, { fs: { writeSync: disk.write } });
    const sms = createSms({ vendors: [vendor.adapter], ledger });
    await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'before' });
    const size = readFileSync(path).length;

    disk.state.failing = true;
    const error = await sms.send({ to: '+306971000002', text: 'Hi', idempotencyKey: 'full' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'vendorDown', key: 'full' });
    expect((error as Error & { cause: unknown }).cause).toBeInstanceOf(FileLedgerError);
    expect((error as Error).message).toMatch(/nothing was sent.*ENOSPC/);
    const [row] = await sms.sendMany([{ to: '+306971000003', text: 'Hi', idempotencyKey: 'full-many' }]);
    expect(row).toMatchObject({ status: 'rejected', reason: 'vendorDown' });
    expect(vendor.received.map((m) => m.key)).toEqual(['before']);
    // The half line was cut back off: the file is as it was.
    expect(readFileSync(path).length).toBe(size);

    disk.state.failing = false;
    expect(await sms.send({ to: '+306971000002', text: 'Hi', idempotencyKey: 'full' })).not.toHaveProperty('replayed');
    ledger.close();
    expect(lines(path).map((l) => [l.key, l.entry.state])).toEqual([
      ['before', 'pending'],
      ['before', 'sent'],
      ['full', 'pending'],
      ['full', 'sent'],
    ]);
    expect(vendor.times('full')).toBe(1);
  });

  it('a record the disk cannot take leaves the key pending (never sent again), and the result is still returned', async () => {
    const path = freshPath();
    const disk = shortWrites();
    const vendor = countingVendor();
    const ledger = fileLedger(path, {
      fs: {
        writeSync: (fd, buffer, offset, length) => {
          // The claim goes through; the outcome after it does not.
          if (
            Buffer.from(buffer)
              .toString('utf8', offset, offset + length)
              .includes('"sent"')
          )
            disk.state.failing = true;
          return disk.write(fd, buffer, offset, length);
        },
      },
    });
    const sms = createSms({ vendors: [vendor.adapter], ledger });
    expect(await sms.send({ to: '+306971000001', text: 'Hi', idempotencyKey: 'k' })).toMatchObject({ messageId: 'm1' });
    ledger.close();
    expect(lines(path).map((l) => [l.key, l.entry.state])).toEqual([['k', 'pending']]);
    const again = fileLedger(path);
    opened.push(again);
    await expect(
      createSms({ vendors: [vendor.adapter], ledger: again }).send({
        to: '+306971000001',
        text: 'Hi',
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({ outcome: 'unknown' });
    expect(vendor.times('k')).toBe(1);
  });
});

describe('a file written before fingerprints and times', () => {
  it('still replays its entries, and forgets nothing of them on opening', async () => {
    const path = freshPath();
    const result = {
      id: 'old-1',
      vendor: 'sms365',
      messageId: 'm9',
      to: '+306971000001',
      state: 'accepted',
      encoding: 'gsm7',
      parts: 1,
    };
    writeFileSync(path, `${JSON.stringify({ key: 'old-1', entry: { state: 'sent', result } })}\n`);
    const vendor = countingVendor();
    const ledger = fileLedger(path);
    const sms = createSms({ vendors: [vendor.adapter], ledger });
    expect(await sms.send({ to: '+306971000001', text: 'Anything', idempotencyKey: 'old-1' })).toEqual({
      ...result,
      replayed: true,
    });
    ledger.close();
    expect(vendor.received).toEqual([]);
  });
});

// Issue 29, "The default ledger never forgets": the file forgets keys after a window (30 days by
// default) and is compacted, rewritten whole with its live lines, once it has grown past twice them.
describe('the file ledger forgets and compacts', () => {
  const day = 24 * 60 * 60 * 1000;
  const sentEntry = (key: string) => ({
    state: 'sent' as const,
    result: {
      id: key,
      vendor: 'sms365' as const,
      to: '+306971000001',
      state: 'accepted' as const,
      encoding: 'gsm7' as const,
      parts: 1,
    },
  });

  it('rewrites the file with the live lines once it passes twice their size, keeping every answer', async () => {
    const path = freshPath();
    const ledger = fileLedger(path, { compactAtBytes: 4096 });
    for (let n = 0; n < 20; n++) {
      await ledger.claim(`k${n}`);
      await ledger.record(`k${n}`, sentEntry(`k${n}`));
    }
    // The same 20 keys written again and again: the file would grow without bound.
    for (let round = 0; round < 30; round++)
      for (let n = 0; n < 20; n++) await ledger.record(`k${n}`, sentEntry(`k${n}`));
    const size = readFileSync(path).length;
    const live = lines(path);
    // At most twice the live lines (20), and never below them; each key's last line.
    expect(live.length).toBeLessThanOrEqual(40);
    expect(new Set(live.map((l) => l.key)).size).toBe(20);
    expect(size).toBeLessThan(2 * 20 * 400);
    ledger.close();
    const again = fileLedger(path);
    for (let n = 0; n < 20; n++) expect(await again.get(`k${n}`)).toEqual(sentEntry(`k${n}`));
    again.close();
    expect(readdirSync(dir).filter((f) => f.includes('.compact'))).toEqual([]);
  });

  it('forgets a key 30 days after its last line by default, on reading and reopening, and drops it at compaction', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const path = freshPath();
    const ledger = fileLedger(path, { now: () => now, compactAtBytes: 1 });
    await ledger.claim('old');
    await ledger.record('old', sentEntry('old'));
    now += 30 * day - 1;
    expect(await ledger.get('old')).toEqual(sentEntry('old'));
    now += 1;
    expect(await ledger.get('old')).toBeUndefined();
    ledger.close();
    const reopened = fileLedger(path, { now: () => now, compactAtBytes: 1 });
    expect(await reopened.claim('old')).toBeUndefined();
    await reopened.record('old', sentEntry('old'));
    await reopened.claim('new');
    reopened.close();
    // Compacted on the way: the forgotten lines (written 30 days ago) are gone.
    const kept = lines(path);
    expect(kept.map((l) => l.key)).toEqual(['old', 'old', 'new']);
    for (const line of kept) expect(line.at).toBe(now);
  });

  it('a compaction the disk cannot take leaves the file whole, and the ledger goes on', async () => {
    const path = freshPath();
    // The ledger's own file takes every write; the compacted copy (another descriptor) none.
    let ledgerFd: number | undefined;
    let refused = 0;
    const ledger = fileLedger(path, {
      compactAtBytes: 1,
      fs: {
        writeSync: (fd, buffer, offset, length) => {
          ledgerFd ??= fd;
          if (fd !== ledgerFd) {
            refused++;
            throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
          }
          return writeSync(fd, buffer, offset, length);
        },
      },
    });
    await ledger.claim('a');
    for (let n = 0; n < 5; n++) await ledger.record('a', sentEntry('a'));
    await ledger.claim('b');
    expect(refused).toBeGreaterThan(0);
    ledger.close();
    expect(readdirSync(dir).filter((f) => f.includes('.compact'))).toEqual([]);
    expect(lines(path)).toHaveLength(7);
    const reopened = fileLedger(path);
    expect(await reopened.get('a')).toEqual(sentEntry('a'));
    expect(await reopened.get('b')).toMatchObject({ state: 'pending' });
    reopened.close();
  });
});

/** A 64 KiB tmpfs, where the machine lets this process mount one (root on Linux); else undefined. */
function smallDisk(): string | undefined {
  const mount = mkdtempSync(join(tmpdir(), 'smswire-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount], { stdio: 'ignore' });
    return mount;
  } catch {
    rmSync(mount, { recursive: true, force: true });
    return undefined;
  }
}
const disk = smallDisk();
afterAll(() => {
  if (!disk) return;
  execFileSync('umount', [disk]);
  rmSync(disk, { recursive: true, force: true });
});

// The reproduction, on a real full disk (a 64 KiB tmpfs): the ledger's lines go on
// filling the last page the file has; one that does not fit is written in part (a short count),
// then the disk refuses. Where mount is refused (not root), the injected short writes above
// cover the same path.
describe.skipIf(!disk)('a real full disk (64 KiB tmpfs)', () => {
  it('no message is sent twice, and every key whose claim failed is sent once space is back', async () => {
    const path = join(disk!, 'ledger.jsonl');
    const filler = join(disk!, 'filler');
    const vendor = countingVendor();
    const message = (n: number) => ({ to: '+306971000001', text: `Message ${n}`, idempotencyKey: `row-${n}` });
    let ledger = fileLedger(path);
    let sms = createSms({ vendors: [vendor.adapter], ledger });
    await sms.send(message(0));
    // Every page of the disk taken: what is left is the rest of the ledger's last page.
    const fd = openSync(filler, 'w');
    try {
      for (;;) nodeWriteSync(fd, Buffer.alloc(4096));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }

    const first: Record<string, string> = {};
    for (let n = 1; n <= 40; n++) {
      const outcome = await sms.send(message(n)).then(
        () => 'accepted',
        (error: SendError) => `${error.outcome}:${error.reason}`,
      );
      first[`row-${n}`] = outcome;
    }
    const claimFailed = Object.keys(first).filter((key) => first[key] === 'notAccepted:vendorDown');
    expect(claimFailed.length).toBeGreaterThan(0);
    for (const key of claimFailed) expect(vendor.times(key)).toBe(0);
    ledger.close();
    // Every line on the disk is whole.
    for (const line of lines(path)) expect(line.key).toMatch(/^row-\d+$/);

    // Space back, a new process: the keys whose claim failed go out now, nothing goes twice.
    rmSync(filler);
    ledger = fileLedger(path);
    sms = createSms({ vendors: [vendor.adapter], ledger });
    for (let n = 0; n <= 40; n++) await sms.send(message(n)).catch(() => undefined);
    ledger.close();
    for (let n = 0; n <= 40; n++) expect(vendor.times(`row-${n}`)).toBe(1);
  });
});
