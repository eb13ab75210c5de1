export interface Progress {
  advance(done: number, counts: string): void;
  stop(done: number, counts: string): void;
}

const clearLine = '\r\u001b[2K';
const frames = ['◒', '◐', '◓', '◑'];

/**
 * The terminal's progress line: a bar with the rate and the time left when the total is known (a
 * file), a spinner with the rate otherwise (stdin). Redrawn at most ten times a second. Drawn
 * here, not by @clack/prompts: its bar puts stdin in raw mode, where Ctrl-C is a keypress the
 * bar answers with "Canceled" while the run goes on, and it adds SIGINT handlers of its own;
 * this line leaves the terminal and the signals to the command.
 */
export function createProgress(total: number | undefined, output: NodeJS.WriteStream = process.stdout): Progress {
  const started = performance.now();
  let last = 0;
  let frame = 0;
  const text = (done: number, counts: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = total && rate > 0 ? ` · ${duration((total - done) / rate)} left` : '';
    return `${done}${total ? `/${total}` : ''} rows · ${Math.round(rate)}/s${eta} · ${counts}`;
  };
  const bar = (done: number) => {
    if (!total) return frames[frame++ % frames.length]!;
    const width = 30;
    const filled = Math.min(width, Math.round((done / Math.max(total, 1)) * width));
    // The part to go dimmed, as clack's "heavy" bar drew it.
    return `◆  ${'━'.repeat(filled)}\u001b[2m${'━'.repeat(width - filled)}\u001b[22m`;
  };
  const draw = (done: number, counts: string) => {
    // Cut to the terminal's width: a line that wraps is not cleared by the next redraw.
    const room = (output.columns || 80) - 1 - (total ? 35 : 3);
    const words = text(done, counts);
    output.write(`${clearLine}${bar(done)}  ${words.length > room ? words.slice(0, Math.max(0, room)) : words}`);
  };
  draw(0, 'starting');
  return {
    advance(done, counts) {
      const now = performance.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      draw(done, counts);
    },
    stop(done, counts) {
      draw(done, counts);
      output.write('\n');
    },
  };
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
