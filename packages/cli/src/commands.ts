import type { Command } from 'commander';
import { bulkCommand, type BulkFlags } from './bulk.js';
import { loginCommand } from './login.js';
import type { Registry } from './registry.js';
import { mockCommand } from './mock.js';
import { balanceCommand, reportCommand, segmentsCommand, statusCommand, vendorsCommand } from './reads.js';
import { inboxCommand, type InboxFlags } from './inbox.js';
import { listen, type ListenFlags } from './listen.js';
import type { ProduceFlags } from './queue/produce.js';
import type { WorkerFlags } from './queue/work.js';
import { reconcileCommand } from './reconcile.js';
import { callbackOptions } from './report-signing.js';
import { sendCommand, type SendFlags } from './send.js';
import { summary } from './summary.js';
import { trackCommand, type TrackFlags } from './track.js';
import type { VendorFlags } from './setup.js';
import { vendorIds } from './vendors.js';

/** The flags of a command and the global ones (`--json`, `--env-file`), from commander's last argument. */
const globals = (command: Command) => command.optsWithGlobals() as VendorFlags;

/** DiniSoft's balance page is read for a client name: only the commands that read or save it take it. */
const account = ['--account <name>', 'dinisoft: the client name its balance page is read for'] as const;

const send = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    callbackOptions(
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
    ),
    [
      'smswire send --vendor dinisoft --to +8801712345678 --text "Your code is 1234" --from ACME',
      'smswire send --vendor sms365,dinisoft --to 01712345678 --country BD --text Hi --from ACME --dry-run',
      'smswire send --vendor dreams --to +8801712345678 --text Hi --from ACME --idempotency-key order-42',
      'SMSWIRE_REPORT_SECRET=… smswire send --vendor sms365 --to +8801712345678 --text Hi --callback-url https://reports.example.com/report',
    ],
  );

const bulk = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    callbackOptions(
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
        .option('--wait', 'with --queue: wait for the campaign to end and print its summary'),
    ).action(
      run(async (ctx, file: string, _opts, command: Command) => {
        const flags = globals(command);
        if (typeof flags.queue !== 'string') return bulkCommand(file, flags as BulkFlags, ctx);
        // BullMQ is loaded only for a queued campaign: `smswire send` starts without it.
        const { produceCampaign } = await import('./queue/produce.js');
        return produceCampaign(file, flags as ProduceFlags, ctx);
      }),
    ),
    [
      'smswire bulk customers.csv --vendor unified --from ACME',
      'cat customers.csv | smswire bulk - --vendor dreams --from ACME --journal run.journal.jsonl --json',
      'smswire bulk customers.csv --vendor dinisoft --from ACME --ledger redis://127.0.0.1:6379 --campaign june',
      'smswire bulk customers.csv --vendor unified --from ACME --queue redis://127.0.0.1:6379 --campaign june --rate 50/s',
      'smswire bulk customers.csv --vendor sms365 --from ACME --callback-url https://reports.example.com/report',
    ],
  );

const worker = ({ vendorCommand, run, examples }: Registry) =>
  examples(
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
        run(async (ctx, _opts, command: Command) => {
          const { workerCommand } = await import('./queue/work.js');
          return workerCommand(globals(command) as WorkerFlags, ctx);
        }),
      ),
    [
      'smswire worker --vendor unified --queue redis://127.0.0.1:6379',
      'smswire worker --vendor dinisoft,dreams --queue redis://queue.example.com:6379 --campaign june --chunks 4',
    ],
  );

const campaign = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('campaign')
      .description(
        'a queued campaign (smswire bulk --queue): progress across all workers, or its summary once it is done',
      )
      .argument('<name>', 'the campaign (--campaign of `smswire bulk --queue`)')
      .requiredOption('--queue <url>', 'the Redis it is queued on: redis://host:port')
      .option('--wait', 'wait for the end, then print the summary')
      .action(
        run(async (ctx, name: string, opts: { queue: string; wait?: boolean }) => {
          const { campaignStatusCommand } = await import('./queue/status.js');
          return campaignStatusCommand(name, opts, ctx);
        }),
      ),
    [
      'smswire campaign june --queue redis://127.0.0.1:6379',
      'smswire campaign june --queue redis://127.0.0.1:6379 --wait --json',
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

const track = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    vendorCommand(
      'track',
      'follow a bulk journal’s accepted rows until each is final',
      'the vendor(s) to ask (default: the rows’)',
    )
      .argument('<journal>', 'the journal of a bulk run')
      .option('--deadline <time>', 'stop asking then: ISO 8601 or a duration from now (90s, 30m, 48h, 2d); default 48h')
      .option('--interval <ms>', 'the wait before the first round, doubling after each (default 30000)')
      .option(
        '--store <file>',
        'the reports `smswire listen --store` records (default: <journal>.reports.jsonl, if any)',
      )
      .action(
        run((ctx, path: string, _opts, command: Command) => trackCommand(path, globals(command) as TrackFlags, ctx)),
      ),
    ['smswire track customers.csv.journal.jsonl', 'smswire track customers.csv.journal.jsonl --deadline 2h --json'],
  );

const inbox = ({ vendorCommand, run, examples }: Registry) =>
  examples(
    vendorCommand(
      'inbox',
      'the replies sent to your numbers, each once (SMS Leads)',
      'the vendor(s) (default smsleads)',
    )
      .option('--follow', 'keep reading as replies arrive, until Ctrl-C')
      .option('--interval <ms>', 'with --follow, the wait between reads (default 60000)')
      .option('--since <time>', 'without a saved cursor, read from this ISO 8601 time (default: 7 days back)')
      .option(
        '--cursor-file <path>',
        'where the cursor is kept (default $XDG_STATE_HOME/smswire/inbox-<vendor>.cursor)',
      )
      .action(run((ctx, _opts, command: Command) => inboxCommand(globals(command) as InboxFlags, ctx))),
    ['smswire inbox', 'smswire inbox --follow --interval 30000 --json'],
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

const listenReports = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('listen')
      .description(
        'receive sms365 delivery reports on signed callback URLs, record each change, print it (until SIGINT/SIGTERM)',
      )
      .option('--port <port>', 'the port (default or 0: a free one, which it prints)')
      .option('--host <host>', 'the address to listen on', '127.0.0.1')
      .option(
        '--public-url <url>',
        'the URL the vendor reaches this endpoint at (a tunnel or proxy); default http://<host>:<port>/report',
      )
      .option(
        '--journal <file>',
        'the bulk journal these reports belong to: their states go to <file>.reports.jsonl beside it',
      )
      .option('--store <file>', 'where the applied states are kept (instead of beside --journal)')
      .option('--report-secret <secret>', 'the signing secret (prefer SMSWIRE_REPORT_SECRET: a flag shows in `ps`)')
      .option('--report-key-id <id>', 'the name of the signing secret (default k1; SMSWIRE_REPORT_KEY_ID)')
      .option(
        '--forward <url>',
        'post each change to this URL, signed by Standard Webhooks (SMSWIRE_FORWARD_SECRET, whsec_…)',
      )
      .option('--forward-secret <whsec>', 'the Standard Webhooks secret (prefer SMSWIRE_FORWARD_SECRET)')
      .option('--dead-letter <file>', 'events --forward could not deliver (default: <store>.dead-letter.jsonl)')
      .option('--forward-attempts <n>', 'attempts per event before it is dead-lettered (default 8)')
      .option('--forward-backoff <ms>', 'the first wait between attempts, doubling (default 500)')
      .action(run((ctx, _opts, command: Command) => listen(command.optsWithGlobals() as ListenFlags, ctx))),
    [
      'SMSWIRE_REPORT_SECRET=… smswire listen --journal customers.csv.journal.jsonl --port 8080',
      'smswire listen --store reports.jsonl --host 0.0.0.0 --public-url https://reports.example.com/report --forward https://app.example.com/hooks/sms',
    ],
  );

const summaryOfCampaign = ({ program, run, examples }: Registry) =>
  examples(
    program
      .command('summary')
      .description('where each row of a bulk campaign ended (its journal, and the reports `listen` recorded beside it)')
      .argument('<journal>', 'the journal of a bulk run')
      .option('--html <file>', 'also write the campaign page: one HTML file, charts included, nothing fetched')
      .action(run((ctx, journal: string, opts: { html?: string }) => summary(journal, opts, ctx))),
    ['smswire summary customers.csv.journal.jsonl', 'smswire summary customers.csv.journal.jsonl --html june.html'],
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
  worker,
  campaign,
  balance,
  status,
  reconcile,
  track,
  inbox,
  login,
  segments,
  vendors,
  report,
  listenReports,
  summaryOfCampaign,
  mock,
];
