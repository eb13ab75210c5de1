import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/progress.js';

/** What a terminal of `columns` would show: each redraw's visible text, escape codes removed. */
function drawn(columns: number | undefined, total: number | undefined): string[] {
  const writes: string[] = [];
  const progress = createProgress(total, { columns, write: (text: string) => writes.push(text) });
  progress.stop(10, '10 accepted, 0 rejected, 0 unknown');
  return (
    writes
      .filter((w) => w !== '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape codes are what is removed
      .map((w) => w.replace(/\r|\u001b\[[0-9;]*[A-Za-z]/g, ''))
  );
}

describe('the progress line never wraps', () => {
  it.each([1, 2, 5, 20, 40, 80, 200])('on a %i-column terminal each redraw fits on one line', (columns) => {
    for (const total of [100, undefined])
      for (const line of drawn(columns, total)) expect([...line].length).toBeLessThanOrEqual(columns - 1);
  });

  it('a terminal that reports no width is taken as 80 columns, with the bar', () => {
    for (const columns of [0, undefined]) {
      const lines = drawn(columns, 100);
      expect(lines.at(-1)).toContain('━');
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(79);
    }
  });
});
