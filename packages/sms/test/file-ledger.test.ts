import { mkdtempSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLedgerError, fileLedger } from '../src/file-ledger.js';
import { createSms } from '../src/index.js';
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
    .map((line) => JSON.parse(line) as { key: string; entry: { state: string } });

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
