import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fileReportStore } from '../src/file-report-store.js';

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
