import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands.js';
import { credentialNames, kebab, vendorIds } from '../src/vendors.js';
import { commandNames as names, jsonLines, runCli } from './run.js';

/** The option rows of a help text's `Options:` section, as `[flag, description]`. */
function optionRows(help: string, section = 'Options:'): [string, string][] {
  const body = help.split(`\n${section}\n`)[1]?.split('\n\n')[0] ?? '';
  const rows: [string, string][] = [];
  for (const line of body.split('\n')) {
    const match = /^ {2}(-[^ ].*?)(?: {2,}(.*))?$/.exec(line);
    if (match) rows.push([match[1]!, match[2] ?? '']);
  }
  return rows;
}

describe('each command’s help', () => {
  it('covers every command registered', () => {
    expect(commands).toHaveLength(names.length);
  });

  it.each(names)(
    '%s: examples that use only its flags, every option described, the global ones listed',
    async (name) => {
      const { code, stdout } = await runCli([name, '--help']);
      expect(code).toBe(0);
      const rows = optionRows(stdout);
      expect(rows.length).toBeGreaterThan(0);
      for (const [flag, description] of rows) expect(description, `${name} ${flag}`).not.toBe('');
      expect(optionRows(stdout, 'Global Options:').map(([flag]) => flag.split(' ')[0])).toEqual(
        expect.arrayContaining(['--json', '--env-file']),
      );
      const examples = stdout.split('\nExamples:\n')[1] ?? '';
      expect(examples, name).toMatch(new RegExp(`\\$ (.*\\| )?smswire ${name}\\b`));
      const known = new Set(stdout.match(/--[a-z][a-z-]*/g));
      for (const flag of examples.match(/ --[a-z][a-z-]*/g) ?? [])
        expect(known.has(flag.trim()), `${name}: ${flag}`).toBe(true);
    },
  );

  it.each(['send', 'bulk', 'worker', 'balance', 'status', 'reconcile', 'track', 'inbox', 'login'])(
    '%s: the credential flags one line a vendor, not an option row each',
    async (name) => {
      const { stdout } = await runCli([name, '--help']);
      const flags = optionRows(stdout).map(([flag]) => flag.split(' ')[0]);
      for (const vendor of vendorIds) {
        for (const credential of credentialNames(vendor)) expect(flags).not.toContain(`--${kebab(credential)}`);
        const line = stdout.split('\n').find((l) => l.startsWith(`  ${vendor} `)) ?? '';
        for (const credential of credentialNames(vendor)) expect(line).toContain(`--${kebab(credential)} <value>`);
      }
      // --account is DiniSoft's balance page's: only balance and login take it.
      expect(flags.includes('--account')).toBe(name === 'balance' || name === 'login');
    },
  );

  it('login takes the vendor as its argument, and has no --vendor', async () => {
    const { stdout } = await runCli(['login', '--help']);
    expect(optionRows(stdout).map(([flag]) => flag)).not.toContain('--vendor <vendor>');
  });

  it('smswire vendors lists each vendor’s flags', async () => {
    const lines = jsonLines((await runCli(['vendors', '--json'])).stdout);
    for (const vendor of vendorIds)
      expect(lines.find((l) => l.vendor === vendor)?.flags).toEqual(
        expect.arrayContaining(credentialNames(vendor).map((c) => `--${kebab(c)}`)),
      );
  });
});
