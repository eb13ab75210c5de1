import type { Command } from 'commander';
import type { Output } from './output.js';
import type { VendorFlags } from './setup.js';
import { inboxCommand, type InboxFlags } from './inbox.js';
import { trackCommand, type TrackFlags } from './track.js';

type Run = <A extends unknown[]>(action: (...args: A) => Promise<number> | number) => (...args: A) => Promise<void>;

/**
 * The registration of `track` and `inbox` in the program: kept apart from main.ts so the command's entry can
 * move without touching what the command does.
 */
export function registerAfterSend(
  vendorCommand: (name: string, description: string, vendorHelp: string) => Command,
  run: Run,
  globals: (command: Command) => VendorFlags,
  out: Output,
): void {
  vendorCommand(
    'track',
    'follow a bulk journal’s accepted rows until each is final',
    'the vendor(s) to ask (default: the rows’)',
  )
    .argument('<journal>', 'the journal of a bulk run')
    .option('--deadline <time>', 'stop asking then: ISO 8601 or a duration from now (90s, 30m, 48h, 2d); default 48h')
    .option('--interval <ms>', 'the wait before the first round, doubling after each (default 30000)')
    .action(run((path: string, _opts, command: Command) => trackCommand(path, globals(command) as TrackFlags, out)));

  vendorCommand('inbox', 'the replies sent to your numbers, each once (SMS Leads)', 'the vendor(s) (default smsleads)')
    .option('--follow', 'keep reading as replies arrive, until Ctrl-C')
    .option('--interval <ms>', 'with --follow, the wait between reads (default 60000)')
    .option('--since <time>', 'without a saved cursor, read from this ISO 8601 time (default: 7 days back)')
    .option('--cursor-file <path>', 'where the cursor is kept (default $XDG_STATE_HOME/smswire/inbox-<vendor>.cursor)')
    .action(run((_opts, command: Command) => inboxCommand(globals(command) as InboxFlags, out)));
}
