import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshEnv, jsonLines, runCli } from './run.js';

/** `main(argv, io)`: a run reads only the environment, input and clock it is given. */
describe('the in-process entry', () => {
  it("reads credentials from the io's environment, never the process's", async () => {
    const env = freshEnv({ SMSWIRE_DINISOFT_API_KEY: 'k-io', SMSWIRE_DINISOFT_SECRET_KEY: 's-io' });
    expect(process.env.SMSWIRE_DINISOFT_API_KEY).toBeUndefined();
    const run = await runCli(
      [
        'send',
        '--vendor',
        'dinisoft',
        '--to',
        '+8801712345678',
        '--text',
        'hi',
        '--from',
        'ACME',
        '--dry-run',
        '--json',
      ],
      { env },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(jsonLines(run.stdout)[0]).toMatchObject({ type: 'dryRun', vendor: 'dinisoft', to: '+8801712345678' });
  });

  it("loads --env-file into the run's environment, not the process's", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'smswire-env-')), 'vendor.env');
    writeFileSync(file, 'SMSWIRE_DINISOFT_API_KEY=k-file\nSMSWIRE_DINISOFT_SECRET_KEY=s-file\n');
    const env = freshEnv();
    const run = await runCli(
      [
        'send',
        '--vendor',
        'dinisoft',
        '--to',
        '+8801712345678',
        '--text',
        'hi',
        '--from',
        'A',
        '--dry-run',
        '--env-file',
        file,
      ],
      { env },
    );
    expect(run.code).toBe(0);
    expect(env.SMSWIRE_DINISOFT_API_KEY).toBe('k-file');
    expect(process.env.SMSWIRE_DINISOFT_API_KEY).toBeUndefined();
  });

  it("judges --at by the io's clock", async () => {
    const argv = ['send', '--vendor', 'sms365', '--key', 'k', '--from', 'A', '--to', '+8801712345678'];
    const at = ['--text', 'hi', '--at', '2021-06-01T09:00:00Z', '--dry-run'];
    expect((await runCli([...argv, ...at], { now: Date.parse('2021-01-01T00:00:00Z') })).code).toBe(0);
    const late = await runCli([...argv, ...at], { now: Date.parse('2021-07-01T00:00:00Z') });
    expect(late.code).toBe(2);
    expect(late.stderr).toBe(
      'smswire: sms365 send: --at "2021-06-01T09:00:00Z" is in the past (give --allow-past to send it at once anyway)\n',
    );
  });

  it('reads a bulk CSV from the io’s stdin, its journal named', async () => {
    const journal = join(mkdtempSync(join(tmpdir(), 'smswire-bulk-')), 'run.journal.jsonl');
    const run = await runCli(
      [
        'bulk',
        '-',
        '--vendor',
        'dreams',
        '--user',
        'u',
        '--secret-key',
        's',
        '--journal',
        journal,
        '--json',
        '--base-url',
        'http://127.0.0.1:9',
      ],
      { input: 'to,text\nnot-a-number,hi\n' },
    );
    const lines = jsonLines(run.stdout);
    expect(lines[0]).toMatchObject({ type: 'row', row: 1, status: 'rejected', reason: 'validation' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', rows: 1, rejected: 1 });
    expect(run.code).toBe(5);
  });
});

describe('report', () => {
  it('prints no time: a saved sms365 report carries none, and the time it is read is not the report’s', async () => {
    const query = 'msgid=7731&status=d&cost=0.01&to=8801712345678&mcc=470&mnc=01';
    const run = await runCli(['report', '-', '--json'], {
      input: `${query}\n`,
      now: Date.parse('2030-01-01T00:00:00Z'),
    });
    expect(run.stderr).toBe('');
    const [line] = jsonLines(run.stdout);
    expect(line).toMatchObject({ type: 'report', vendor: 'sms365', messageId: '7731', state: 'delivered' });
    expect(line).not.toHaveProperty('at');
  });

  it("signs send's --callback-url with the io's SMSWIRE_REPORT_SECRET, and hides it", async () => {
    const secret = 'report-secret-from-the-io-0123456789';
    expect(process.env.SMSWIRE_REPORT_SECRET).toBeUndefined();
    const run = await runCli(
      [
        'send',
        '--vendor',
        'sms365',
        '--key',
        'k-io',
        '--to',
        '+8801712345678',
        '--text',
        'hi',
        '--from',
        'ACME',
        '--callback-url',
        'http://127.0.0.1:8787/report',
        '--dry-run',
        '--json',
      ],
      { env: freshEnv({ SMSWIRE_REPORT_SECRET: secret }) },
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stderr).toBe('');
    const line = jsonLines(run.stdout).find((l) => l.type === 'dryRun') as unknown as {
      request: { url: string; body: string };
    };
    expect(`${line.request.url} ${line.request.body}`).toMatch(/127\.0\.0\.1|127%2E0%2E0%2E1/);
    expect(run.stdout).not.toContain(secret);
  });

  it("dates summary's campaign page by the io's clock", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smswire-summary-'));
    const journal = join(dir, 'june.csv.journal.jsonl');
    writeFileSync(journal, '');
    const html = join(dir, 'june.html');
    const run = await runCli(['summary', journal, '--html', html], { now: Date.UTC(2031, 0, 2, 3, 4) });
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('made 2031-01-02 03:04 UTC');
  });
});
