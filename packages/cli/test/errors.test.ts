import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vendorIds } from '@smswire/sms';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/commands.js';
import { inputFields } from '../src/errors.js';
import type { VendorDefinition } from '@smswire/core/internal';
import { credentialNames, definitionOf, envName, kebab, type VendorId } from '../src/vendors.js';
import { commandNames, jsonLines, runCli } from './run.js';

/** Every credential a vendor takes, as flags, and a base URL nothing listens on (nothing may be sent). */
const credentials = (vendor: VendorId) => [
  ...credentialNames(vendor).flatMap((name) => [`--${kebab(name)}`, `x-${name}`]),
  '--base-url',
  'http://127.0.0.1:9',
];
const to = ['--to', '+8801712345678'];
/** A number each vendor takes (SMS Leads sends to Israel only). */
const toFor = (vendor: VendorId) => ['--to', vendor === 'smsleads' ? '+972502345678' : '+8801712345678'];
const dir = mkdtempSync(join(tmpdir(), 'smswire-errors-'));
const operationsOf = (vendor: VendorId) => (definitionOf(vendor) as unknown as VendorDefinition).operations;
/** The spec requires the sender in the operations that carry the adapter's sender and text fields. */
const needsSender = (vendor: VendorId) => {
  const { from, text } = inputFields(vendor);
  return Object.values(operationsOf(vendor)).some((op) => op.params[text] && op.params[from]?.required);
};

describe('every ValidationError is exit 2, told in the words the user typed', () => {
  describe.each(vendorIds)('%s', (vendor) => {
    it('send without a sender: exit 2 naming --from, its variable and the profile, when the vendor needs one (with --dry-run too)', async () => {
      const base = ['send', '--vendor', vendor, ...credentials(vendor), ...toFor(vendor), '--text', 'hi'];
      const dry = await runCli([...base, '--dry-run']);
      // A vendor whose send takes no sender (sms365 uses the account's default): its dry run shows the request.
      if (!needsSender(vendor)) return expect(dry.stdout).toContain('dry run, nothing sent');
      for (const run of [dry, await runCli(base)]) {
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toBe(
          `smswire: ${vendor} send: --from is required for ${vendor} (or ${envName(vendor, 'from')}, or "from" in the profile)\n`,
        );
      }
    });

    it('send with a control character in the text: exit 2 naming --text (with --dry-run too)', async () => {
      const base = ['send', '--vendor', vendor, ...credentials(vendor), ...toFor(vendor), '--from', 'ACME'];
      for (const dryRun of [[], ['--dry-run']]) {
        const run = await runCli([...base, '--text', 'h\u0007i', ...dryRun]);
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toMatch(new RegExp(`^smswire: ${vendor} send: --text contains a control character`));
      }
    });

    it('the input fields are parameters of one of the vendor’s operations', () => {
      const { from, text } = inputFields(vendor);
      expect(
        Object.values(operationsOf(vendor)).some(
          (op) => Object.hasOwn(op.params, from) && Object.hasOwn(op.params, text),
        ),
      ).toBe(true);
    });
  });

  it('dinisoft’s balance without an account names --account and its variable', async () => {
    const run = await runCli(['balance', '--vendor', 'dinisoft', ...credentials('dinisoft')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'smswire: dinisoft balance: --account is required for dinisoft\'s balance read (its client name) (or SMSWIRE_DINISOFT_ACCOUNT, or "account" in the profile)\n',
    );
  });

  it('--country takes an ISO code, and says so', async () => {
    const run = await runCli([
      'send',
      '--vendor',
      'dreams',
      ...credentials('dreams'),
      ...to,
      '--text',
      'hi',
      '--country',
      'Greece',
      '--dry-run',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--country takes an ISO 3166-1 alpha-2 country code, such as GR');
  });
});

describe('one shape for every error line, and one JSON error line with --json', () => {
  const names = commands.length;
  it.each(commandNames)(
    '%s: an argument-parser error is exit 2, `smswire: <command>: …` on stderr, one error line on stdout with --json',
    async (command) => {
      expect(names).toBe(16);
      const text = await runCli([command, '--no-such-flag']);
      expect(text.code).toBe(2);
      expect(text.stderr).toMatch(new RegExp(`^smswire: ${command}: `));
      const json = await runCli([command, '--no-such-flag', '--json']);
      expect(json.code).toBe(2);
      expect(json.stderr).toBe('');
      const lines = jsonLines(json.stdout);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ type: 'error', command, name: 'UsageError' });
    },
  );

  it('a failure the command finds has the same shape with --json', async () => {
    const run = await runCli(['send', '--vendor', 'dreams', ...credentials('dreams'), ...to, '--text', 'hi', '--json']);
    expect(run.code).toBe(2);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        type: 'error',
        command: 'send',
        vendor: 'dreams',
        name: 'SendError',
        reason: 'validation',
      }),
    ]);
  });
});

describe('bad input files are exit 2 naming the file and the line', () => {
  const csv = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bulk = (file: string, ...more: string[]) =>
    runCli(['bulk', file, '--vendor', 'dreams', ...credentials('dreams'), '--from', 'A', '--no-progress', ...more]);

  it('a ragged row', async () => {
    const file = csv('ragged.csv', 'to,text\n+8801712345678,hi,extra\n');
    const run = await bulk(file);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${file}:2: malformed CSV: a row with another number of fields than the header`);
  });

  it('an unclosed quote', async () => {
    const file = csv('quote.csv', 'to,text\n+8801712345678,"hi\n');
    const run = await bulk(file);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`${file}:`);
    expect(run.stderr).toContain('malformed CSV: a quote opened and never closed');
  });

  it('a journal or a ledger in a folder that does not exist', async () => {
    const file = csv('ok.csv', 'to,text\n+8801712345678,hi\n');
    const journal = join(dir, 'missing', 'run.jsonl');
    const run = await bulk(file, '--journal', journal);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`--journal ${journal}: the folder ${join(dir, 'missing')} does not exist`);
    const ledger = join(dir, 'nowhere', 'ledger.jsonl');
    const second = await bulk(file, '--ledger', `file:${ledger}`);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`--ledger ${ledger}: the folder ${join(dir, 'nowhere')} does not exist`);
  });
});

describe('balance over several vendors', () => {
  it('prints each vendor’s balance or its own error line; the exit code says not all were read', async () => {
    const run = await runCli([
      'balance',
      '--vendor',
      'dinisoft,dreams',
      ...credentials('dinisoft'),
      ...credentials('dreams'),
      '--json',
    ]);
    const lines = jsonLines(run.stdout);
    expect(lines.map((l) => [l.type, l.vendor])).toEqual([
      ['error', 'dinisoft'],
      ['error', 'dreams'],
    ]);
    expect(run.code).toBe(2);
  });
});
