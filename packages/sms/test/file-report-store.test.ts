import fs, { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileReportStore, reportFileReader } from '../src/file-report-store.js';

type Flush = (fd: number, done: (error: NodeJS.ErrnoException | null) => void) => void;

/**
 * Runs `run` with the store's flushes going through `flush`, which is handed the real one: the
 * store's named import of `fdatasync` follows the module's export once `syncBuiltinESMExports` is
 * called (as the command's full-disk preload does), and both are put back after.
 */
async function withFlush<T>(flush: (real: Flush) => Flush, run: () => Promise<T>): Promise<T> {
  const real = fs.fdatasync;
  fs.fdatasync = flush(real) as unknown as typeof fs.fdatasync;
  syncBuiltinESMExports();
  try {
    return await run();
  } finally {
    fs.fdatasync = real;
    syncBuiltinESMExports();
  }
}

/** Every flush fails, as a failing disk's would. */
const failing = (): Flush => (_fd, done) =>
  void setTimeout(() => done(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })), 5);

/**
 * The file store commits in groups (one write and fsync for the changes that arrive together):
 * a swap resolves only once its line is in the file, every change made at once is kept, and
 * reopening the file gives them all back.
 */
it('concurrent swaps each resolve only once their line is in the file, and all survive a reopen', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'smswire-frs-')), 'reports.jsonl');
  const store = fileReportStore(path);
  const missing: number[] = [];
  await Promise.all(
    Array.from({ length: 300 }, async (_, i) => {
      expect(await store.swap([`message:${i}`], [undefined], [`state-${i}`])).toBe(true);
      if (!readFileSync(path, 'utf8').includes(`"message:${i}":"state-${i}"`)) missing.push(i);
    }),
  );
  expect(missing).toEqual([]);
  // A compare-and-set against what is no longer there fails, durable or not.
  expect(await store.swap(['message:1'], [undefined], ['again'])).toBe(false);
  // A change made while another batch is on its way is read only once it is on disk.
  const pending = store.swap(['message:1'], ['state-1'], ['state-1b']);
  const [value] = await store.read(['message:1']);
  expect(value).toBe('state-1b');
  expect(readFileSync(path, 'utf8')).toContain('"message:1":"state-1b"');
  await pending;
  await store.close();
  const reopened = fileReportStore(path);
  expect(await reopened.read(['message:0', 'message:1', 'message:299'])).toEqual(['state-0', 'state-1b', 'state-299']);
  expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(301);
  await reopened.close();
});

it('a change is answered only after a flush that began once its line was written, and one flush serves many', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'smswire-frs-')), 'reports.jsonl');
  const store = fileReportStore(path);
  /** The file's length when the last flush to end began: what that flush holds on disk. */
  let flushed = 0;
  let flushes = 0;
  const early: number[] = [];
  await withFlush(
    (real) => (fd, done) => {
      const size = fs.fstatSync(fd).size;
      real(fd, (error) => {
        flushes++;
        if (!error) flushed = Math.max(flushed, size);
        done(error);
      });
    },
    () =>
      Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          await store.swap([`message:${i}`], [undefined], [`state-${i}`]);
          const line = `{"message:${i}":"state-${i}"}\n`;
          const text = readFileSync(path, 'utf8');
          if (text.indexOf(line) + line.length > flushed) early.push(i);
        }),
      ),
  );
  expect(early).toEqual([]);
  expect(flushes).toBeGreaterThan(0);
  expect(flushes).toBeLessThan(20);
  await store.close();
});

it('a flush that fails undoes every change not yet on disk, in memory and in the file, and the store goes on', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'smswire-frs-')), 'reports.jsonl');
  const store = fileReportStore(path);
  expect(await store.swap(['message:0'], [undefined], ['kept'])).toBe(true);
  const results = await withFlush(failing, () =>
    Promise.allSettled([
      store.swap(['message:0'], ['kept'], ['lost']),
      store.swap(['message:1'], [undefined], ['lost']),
    ]),
  );
  expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  // Nothing answered on a change that never reached the disk: memory and file are as before.
  expect(await store.read(['message:0', 'message:1'])).toEqual(['kept', undefined]);
  expect(readFileSync(path, 'utf8')).not.toContain('lost');
  expect(await store.swap(['message:1'], [undefined], ['later'])).toBe(true);
  await store.close();
  const reopened = fileReportStore(path);
  expect(await reopened.read(['message:0', 'message:1'])).toEqual(['kept', 'later']);
  await reopened.close();
});

it('a reader of a file another store writes sees each change once it is a whole line, and never writes', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'smswire-frs-')), 'reports.jsonl');
  const reader = reportFileReader(path);
  expect(await reader.read(['message:1'])).toEqual([undefined]);
  const writer = fileReportStore(path);
  await writer.swap(['message:1'], [undefined], ['sent']);
  expect(await reader.read(['message:1'])).toEqual(['sent']);
  await writer.swap(['message:1'], ['sent'], ['delivered']);
  await writer.close();
  // A line still being written is taken once it is whole.
  appendFileSync(path, '{"message:2":"deli');
  expect(await reader.read(['message:1', 'message:2'])).toEqual(['delivered', undefined]);
  appendFileSync(path, 'vered"}\n');
  expect(await reader.read(['message:2'])).toEqual(['delivered']);
  await expect(reader.swap(['message:3'], [undefined], ['x'])).rejects.toThrow('not written here');
});
