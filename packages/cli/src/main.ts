import { Command, CommanderError, Option } from 'commander';
import { SendError, ValidationError } from '@smswire/sms';
import { bulkCommand, type BulkFlags } from './bulk.js';
import { describeError, exitCodeHelp, exitCodeOf, exitCodes } from './exit-codes.js';
import { loginCommand } from './login.js';
import { mockCommand } from './mock.js';
import { Output } from './output.js';
import { cliVersion } from './version.js';
import { balanceCommand, reportCommand, segmentsCommand, statusCommand, vendorsCommand } from './reads.js';
import { listenCommand } from './listen.js';
import { reconcileCommand } from './reconcile.js';
import { callbackOptions } from './report-signing.js';
import { sendCommand, type SendFlags } from './send.js';
import { registerAfterSend } from './register-after-send.js';
import { summaryCommand } from './summary.js';
import { credentialFlags, type VendorFlags } from './setup.js';
import { kebab, vendorIds } from './vendors.js';
import type { ProduceFlags } from './queue/produce.js';
import type { WorkerFlags } from './queue/work.js';

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const credentialsHelp = `Credentials, highest first: the flags; SMSWIRE_<VENDOR>_<OPTION> environment variables
(SMSWIRE_DINISOFT_API_KEY, SMSWIRE_UNIFIED_BASE_URL…; \`smswire vendors\` lists them); --env-file;
the profile $XDG_CONFIG_HOME/smswire/config.json written by \`smswire login <vendor>\` (mode 0600).`;

/**
 * Commander quotes a mistyped flag whole (`unknown option '--apikey=SECRET'`), and a credential
 * given to it with it: here the error names the flag only. Subcommands are made by
 * `createCommand`, so every command has it.
 */
class Cli extends Command {
  override createCommand(name?: string): Command {
    return new Cli(name);
  }

  unknownOption(flag: string): void {
    const name = flag.startsWith('--') ? flag.split('=')[0]! : flag.slice(0, 2);
    (Command.prototype as unknown as { unknownOption(flag: string): void }).unknownOption.call(this, name);
  }
}

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = process): Promise<number> {
  const out = new Output(argv.includes('--json'), io.stdout, io.stderr);
  let code: number = exitCodes.done;
  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number> | number) =>
    async (...args: A) => {
      code = await action(...args);
    };

  const program = new Cli('smswire')
    .description('Send SMS through DiniSoft, Dreams, sms365, SMS Leads or Unified.')
    .option('--json', 'one JSON object a line, with a "type" field (see the README for each type)')
    .option('--env-file <path>', 'read SMSWIRE_* variables from this file (the environment wins)')
    .version(cliVersion(), '-V, --version', 'the version of smswire')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', `\n${exitCodeHelp}\n\n${credentialsHelp}\n`);

  const vendorCommand = (name: string, description: string, vendorHelp: string) => {
    const command = program
      .command(name)
      .description(description)
      .option('--vendor <vendor>', vendorHelp)
      .option('--base-url <url>', 'the vendor API’s base URL (a mock: `smswire mock <vendor>`)')
      .option('--account <name>', 'dinisoft: the account name its balance page is read for')
      .option('--timeout <ms>', 'per-request deadline in milliseconds')
      .addHelpText('after', `\n${exitCodeHelp}\n\n${credentialsHelp}\n`);
    for (const { name: option, vendors } of credentialFlags())
      command.addOption(new Option(`--${kebab(option)} <value>`, `${vendors.join(', ')}: ${option}`));
    return command;
  };
  const globals = (command: Command) => command.optsWithGlobals() as VendorFlags;

  vendorCommand('send', 'send one SMS', `the vendor, or several for failover: ${vendorIds.join(', ')}`)
    .requiredOption('--to <number>', 'the recipient: +E.164, 00…, or national with --country')
    .requiredOption('--text <text>', 'the message')
    .option('--from <sender>', 'the sender ID')
    .option('--at <iso-time>', 'send later (ISO 8601), where the vendor can schedule; a past time is refused')
    .option('--allow-past', 'accept an --at in the past (the vendor sends it at once)')
    .option(
      '--idempotency-key <key>',
      'a key that makes a repeat of this send print the first result, sending nothing (kept in --ledger, by default a file under $XDG_STATE_HOME/smswire/)',
    )
    .option('--ledger <url>', 'the idempotency ledger: redis://host:port or file:<path>')
    .option('--campaign <name>', 'the namespace of the idempotency key in the ledger')
    .option('--resend-unknown', 'send even if the key’s earlier send has an unknown outcome (it may go twice)')
    .option('--country <CC>', 'country of numbers written without their country code')
    .option('--dry-run', 'print the number, encoding, parts and the request it would make; send nothing')
    .action(run((_opts, command: Command) => sendCommand(globals(command) as SendFlags, out)));
  callbackOptions(program.commands.find((command) => command.name() === 'send')!);

  vendorCommand(
    'bulk',
    'send a CSV of messages (columns to,text[,from,id]; - reads stdin)',
    'the vendor, or several for failover',
  )
    .argument('<file>', 'the CSV file, or - for stdin')
    .option('--from <sender>', 'the sender ID for rows without a from column')
    .option('--country <CC>', 'country of numbers written without their country code')
    .option('--journal <file>', 'the journal (default: <file>.journal.jsonl beside the CSV)')
    .option('--resend-unknown', 'send again the rows an earlier run left with an unknown outcome')
    .option('--ledger <url>', 'a shared idempotency ledger: redis://host:port or file:<path>')
    .option(
      '--campaign <name>',
      'the namespace of the row keys in the ledger (default: the CSV’s name and a hash of its header and first row)',
    )
    .option('--concurrency <n>', 'vendor requests under way at once (default 16)')
    .option('--batch-size <n>', 'most messages in one vendor request')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .option(
      '--queue <url>',
      'enqueue the rows on this Redis for `smswire worker` on any number of machines (redis://host:port)',
    )
    .option('--rate <n/s>', 'with --queue: the vendor’s rate limit, kept by all workers together (50/s, 3000/min)')
    .option(
      '--chunk-size <n>',
      'with --queue: rows a worker takes at once (default: about 1,000, whole vendor requests)',
    )
    .option('--wait', 'with --queue: wait for the campaign to end and print its summary')
    .action(
      run(async (file: string, _opts, command: Command) => {
        const flags = globals(command);
        if (typeof flags.queue !== 'string') return bulkCommand(file, flags as BulkFlags, out, io.stdin);
        const { produceCampaign } = await import('./queue/produce.js');
        return produceCampaign(file, flags as ProduceFlags, out);
      }),
    );
  callbackOptions(program.commands.find((command) => command.name() === 'bulk')!);

  vendorCommand(
    'worker',
    'send the chunks of queued campaigns (smswire bulk <file> --queue …), on any machine',
    'the vendor, or several for failover',
  )
    .requiredOption('--queue <url>', 'the Redis the campaigns are queued on: redis://host:port')
    .option('--campaign <name>', 'only this campaign (default: every unfinished one)')
    .option('--concurrency <n>', 'vendor requests under way at once within a chunk (default 16)')
    .option('--batch-size <n>', 'most messages in one vendor request')
    .option('--chunks <n>', 'chunks this worker sends at once (default 2)')
    .option(
      '--lease <ms>',
      'how long a chunk stays with a worker that stopped answering before another takes it (default 30000)',
    )
    .action(
      run(async (_opts, command: Command) => {
        const { workerCommand } = await import('./queue/work.js');
        return workerCommand(globals(command) as WorkerFlags, out);
      }),
    );

  program
    .command('campaign')
    .description(
      'a queued campaign (smswire bulk --queue): progress across all workers, or its summary once it is done',
    )
    .argument('<name>', 'the campaign (--campaign of `smswire bulk --queue`)')
    .requiredOption('--queue <url>', 'the Redis it is queued on: redis://host:port')
    .option('--wait', 'wait for the end, then print the summary')
    .action(
      run(async (name: string, opts: { queue: string; wait?: boolean }) => {
        const { campaignStatusCommand } = await import('./queue/status.js');
        return campaignStatusCommand(name, opts, out);
      }),
    );

  vendorCommand('balance', 'the account balance', 'the vendor(s); default: every configured one').action(
    run((_opts, command: Command) => balanceCommand(globals(command), out)),
  );

  vendorCommand('status', 'the delivery state of a message', 'the vendor that sent it')
    .argument('<message-id>', "the vendor's message ID")
    .action(run((id: string, _opts, command: Command) => statusCommand(id, globals(command), out)));

  vendorCommand('reconcile', 'ask the vendors about the rows a bulk journal left unknown', 'the vendor(s) to ask')
    .argument('<journal>', 'the journal of a bulk run')
    .action(run((path: string, _opts, command: Command) => reconcileCommand(path, globals(command), out)));

  registerAfterSend(vendorCommand, run, globals, out);

  vendorCommand('login', 'save a vendor’s credentials in the profile (asked for, hidden, on a terminal)', '')
    .argument('<vendor>', vendorIds.join(', '))
    .option('--from <sender>', 'the default sender ID')
    .action(run((vendor: string, _opts, command: Command) => loginCommand(vendor, globals(command), out)));

  program
    .command('segments')
    .description('encoding and parts of a text, per vendor')
    .argument('<text>')
    .option('--vendor <vendor>', 'only these vendors')
    .action(run((text: string, _opts, command: Command) => segmentsCommand(text, globals(command), out)));

  program
    .command('vendors')
    .description('what each vendor can do, and its credential variables')
    .action(run(() => vendorsCommand(out)));

  program
    .command('report')
    .description('read a saved delivery-report callback (its URL, request line or query string; - reads stdin)')
    .argument('<file>')
    .option('--vendor <vendor>', 'the vendor that called', 'sms365')
    .action(run((file: string, _opts, command: Command) => reportCommand(file, globals(command), out)));

  listenCommand(program, run, out);
  summaryCommand(program, run, out);

  program
    .command('mock')
    .description('serve a vendor’s shipped OpenAPI spec on Prism, until Ctrl-C')
    .argument('<vendor>', vendorIds.join(', '))
    .option('--port <port>', 'the port (default or 0: a free one, which it prints)')
    .action(run((vendor: string, opts: { port?: string }) => mockCommand(vendor, opts, out)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? exitCodes.done
        : exitCodes.usage;
    out.fail(describeError(error), describeFailure(error));
    return exitCodeOf(error);
  }
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof SendError)
    return error.outcome === 'unknown'
      ? `outcome unknown (${error.reason})${error.replayed ? ', replayed from the ledger' : ''}: ${message}\nIt may have been sent: do not resend blindly.`
      : `not sent (${error.reason}): ${message}`;
  if (error instanceof ValidationError) return `invalid: ${message}`;
  return `smswire: ${message}`;
}
