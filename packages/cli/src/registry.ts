import type { Command } from 'commander';
import type { Context } from './io.js';

/**
 * What registering a command is given. A command is one function in `commands` (commands.ts): it adds
 * itself to `program` (or through `vendorCommand`, for one that talks to vendors) and wraps its
 * action in `run`, which hands it the run's `Context` (streams, environment, clock, output) and
 * makes what it returns the exit code.
 */
export interface Registry {
  program: Command;
  /**
   * A command that talks to vendors: `--vendor` (unless it takes the vendor as its argument,
   * `vendorHelp` undefined), `--base-url`, `--timeout`, and each vendor's credential flags,
   * listed in its help by vendor rather than as nine rows that each apply to one or two.
   */
  vendorCommand(name: string, description: string, vendorHelp: string | undefined): Command;
  /** Adds the examples to a command's help. */
  examples(command: Command, lines: readonly string[]): Command;
  run<A extends unknown[]>(
    action: (ctx: Context, ...args: A) => Promise<number> | number,
  ): (...args: A) => Promise<void>;
}
