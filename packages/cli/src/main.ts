import { Command, CommanderError, Option } from 'commander';
import { commands } from './commands.js';
import { failureText, vendorOf } from './errors.js';
import { describeError, exitCodeHelp, exitCodeOf, exitCodes } from './exit-codes.js';
import { type Context, type Io, processIo, withDefaults } from './io.js';
import { Output } from './output.js';
import type { Registry } from './registry.js';
import { cliVersion } from './version.js';
import { credentialFlags } from './setup.js';
import { credentialNames, kebab, requiredCredentials, vendorIds } from './vendors.js';

export type { Io } from './io.js';
export type { Registry } from './registry.js';

const credentialsHelp = `Credentials, highest first: the flags; SMSWIRE_<VENDOR>_<OPTION> environment variables
(SMSWIRE_DINISOFT_API_KEY, SMSWIRE_UNIFIED_BASE_URL…; \`smswire vendors\` lists them); --env-file;
the profile $XDG_CONFIG_HOME/smswire/config.json written by \`smswire login <vendor>\` (mode 0600).`;

/** Each vendor's credential flags, one line each (`[…]` optional), for the help of the commands that take them. */
function credentialTable(): string {
  const lines = vendorIds.map((vendor) => {
    const required = new Set(requiredCredentials(vendor));
    const flags = credentialNames(vendor).map((name) =>
      required.has(name) ? `--${kebab(name)} <value>` : `[--${kebab(name)} <value>]`,
    );
    return `  ${vendor.padEnd(9)} ${flags.join(' ')}`;
  });
  return `Credentials, by vendor (those of the vendor used; \`smswire vendors\` lists them with their variables):\n${lines.join('\n')}`;
}

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

/**
 * Runs the command line `argv` (without node and the script) with `io` (the process's by
 * default: what the bin passes) and resolves to the exit code. It never exits the process
 * itself, except on a second Ctrl-C during `bulk` (`io.exit`).
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  const ctx: Context = { io: withDefaults(io), out: new Output(argv.includes('--json'), io.stdout, io.stderr) };
  const { out } = ctx;
  let code: number = exitCodes.done;
  const run: Registry['run'] =
    (action) =>
    async (...args) => {
      code = await action(ctx, ...args);
    };

  const program = new Cli('smswire')
    .description('Send SMS through DiniSoft, Dreams, sms365, SMS Leads or Unified.')
    .option('--json', 'one JSON object a line, with a "type" field (see the README for each type)')
    .option('--env-file <path>', 'read SMSWIRE_* variables from this file (the environment wins)')
    .version(cliVersion(), '-V, --version', 'the version of smswire')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Told in the one shape of every error line (below), not as commander prints it.
      outputError: () => undefined,
    })
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', `\n${exitCodeHelp}\n\n${credentialsHelp}\n`);

  const vendorCommand = (name: string, description: string, vendorHelp: string | undefined) => {
    const command = program.command(name).description(description);
    if (vendorHelp !== undefined) command.option('--vendor <vendor>', vendorHelp);
    command
      .option('--base-url <url>', 'the vendor API’s base URL (a mock: `smswire mock <vendor>`)')
      .option('--timeout <ms>', 'per-request deadline in milliseconds')
      .addHelpText('after', `\n${credentialTable()}\n\n${exitCodeHelp}\n\n${credentialsHelp}\n`);
    for (const { name: option, vendors } of credentialFlags())
      command.addOption(new Option(`--${kebab(option)} <value>`, `${vendors.join(', ')}: ${option}`).hideHelp());
    return command;
  };
  const examples = (command: Command, lines: readonly string[]) =>
    command.addHelpText('after', `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`);
  const registry: Registry = { program, vendorCommand, run, examples };
  for (const register of commands) register(registry);

  const names = new Set(program.commands.map((c) => c.name()));
  out.where.command = argv.find((word) => names.has(word));
  program.hook('preAction', (_program, command) => {
    out.where.command = command.name();
    const vendors = String(command.opts().vendor ?? '').split(',');
    out.where.vendor = vendors.length === 1 && vendors[0] ? vendors[0] : undefined;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return exitCodes.done;
      const message = error.message.replace(/^error: /, '');
      out.fail(
        { name: 'UsageError', code: error.code, message },
        `${message}\n(run smswire${out.where.command ? ` ${out.where.command}` : ''} --help for usage)`,
      );
      return exitCodes.usage;
    }
    out.fail(describeError(error), failureText(error, out.where.unset), vendorOf(error) ?? out.where.vendor);
    return exitCodeOf(error);
  }
}
