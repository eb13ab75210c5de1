import { progress as clackProgress, spinner } from '@clack/prompts';

export interface Progress {
  advance(done: number, counts: string): void;
  stop(done: number, counts: string): void;
}

/**
 * The terminal's progress line: clack's bar with the rate and the time left when the total is
 * known (a file), its spinner with the rate otherwise (stdin). Redrawn at most ten times a second.
 */
export function createProgress(total: number | undefined, output: NodeJS.WriteStream = process.stdout): Progress {
  const started = performance.now();
  const bar = total ? clackProgress({ max: Math.max(total, 1), output, style: 'heavy' }) : undefined;
  const spin = total ? undefined : spinner({ output });
  let shown = 0;
  let last = 0;
  const text = (done: number, counts: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = total && rate > 0 ? ` · ${duration((total - done) / rate)} left` : '';
    return `${done}${total ? `/${total}` : ''} rows · ${Math.round(rate)}/s${eta} · ${counts}`;
  };
  (bar ?? spin)!.start(text(0, 'starting'));
  return {
    advance(done, counts) {
      const now = performance.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      if (bar) bar.advance(done - shown, text(done, counts));
      else spin!.message(text(done, counts));
      shown = done;
    },
    stop(done, counts) {
      if (bar && done > shown) bar.advance(done - shown);
      (bar ?? spin)!.stop(text(done, counts));
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
