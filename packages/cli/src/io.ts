import type { Readable, Writable } from 'node:stream';
import type { Output } from './output.js';

/**
 * What a run of the command reads and writes, given to `main` (as `gh` passes its iostreams):
 * the bin passes the process's, a test its own streams, environment and clock. Nothing under
 * `src/` reads `process.env`, `process.stdout` or `Date.now()` itself.
 */
export interface Io {
  /** The environment: `SMSWIRE_*` variables, `XDG_CONFIG_HOME`, `XDG_STATE_HOME`. `--env-file` adds to it. */
  env: Record<string, string | undefined>;
  stdin: Readable & { isTTY?: boolean | undefined };
  stdout: Writable & { isTTY?: boolean | undefined; columns?: number | undefined };
  stderr: Writable;
  /** The clock, in epoch milliseconds (`Date.now`). */
  now?: (() => number) | undefined;
  /** Ends the process at once (a second Ctrl-C during `bulk`); `process.exit` by default. */
  exit?: ((code: number) => void) | undefined;
}

/** An `Io` with its clock and exit filled in. */
export type RunIo = Io & { now: () => number; exit: (code: number) => void };

/** The process's own streams, environment and clock: what the bin passes. */
export function processIo(): RunIo {
  return {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    now: Date.now,
    exit: (code) => process.exit(code),
  };
}

/** What every command is given: the run's streams, environment and clock, and its output. */
export interface Context {
  io: RunIo;
  out: Output;
}

export function withDefaults(io: Io): RunIo {
  return { ...io, now: io.now ?? Date.now, exit: io.exit ?? ((code) => process.exit(code)) };
}
