import type { Command } from 'commander';
import { bulkCommand, type BulkFlags } from './bulk.js';
import { loginCommand } from './login.js';
import type { Registry } from './registry.js';
import { mockCommand } from './mock.js';
import { balanceCommand, reportCommand, segmentsCommand, statusCommand, vendorsCommand } from './reads.js';
import { reconcileCommand } from './reconcile.js';
import { sendCommand, type SendFlags } from './send.js';
import type { VendorFlags } from './setup.js';
import { vendorIds } from './vendors.js';

/** The flags of a command and the global ones (`--json`, `--env-file`), from commander's last argument. */
const globals = (command: Command) => command.optsWithGlobals() as VendorFlags;

/** DiniSoft's balance page is read for a client name: only the commands that read or save it take it. */
const account = ['--account <name>', 'dinisoft: the client name its balance page is read for'] as const;

const send = ({ vendorCommand, run, examples }: Registry) =>
  examples(
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
      .action(run((ctx, _opts, command: Command) => sendCommand(globals(command) as SendFlags, ctx))),
    [
      'smswire send --vendor dinisoft --to +8801712345678 --text "Your code is 1234" --from ACME',
      'smswire send --vendor sms365,dinisoft --to 01712345678 --country BD --text Hi --from ACME --dry-run',
      'smswire send --vendor dreams --to +8801712345678 --text Hi --from ACME --idempotency-key order-42',
    ],
  );

const bulk = ({ vendorCommand, run, examples }: Registry) =>
  examples(
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
      .action(
        run((ctx, file: string, _opts, command: Command) => bulkCommand(file, globals(command) as BulkFlags, ctx)),
      ),
    [
      'smswire bulk customers.csv --vendor unified --from ACME',
      'cat customers.csv | smswire bulk - --vendor dreams --from ACME --journal run.journal.jsonl --json',
      'smswire bulk customers.csv --vendor dinisoft --from ACME --ledger redis://127.0.0.1:6379 --campaign june',
    ],
  );

const balance = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    vendorCommand('balance', 'the account balance', 'the vendor(s); default: every configured one')
      .option(...account)
      .action(run((ctx, _opts, command: Command) => balanceCommand(globals(command), ctx))),
    ['smswire balance', 'smswire balance --vendor dinisoft --account acme --json'],
  );

const status = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    vendorCommand('status', 'the delivery state of a message', 'the vendor that sent it')
      .argument('<message-id>', "the vendor's message ID")
      .action(run((ctx, id: string, _opts, command: Command) => statusCommand(id, globals(command), ctx))),
    ['smswire status 194234 --vendor dinisoft'],
  );

const reconcile = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    vendorCommand(
      'reconcile',
      'ask the vendors about the rows a bulk journal left unknown',
      'the vendor(s) to ask (default: each row’s own)',
    )
      .argument('<journal>', 'the journal of a bulk run')
      .action(run((ctx, path: string, _opts, command: Command) => reconcileCommand(path, globals(command), ctx))),
    ['smswire reconcile customers.csv.journal.jsonl'],
  );

const login = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    // The vendor is the argument: no --vendor.
    vendorCommand('login', 'save a vendor’s credentials in the profile (asked for, hidden, on a terminal)', undefined)
      .argument('<vendor>', vendorIds.join(', '))
      .option('--from <sender>', 'the default sender ID')
      .option(...account)
      .action(run((ctx, vendor: string, _opts, command: Command) => loginCommand(vendor, globals(command), ctx))),
    ['smswire login dinisoft', 'smswire login unified --base-url http://sms.example.com:8080 --from ACME'],
  );

const segments = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('segments')
      .description('encoding and parts of a text, per vendor')
      .argument('<text>', 'the message')
      .option('--vendor <vendor>', 'only these vendors (default: every one)')
      .action(run((ctx, text: string, _opts, command: Command) => segmentsCommand(text, globals(command), ctx.out))),
    ['smswire segments "Hello, world"', 'smswire segments "Привет" --vendor dinisoft,unified --json'],
  );

const vendors = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('vendors')
      .description('what each vendor can do, its credential flags and their variables')
      .action(run((ctx) => vendorsCommand(ctx.out))),
    ['smswire vendors', 'smswire vendors --json'],
  );

const report = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('report')
      .description('read a saved delivery-report callback (its URL, request line or query string; - reads stdin)')
      .argument('<file>', 'the saved callback, or - for stdin')
      .option('--vendor <vendor>', 'the vendor that called', 'sms365')
      .action(run((ctx, file: string, _opts, command: Command) => reportCommand(file, globals(command), ctx))),
    ['smswire report callback.txt', "echo 'msgid=7731&status=DELIVRD' | smswire report - --json"],
  );

const mock = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('mock')
      .description('serve a vendor’s shipped OpenAPI spec on Prism, until Ctrl-C')
      .argument('<vendor>', vendorIds.join(', '))
      .option('--port <port>', 'the port (default or 0: a free one, which it prints)')
      .action(run((ctx, vendor: string, opts: { port?: string }) => mockCommand(vendor, opts, ctx.out))),
    ['smswire mock dinisoft --port 4010'],
  );

/**
 * Every command, in the order `--help` lists them. A new command is a function here: it
 * registers itself on the `Registry` and its action takes the run's `Context` first.
 */
export const commands: readonly ((registry: Registry) => unknown)[] = [
  send,
  bulk,
  balance,
  status,
  reconcile,
  login,
  segments,
  vendors,
  report,
  mock,
];
