import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec, type Spec } from '../../scripts/lib/vendors.js';
import { kebab, requiredCredentials, type VendorId } from '../../packages/cli/src/vendors.js';
import { operationsOf } from '../support/clients.js';
import { errorReply, quotingReplies, successReply } from '../support/replies.js';
import { echoSpellings, expectNoSecrets } from '../support/secrets.js';
import { startServer, type TestServer } from '../support/server.js';
import { jsonLines, smswire } from './cli.js';

/**
 * The redaction sweep (issue 29): for each vendor, with short, numeric and punctuation-heavy
 * credentials, every output of the command (text, `--json`, errors, the journal, the file
 * ledger, `--dry-run`) against a fake vendor that quotes the credentials and the request back
 * in every spelling: no credential shows in any, and every `--json` line parses with its data
 * (keys holding a credential's text, numbers holding a numeric credential) unchanged.
 */
const credentialSets = {
  short: ['e', '100'],
  punctuation: ['p@ss w/rd+é!', "Ann&Co's"],
  // Text that row keys contain (`acme-order-1`), and a number that every `to` contains.
  'inside the data': ['acme', '100'],
} as const;

/** Numbers every vendor takes (SMS Leads sends to Israel only), each holding `100`. */
const numbers = Array.from({ length: 24 }, (_, i) => `+972501001${String(1000 + i).slice(1)}`);

/** Each row's text tells the fake how to answer: accept, refuse, quote the request back, or fail. */
const rows = [
  { text: 'ok', id: 'acme-order-1' },
  { text: 'refuse', id: 'acme-order-2' },
  { text: 'explode', id: 'acme-order-3' },
  // One quoting reply per spelling, and base64.
  ...Array.from({ length: echoSpellings.length + 1 }, (_, i) => ({ text: 'quote', id: `acme-order-${i + 4}` })),
].map((row, i) => ({ ...row, to: numbers[i]! }));
/** A second row with a key already used: refused by the command, with a message naming the key. */
const duplicate = { text: 'ok', id: 'acme-order-1', to: numbers.at(-1)! };
const csv = ['to,text,id', ...[...rows, duplicate].map((r) => `${r.to},${r.text},${r.id}`)].join('\n');

const echoes = [
  ...echoSpellings.map(([, spell]) => spell),
  (text: string) => Buffer.from(`user:${text}`).toString('base64'),
];

async function bodyOf(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

const decode = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** The operation a request is for: by path, and for SMS Leads (one URL) by the XML root. */
function operationOf(spec: Spec, path: string, body: string): Spec | undefined {
  return operationsOf(spec).find(({ path: specPath }) => {
    const [route, command] = specPath.split('#');
    return route === path && (!command || new RegExp(`<${command}[\\s>]`).test(body));
  })?.op;
}

/** A fake vendor, from its spec: the reply each row's text asks for, quoting `secrets` where it quotes. */
async function fakeVendor(vendor: VendorId, secrets: readonly string[]): Promise<TestServer> {
  const spec = loadSpec(listVendors().find((v) => v.id === vendor)!);
  let quoted = 0;
  return startServer(async (req, res) => {
    const body = await bodyOf(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const request = `${decode(req.url ?? '')} ${decode(body)} ${req.headers.authorization ?? ''}`;
    const op = operationOf(spec, url.pathname, body);
    if (!op) return void res.writeHead(404).end(`no such operation: ${echoes[0]!(request)}`);
    if (/explode/.test(request)) return void res.writeHead(500).end(`bad login ${secrets.join(' ')} for ${request}`);
    if (/refuse/.test(request)) return void res.end(errorReply(spec, op) ?? `bad login ${secrets.join(' ')}`);
    if (/quote/.test(request)) {
      const spell = echoes[quoted++ % echoes.length]!;
      const text = `bad login ${spell(secrets.join(' '))} for ${spell(request)}`;
      return void res.end(quotingReplies(spec, op, text, spell(secrets.join(':')))[0]!.body);
    }
    res.end(successReply(spec, op).body);
  });
}

const work = mkdtempSync(join(tmpdir(), 'smswire-redaction-'));

describe.each(listVendors().map((v) => v.id as VendorId))('no credential of %s in any output', (vendor) => {
  describe.each(Object.entries(credentialSets))('with %s credentials', (set, values) => {
    const names = requiredCredentials(vendor);
    const secrets = names.map((_, i) => values[i % values.length]!);
    const flags = names.flatMap((name, i) => [`--${kebab(name)}`, secrets[i]!]);
    let fake: TestServer;
    let vendorFlags: string[];
    beforeAll(async () => {
      fake = await fakeVendor(vendor, secrets);
      vendorFlags = ['--vendor', vendor, '--base-url', fake.url, ...flags];
    });
    afterAll(() => fake?.close());

    const dir = () => mkdtempSync(join(work, `${vendor}-${set.replace(/\W/g, '')}-`));
    // The rows' keys and numbers are the user's data, which may hold a credential's text: not a leak.
    const data = new RegExp([...rows, duplicate].flatMap((r) => [r.id, r.to.slice(1)]).join('|'), 'g');
    const noSecrets = (label: string, ...output: string[]) =>
      expectNoSecrets(undefined, secrets, { label, output: output.map((o) => o.replace(data, '<data>')) });

    it('bulk: text and --json, the journal and the file ledger', async () => {
      const at = dir();
      const file = join(at, 'rows.csv');
      writeFileSync(file, csv);
      const common = [...vendorFlags, '--from', 'Acme', '--batch-size', '1', '--concurrency', '1', '--no-progress'];
      const before = fake.requests.length;
      const json = await smswire([
        '--json',
        'bulk',
        file,
        ...common,
        '--journal',
        join(at, 'json.journal.jsonl'),
        '--ledger',
        `file:${join(at, 'ledger.jsonl')}`,
      ]);
      // Every row but the duplicate reached the vendor: the replies that quote were all read.
      expect(fake.requests.length - before).toBe(rows.length);
      const text = await smswire(['bulk', file, ...common, '--journal', join(at, 'text.journal.jsonl')]);
      const files = ['json.journal.jsonl', 'text.journal.jsonl', 'ledger.jsonl']
        .map((name) => join(at, name))
        .filter(existsSync)
        .map((path) => readFileSync(path, 'utf8'));
      expect(files.length, 'the journals (and the ledger, where it is a file)').toBeGreaterThanOrEqual(2);
      noSecrets(`${vendor} ${set} bulk`, json.stdout, json.stderr, text.stdout, text.stderr, ...files);

      // Every line parses, and carries the rows' keys, numbers and the duplicate's message as given.
      const lines = jsonLines(json.stdout);
      const printed = lines.filter((l) => l.type === 'row');
      // In the order they finish: the duplicate is refused as it is read, before the rows under way.
      expect(printed.map((l) => [l.key, l.to, l.row]).sort((a, b) => Number(a[2]) - Number(b[2]))).toEqual(
        [...rows, duplicate].map((r, i) => [r.id, r.to, i + 1]),
      );
      expect(printed.find((l) => l.row === rows.length + 1)?.message).toBe(
        `duplicate key ${duplicate.id}: not sent twice`,
      );
      expect(lines.find((l) => l.type === 'summary')).toMatchObject({ rows: rows.length + 1 });
      // The journal's lines parse, and name the rows by their keys: a run after it resumes them all.
      for (const journal of files.slice(0, 2)) {
        const journaled = jsonLines(journal).filter((l) => typeof l.key === 'string');
        expect(new Set(journaled.map((l) => l.key))).toEqual(new Set(rows.map((r) => r.id)));
        expect(new Set(journaled.map((l) => l.to))).toEqual(new Set(rows.map((r) => r.to)));
      }
      const again = await smswire(['--json', 'bulk', file, ...common, '--journal', join(at, 'json.journal.jsonl')]);
      // Every row the first run finished is recognised by its key, and not sent again.
      const finished = printed.filter((l) => l.status === 'accepted').map((l) => l.key);
      const resumed = jsonLines(again.stdout)
        .filter((l) => l.type === 'row' && l.previous)
        .map((l) => l.key);
      expect(resumed).toEqual(expect.arrayContaining(finished));
      noSecrets(`${vendor} ${set} bulk again`, again.stdout, again.stderr);
    });

    it('send: the result, a refusal, a quoting reply and a failure, as text and --json', async () => {
      const cases = [rows[0]!, rows[1]!, rows[2]!, rows[3]!].map((row, i) => [row, i % 2 === 0] as const);
      for (const [row, json] of cases) {
        {
          const run = await smswire([
            ...(json ? ['--json'] : []),
            'send',
            ...vendorFlags,
            '--to',
            row.to,
            '--text',
            row.text,
            '--from',
            'Acme',
          ]);
          noSecrets(`${vendor} ${set} send ${row.text}`, run.stdout, run.stderr);
          if (json) for (const line of jsonLines(run.stdout)) if (line.type === 'sent') expect(line.to).toBe(row.to);
        }
      }
    });

    it('--dry-run: the request with the mask where each credential goes', async () => {
      for (const json of [true, false]) {
        const run = await smswire([
          ...(json ? ['--json'] : []),
          'send',
          ...vendorFlags,
          '--to',
          rows[0]!.to,
          '--text',
          'ok',
          '--from',
          'Acme',
          '--dry-run',
        ]);
        expect(run.code, run.stderr).toBe(0);
        noSecrets(`${vendor} ${set} dry run`, run.stdout, run.stderr);
        expect(run.stdout).toMatch(/\[REDACTED\]|%5BREDACTED%5D/);
        // A number outside the vendor's countries adds a warning line first; the request is the dryRun line.
        if (json)
          expect(jsonLines(run.stdout).find((line) => line.type === 'dryRun')).toMatchObject({ to: rows[0]!.to });
      }
    });
  });
});

describe('a mistyped flag', () => {
  it.each([
    ['--apikey=S3cret-Value-991', '--apikey'],
    ['--pasword=S3cret-Value-991', '--pasword'],
    ['-kS3cret-Value-991', '-k'],
  ])('is named without its value: %s', async (flag, name) => {
    const run = await smswire(['send', '--vendor', 'dinisoft', flag, '--to', numbers[0]!, '--text', 'hi']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`unknown option '${name}'`);
    expect(run.stdout + run.stderr).not.toContain('S3cret');
  });
});
