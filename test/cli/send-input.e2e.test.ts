import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { jsonLines, smswire } from './cli.js';

/**
 * What `send` does with input it cannot take as given: an `--at` that names no real time or a
 * past one (ValidationError, exit 2, nothing sent), and a number the layer warns about (the
 * warning on stderr, and as a `warning` line with `--json`).
 */
let vendor: TestServer;
beforeAll(async () => {
  vendor = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // dinisoft.yaml sendText: Status 0 "ACCEPTD".
    res.end(JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: '77' }));
  });
});
afterAll(() => vendor.close());

const send = (...extra: string[]) =>
  smswire([
    '--json',
    'send',
    '--vendor',
    'dinisoft',
    '--base-url',
    vendor.url,
    '--api-key',
    'ApiKey-input-7f3a9c1e',
    '--secret-key',
    'SecretKey-input-0b8d2e44',
    '--text',
    'Hello',
    '--from',
    'ACME',
    ...extra,
  ]);

it('--at with a day or time that does not exist, or in the past, is a ValidationError (exit 2), nothing sent', async () => {
  const year = new Date().getUTCFullYear() + 1;
  for (const at of [`${year}-02-30T09:00Z`, `${year}-13-01T09:00Z`, `${year}-04-31T09:00Z`, `${year}-05-01T24:30Z`]) {
    const run = await send('--to', '+8801712345678', '--at', at);
    expect(run.code, at).toBe(2);
    expect(jsonLines(run.stdout)[0], at).toMatchObject({ type: 'error', name: 'ValidationError' });
  }
  const past = await send('--to', '+8801712345678', '--at', '2020-01-01T09:00Z');
  expect(past.code).toBe(2);
  expect(jsonLines(past.stdout)[0]!.message).toContain('in the past');
  // --allow-past says the operator means it: the time passes, and DiniSoft (no scheduling) is what refuses it.
  const allowed = await send('--to', '+8801712345678', '--at', '2020-01-01T09:00Z', '--allow-past');
  expect(jsonLines(allowed.stdout)[0]).toMatchObject({ type: 'error', name: 'UnsupportedError' });
  expect(vendor.requests).toEqual([]);
});

it('a number in no known mobile range is sent with a warning on stderr and a --json warning line', async () => {
  const run = await send('--to', '8801712345678', '--country', 'IN');
  expect(run.code).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.map((l) => l.type)).toEqual(['warning', 'sent']);
  expect(lines[0]).toMatchObject({ kind: 'invalidNumber', number: '+918801712345678' });
  expect(run.stderr).toContain('warning: +918801712345678');
});
