import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../scripts/lib/mock.js';
import { listVendors } from '../../scripts/lib/vendors.js';
import { startServer, type TestServer } from '../support/server.js';
import { cleanEnv, jsonLines, printed, smswire } from './cli.js';

/**
 * `smswire`, spawned (see cli.ts), against Prism serving the specs and against recording servers:
 * every command, `--json`, every exit code, where credentials come from, and no secret printed.
 */
const apiKey = 'ApiKey-FLAG-7f3a9c1e';
const secretKey = 'SecretKey-FLAG-0b8d2e44';
const secrets = [
  apiKey,
  secretKey,
  'ApiKey-ENV-91c2d7aa',
  'ApiKey-FILE-5e6f7a8b',
  'ApiKey-PROFILE-3c4d5e6f',
  'Sms365Key-55aa66bb',
];
const work = mkdtempSync(join(tmpdir(), 'smswire-cli-'));
const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

let dinisoftMock: RunningMock;
let sms365Mock: RunningMock;
/** A DiniSoft stand-in: accepts, refuses (108, dinisoft.yaml "Wrong password") or fails (HTTP 500) by the text. */
let fake: TestServer;
/** A Unified stand-in for bulk: `1701|<destination>|<id>` per destination, `1706` for numbers ending in 9. */
let unified: TestServer;

beforeAll(async () => {
  const vendors = listVendors();
  const mockOf = (id: string) => startMock(vendors.find((v) => v.id === id)!);
  [dinisoftMock, sms365Mock] = await Promise.all([mockOf('dinisoft'), mockOf('sms365')]);
  fake = await startServer((req, res) => {
    const query = new URL(req.url ?? '', 'http://x').searchParams;
    const text = query.get('messageContent') ?? '';
    if (text === 'explode') return void res.writeHead(500).end('boom');
    // dinisoft.txt / dinisoft.yaml sendText: 108 "Wrong password (secret key) or none provided."
    const status = text === 'refuse' ? '108' : '0';
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Status: status, Text: status === '0' ? 'ACCEPTD' : 'Wrong password', Message_ID: '77' }));
  });
  unified = await startServer((req, res) => {
    const destinations = (new URL(req.url ?? '', 'http://x').searchParams.get('destination') ?? '').split(',');
    // unified.yaml SubmitReply: one `<code>|<destination>|<message_id>` entry per destination; 1706 invalid destination.
    const entries = destinations.map((d) => (d.endsWith('9') ? `1706|${d}` : `1701|${d}|u-${d}`));
    res.writeHead(200, { 'content-type': 'text/plain' }).end(entries.join(','));
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([dinisoftMock?.stop(), sms365Mock?.stop(), fake?.close(), unified?.close()]);
});

const dini = (base: string) => [
  '--vendor',
  'dinisoft',
  '--base-url',
  base,
  '--api-key',
  apiKey,
  '--secret-key',
  secretKey,
];
const sentKeys = () => fake.requests.map((url) => new URL(url, 'http://x').searchParams.get('apikey'));

describe('smswire send', () => {
  it('sends through the Prism mock: text, and --json with the documented fields (exit 0)', async () => {
    const text = await smswire([
      'send',
      ...dini(dinisoftMock.url),
      '--to',
      '+880 1712-345678',
      '--text',
      'Hello',
      '--from',
      'ACME',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^accepted by dinisoft as 194234: \+8801712345678, gsm7, 1 part/);
    const json = await smswire([
      '--json',
      'send',
      ...dini(dinisoftMock.url),
      '--to',
      '+8801712345678',
      '--text',
      'Hello',
      '--from',
      'ACME',
      '--idempotency-key',
      'k-1',
    ]);
    expect(json.code).toBe(0);
    expect(jsonLines(json.stdout)).toEqual([
      {
        type: 'sent',
        id: 'k-1',
        vendor: 'dinisoft',
        messageId: '194234',
        to: '+8801712345678',
        state: 'accepted',
        encoding: 'gsm7',
        parts: 1,
      },
    ]);
  });

  it('--dry-run prints the number, encoding, parts and the masked request, and sends nothing', async () => {
    const before = fake.requests.length;
    const run = await smswire([
      '--json',
      'send',
      ...dini(fake.url),
      '--to',
      '00880 1712 345678',
      '--text',
      'Καλημέρα',
      '--from',
      'ACME',
      '--dry-run',
    ]);
    expect(run.code).toBe(0);
    expect(fake.requests.length).toBe(before);
    const [line] = jsonLines(run.stdout);
    expect(line).toMatchObject({
      type: 'dryRun',
      vendor: 'dinisoft',
      to: '+8801712345678',
      encoding: 'ucs2',
      parts: 1,
    });
    const url = new URL((line!.request as { url: string }).url);
    expect(url.pathname).toBe('/sendtext');
    expect(url.searchParams.get('toUser')).toBe('8801712345678');
    expect(url.searchParams.get('apikey')).toBe('[REDACTED]');
    expect(url.searchParams.get('secretkey')).toBe('[REDACTED]');
  });

  it('exit 2: bad input, missing credentials, unknown vendor or option; nothing sent', async () => {
    const before = fake.requests.length;
    const bad = await smswire(['--json', 'send', ...dini(fake.url), '--to', '12', '--text', 'Hi', '--from', 'ACME']);
    expect(bad.code).toBe(2);
    expect(jsonLines(bad.stdout)[0]).toMatchObject({ type: 'error', name: 'ValidationError' });
    const noKey = await smswire([
      'send',
      '--vendor',
      'dinisoft',
      '--base-url',
      fake.url,
      '--to',
      '+8801712345678',
      '--text',
      'Hi',
    ]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('SMSWIRE_DINISOFT_API_KEY');
    expect((await smswire(['send', '--vendor', 'nope', '--to', '+8801712345678', '--text', 'Hi'])).code).toBe(2);
    expect((await smswire(['send', '--vendr', 'dinisoft'])).code).toBe(2);
    expect(
      (await smswire(['send', ...dini(fake.url), '--to', '+8801712345678', '--text', 'Hi', '--at', 'tomorrow'])).code,
    ).toBe(2);
    expect(fake.requests.length).toBe(before);
  });

  it('exit 3 when the vendor refuses (108), exit 4 when the outcome is unknown (HTTP 500)', async () => {
    const refused = await smswire([
      '--json',
      'send',
      ...dini(fake.url),
      '--to',
      '+8801712345678',
      '--text',
      'refuse',
      '--from',
      'ACME',
    ]);
    expect(refused.code).toBe(3);
    expect(jsonLines(refused.stdout)[0]).toMatchObject({
      type: 'error',
      name: 'SendError',
      outcome: 'notAccepted',
      reason: 'auth',
      vendor: 'dinisoft',
    });
    const unknown = await smswire([
      'send',
      ...dini(fake.url),
      '--to',
      '+8801712345678',
      '--text',
      'explode',
      '--from',
      'ACME',
    ]);
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toContain('do not resend blindly');
  });
});

describe('credentials: flags > SMSWIRE_<VENDOR>_<OPTION> > --env-file > profile', () => {
  it('takes each source only when the ones above it are silent', async () => {
    const home = mkdtempSync(join(tmpdir(), 'smswire-home-'));
    const login = await smswire(
      [
        '--json',
        'login',
        'dinisoft',
        '--api-key',
        'ApiKey-PROFILE-3c4d5e6f',
        '--secret-key',
        secretKey,
        '--base-url',
        fake.url,
        '--from',
        'ACME',
      ],
      { env: cleanEnv({ XDG_CONFIG_HOME: home }) },
    );
    expect(login.code).toBe(0);
    const profile = join(home, 'smswire', 'config.json');
    expect(jsonLines(login.stdout)).toEqual([
      { type: 'login', vendor: 'dinisoft', profile, saved: ['apiKey', 'secretKey', 'baseUrl', 'from'] },
    ]);
    expect(statSync(profile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(profile, 'utf8')).vendors.dinisoft.apiKey).toBe('ApiKey-PROFILE-3c4d5e6f');
    const envFile = file('creds.env', 'SMSWIRE_DINISOFT_API_KEY=ApiKey-FILE-5e6f7a8b\n');
    const send = (extra: string[], env: Record<string, string> = {}) =>
      smswire(['send', ...extra, '--vendor', 'dinisoft', '--to', '+8801712345678', '--text', 'Hi'], {
        env: cleanEnv({ XDG_CONFIG_HOME: home, ...env }),
      });
    const before = fake.requests.length;
    expect((await send([])).code).toBe(0);
    expect((await send(['--env-file', envFile])).code).toBe(0);
    expect((await send(['--env-file', envFile], { SMSWIRE_DINISOFT_API_KEY: 'ApiKey-ENV-91c2d7aa' })).code).toBe(0);
    expect(
      (await send(['--env-file', envFile, '--api-key', apiKey], { SMSWIRE_DINISOFT_API_KEY: 'ApiKey-ENV-91c2d7aa' }))
        .code,
    ).toBe(0);
    expect(sentKeys().slice(before)).toEqual([
      'ApiKey-PROFILE-3c4d5e6f',
      'ApiKey-FILE-5e6f7a8b',
      'ApiKey-ENV-91c2d7aa',
      apiKey,
    ]);
  });

  it('login without a terminal needs every required credential as a flag', async () => {
    const run = await smswire(['login', 'unified', '--username', 'someone']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--password');
  });
});

describe('reads', () => {
  it('balance and status through the Prism mock', async () => {
    const balance = await smswire(['--json', 'balance', ...dini(dinisoftMock.url), '--account', 'ClientName']);
    expect(balance.code).toBe(0);
    expect(jsonLines(balance.stdout)).toEqual([
      { type: 'balance', vendor: 'dinisoft', amount: expect.any(Number), unit: 'credits' },
    ]);
    const status = await smswire(['--json', 'status', '194234', ...dini(dinisoftMock.url)]);
    expect(status.code).toBe(0);
    expect(jsonLines(status.stdout)[0]).toMatchObject({
      type: 'status',
      vendor: 'dinisoft',
      messageId: '194234',
      final: expect.any(Boolean),
    });
    const sms365 = await smswire([
      'status',
      'abc',
      '--vendor',
      'sms365',
      '--base-url',
      sms365Mock.url,
      '--key',
      'Sms365Key-55aa66bb',
    ]);
    expect(sms365.code).toBe(0);
    expect(sms365.stdout).toMatch(/^sms365 abc: /);
  });

  it('status of a vendor without a status read is exit 2; a refused read is exit 3', async () => {
    const unsupported = await smswire([
      'status',
      'x',
      '--vendor',
      'unified',
      '--base-url',
      unified.url,
      '--username',
      'u1',
      '--password',
      'Password-77',
    ]);
    expect(unsupported.code).toBe(2);
    const refused = await smswire([
      'balance',
      '--vendor',
      'dinisoft',
      '--base-url',
      'http://127.0.0.1:9',
      '--account',
      'A',
      '--api-key',
      apiKey,
      '--secret-key',
      secretKey,
      '--timeout',
      '2000',
    ]);
    expect(refused.code).toBe(3);
  });

  it('report reads a saved sms365 callback: a URL, a request line or a query string (sms365.txt L564–565)', async () => {
    for (const saved of [
      'https://example.com/cb?msgid=123&status=d&cost=1&to=306971000000&mcc=202&mnc=01',
      'GET /cb?msgid=123&status=d&cost=1&to=306971000000&mcc=202&mnc=01 HTTP/1.1\nHost: example.com\n\n',
      'msgid=123&status=d&cost=1&to=306971000000&mcc=202&mnc=01',
    ]) {
      const run = await smswire(['--json', 'report', file('report.txt', saved)]);
      expect(run.code).toBe(0);
      expect(jsonLines(run.stdout)[0]).toMatchObject({
        type: 'report',
        vendor: 'sms365',
        messageId: '123',
        state: 'delivered',
        final: true,
      });
    }
    const stdin = await smswire(['report', '-'], { input: 'msgid=9&status=f&cost=1&to=306971000000&mcc=202&mnc=01' });
    expect(stdin.stdout).toMatch(/sms365 9: undelivered/);
    expect((await smswire(['report', file('r2.txt', 'msgid=1&status=d'), '--vendor', 'dinisoft'])).code).toBe(2);
    expect((await smswire(['report', file('r3.txt', 'status=d')])).code).toBe(2);
    // L564-565: status is d or f, every field present (the vendor package's parser).
    expect(
      (await smswire(['report', file('r4.txt', 'msgid=1&status=x&cost=1&to=306971000000&mcc=202&mnc=01')])).code,
    ).toBe(2);
  });

  it('segments per vendor and vendors with their credential variables', async () => {
    const segments = await smswire(['--json', 'segments', 'Hello', '--vendor', 'sms365']);
    expect(jsonLines(segments.stdout)).toEqual([
      { type: 'segments', vendor: 'sms365', encoding: 'gsm7', parts: 1, perPart: 160, length: 5 },
    ]);
    const vendors = jsonLines((await smswire(['--json', 'vendors'])).stdout);
    expect(vendors.map((v) => v.vendor)).toEqual(['dinisoft', 'dreams', 'sms365', 'smsleads', 'unified']);
    expect(vendors.find((v) => v.vendor === 'dreams')!.env).toContain('SMSWIRE_DREAMS_CLIENT_SECRET');
    expect(vendors.find((v) => v.vendor === 'unified')).toMatchObject({
      baseUrlRequired: true,
      capabilities: { status: false },
    });
  });

  it('--help documents the exit codes', async () => {
    const help = await smswire(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('4  outcome unknown');
    expect((await smswire(['bulk', '--help'])).stdout).toContain('5  bulk: some recipients were not accepted');
  });
});

describe('smswire bulk', () => {
  const uni = ['--vendor', 'unified', '--base-url', '', '--username', 'bulk-user', '--password', 'Password-bulk-1'];
  const args = () => uni.map((a) => (a === '' ? unified.url : a));

  it('sends a CSV, prints each row in order and a summary, exit 5 with a refused row; a second run sends only the refused', async () => {
    const csv = file(
      'bulk.csv',
      'to,text,id\n+8801712000001,Hi,a\n+8801712000009,Hi,b\n+8801712000002,Hello,c\n12,Hi,d\n',
    );
    const before = unified.requests.length;
    const run = await smswire(['--json', 'bulk', csv, ...args(), '--from', 'ACME']);
    expect(run.code).toBe(5);
    const lines = jsonLines(run.stdout);
    const rows = lines.filter((l) => l.type === 'row');
    expect(rows.map((r) => [r.row, r.key, r.status, r.reason ?? null])).toEqual([
      [1, 'a', 'accepted', null],
      [2, 'b', 'rejected', 'number'],
      [3, 'c', 'accepted', null],
      [4, 'd', 'rejected', 'validation'],
    ]);
    expect(lines.at(-1)).toEqual({
      type: 'summary',
      rows: 4,
      accepted: 2,
      rejected: 2,
      rejectedByReason: { number: 1, validation: 1 },
      unknown: 0,
      retry: 2,
      resumed: 0,
      seconds: expect.any(Number),
      campaign: expect.stringMatching(/^bulk-[0-9a-f]{8}$/),
      journal: `${csv}.journal.jsonl`,
    });
    expect(unified.requests.length - before).toBe(2);
    // The accepted rows are not sent again; the two certainly not sent are tried again.
    const again = await smswire(['--json', 'bulk', csv, ...args(), '--from', 'ACME']);
    expect(again.code).toBe(5);
    expect(jsonLines(again.stdout).at(-1)).toMatchObject({ rows: 4, accepted: 2, rejected: 2, resumed: 2 });
    expect(unified.requests.length - before).toBe(3);
  });

  it('reads stdin with --journal; piped text output is rows and a summary, no escape codes', async () => {
    const journal = join(work, 'stdin.journal.jsonl');
    const run = await smswire(['bulk', '-', ...args(), '--from', 'ACME', '--journal', journal], {
      input: 'to,text\n+8801712000003,Hi\n+8801712000004,Hi\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'row 1 +8801712000003: accepted by unified as u-8801712000003',
      'row 2 +8801712000004: accepted by unified as u-8801712000004',
      `2 rows: 2 accepted, 0 rejected, 0 unknown. Campaign: stdin. Journal: ${journal}`,
    ]);
    expect(run.stdout + run.stderr).not.toContain(String.fromCharCode(27));
    expect((await smswire(['bulk', '-', ...args()], { input: 'to,text\n' })).code).toBe(2);
    expect((await smswire(['bulk', file('bad.csv', 'phone,body\n1,2\n'), ...args()])).code).toBe(2);
  });

  it('reconcile lists the unknown rows it cannot ask about and exits 4', async () => {
    const journal = file(
      'left.journal.jsonl',
      `${JSON.stringify({ key: 'a', row: 1, to: '+8801712000001', state: 'pending' })}\n${JSON.stringify({ key: 'b', row: 2, to: '+8801712000002', status: 'accepted', vendor: 'unified' })}\n{"key":"c","ro`,
    );
    const run = await smswire(['--json', 'reconcile', journal]);
    expect(run.code).toBe(4);
    expect(jsonLines(run.stdout)).toEqual([
      {
        type: 'reconcile',
        key: 'a',
        row: 1,
        to: '+8801712000001',
        status: 'unknown',
        reason: expect.stringContaining('no message ID'),
      },
      { type: 'summary', unknown: 1, resolved: 0, left: 1 },
    ]);
  });
});

describe('smswire mock', () => {
  it('serves the shipped spec on Prism (SMS Leads behind its XML dispatcher) until SIGINT', async () => {
    const { spawn } = await import('node:child_process');
    const { cliBundle } = await import('./cli.js');
    const child = spawn(process.execPath, [await cliBundle(), '--json', 'mock', 'smsleads'], {
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const line = stdout.split('\n').find((l) => l.includes('"mock"'));
        if (line) resolve(JSON.parse(line).url);
      });
      child.once('exit', (code) => reject(new Error(`mock exited ${code}`)));
    });
    try {
      const balance = await smswire([
        '--json',
        'balance',
        '--vendor',
        'smsleads',
        '--base-url',
        url,
        '--token',
        'Token-9a8b7c6d',
        '--username',
        'leads-user',
      ]);
      expect(balance.code).toBe(0);
      expect(jsonLines(balance.stdout)[0]).toMatchObject({ type: 'balance', vendor: 'smsleads', unit: 'credits' });
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  }, 120_000);
});

afterAll(() => {
  const all = printed.join('\n');
  for (const secret of [...secrets, 'Token-9a8b7c6d', 'Password-bulk-1', 'Password-77'])
    expect(all).not.toContain(secret);
});
