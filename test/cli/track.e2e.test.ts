import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { signCallbackUrl } from '@smswire/sms/report-endpoint';
import { cleanEnv, jsonLines, smswire, startSmswire } from './cli.js';
import { countingVendor, vendorArgs } from './counting-vendors.js';

/**
 * `smswire track <journal>` against the counting stand-in: SMS Leads rows reach `delivered`
 * through `dlr` (one request for all of them), the states land in `<journal>.states.jsonl`, a
 * second run resumes from it without asking again, and rows of a vendor with no status read are
 * `noFinalReport` at the deadline.
 */
const vendor = await countingVendor();
afterAll(() => vendor.close());
const dir = mkdtempSync(join(tmpdir(), 'smswire-track-e2e-'));

async function campaign(name: string, vendorId: 'smsleads' | 'unified' | 'sms365', count: number) {
  const { args, number } = vendorArgs[vendorId]!;
  const csv = join(dir, `${name}.csv`);
  writeFileSync(csv, `to,text\n${Array.from({ length: count }, (_, i) => `${number(800 + i)},Hi`).join('\n')}\n`);
  const flags = ['--vendor', vendorId, '--base-url', vendor.url, ...args];
  const sent = await smswire(['--json', 'bulk', csv, ...flags, '--from', 'ACME']);
  expect(jsonLines(sent.stdout).at(-1)).toMatchObject({ accepted: count });
  return { journal: `${csv}.journal.jsonl`, flags };
}

it('track follows SMS Leads rows to delivered with one dlr request, records them beside the journal, and resumes asking nothing', async () => {
  const { journal, flags } = await campaign('leads', 'smsleads', 30);
  vendor.dlrRequests.length = 0;
  const run = await smswire(['--json', 'track', journal, ...flags, '--interval', '20']);
  expect(run.code).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.filter((l) => l.type === 'state' && l.state === 'delivered')).toHaveLength(30);
  expect(lines.at(-1)).toEqual({ type: 'summary', rows: 30, delivered: 30, undelivered: 0, pending: 0, noReport: 0 });
  expect(vendor.dlrRequests).toEqual([30]);
  const states = readFileSync(`${journal}.states.jsonl`, 'utf8').trim().split('\n');
  expect(states).toHaveLength(30);
  expect(JSON.parse(states[0]!)).toMatchObject({ vendor: 'smsleads', state: 'delivered', row: expect.any(Number) });
  expect(existsSync(`${journal}.states.jsonl.lock`)).toBe(false);

  const again = await smswire(['track', journal, ...flags, '--interval', '20']);
  expect(again.code).toBe(0);
  expect(again.stdout.trim()).toBe('delivered 30 · undelivered 0 · pending 0 · no report 0');
  expect(vendor.dlrRequests).toEqual([30]);
});

it('track: rows of a vendor with no status read are noFinalReport at the deadline, exit 4, and recorded so', async () => {
  const { journal, flags } = await campaign('uni', 'unified', 5);
  const run = await smswire(['--json', 'track', journal, ...flags, '--interval', '50', '--deadline', '1s']);
  expect(run.code).toBe(4);
  const lines = jsonLines(run.stdout);
  expect(lines.filter((l) => l.type === 'state').map((l) => l.state)).toEqual(Array(5).fill('noFinalReport'));
  expect(lines.at(-1)).toMatchObject({ type: 'summary', rows: 5, delivered: 0, pending: 0, noReport: 5 });
  expect(readFileSync(`${journal}.states.jsonl`, 'utf8').trim().split('\n')).toHaveLength(5);
});

it('track refuses a journal that does not exist, and a deadline it cannot read, with exit 2', async () => {
  expect((await smswire(['track', join(dir, 'none.jsonl'), '--vendor', 'unified'])).code).toBe(2);
  const { journal, flags } = await campaign('bad', 'unified', 1);
  const bad = await smswire(['track', journal, ...flags, '--deadline', 'tomorrow']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--deadline tomorrow');
});

it('track reads what listen applied: a message its callback made final is never asked for, the others are', async () => {
  const { journal, flags } = await campaign('listened', 'sms365', 3);
  const ids = readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { status?: string; messageId?: string })
    .filter((line) => line.status === 'accepted')
    .map((line) => line.messageId!);
  expect(ids).toHaveLength(3);

  // sms365 calls the signed URL `listen` printed, for the first message; `listen` records it beside the journal.
  const secret = 'track-test-secret-0123456789abcdefghijk';
  const listen = await startSmswire(['--json', 'listen', '--journal', journal], {
    env: cleanEnv({ SMSWIRE_REPORT_SECRET: secret }),
  });
  let printed = '';
  while (!printed.includes('"listening"'))
    printed += await new Promise<string>((resolve) =>
      listen.child.stdout!.once('data', (c: Buffer) => resolve(String(c))),
    );
  const callbackUrl = jsonLines(printed).find((l) => l.type === 'listening')?.callbackUrl as string;
  const url = signCallbackUrl({ url: callbackUrl, keyId: 'k1', secret }, 'row-1');
  const answer = await fetch(`${url}&msgid=${ids[0]}&status=d&cost=0.0350&to=8801712000800&mcc=470&mnc=01`);
  expect(answer.status).toBe(200);
  listen.child.kill('SIGTERM');
  expect((await listen.done).code).toBe(0);

  vendor.sms365Status.length = 0;
  const run = await smswire(['--json', 'track', journal, ...flags, '--interval', '20', '--deadline', '2s']);
  expect(run.code).toBe(0);
  const lines = jsonLines(run.stdout);
  expect(lines.at(-1)).toEqual({ type: 'summary', rows: 3, delivered: 3, undelivered: 0, pending: 0, noReport: 0 });
  expect(lines.find((l) => l.type === 'state' && l.messageId === ids[0])).toMatchObject({ state: 'delivered' });
  // Polled every round, and asked message by message in the last: never for the one the endpoint made final.
  const asked = vendor.sms365Status.filter((r) => r !== 'get');
  expect(asked.sort()).toEqual([ids[1], ids[2]].sort());
  expect(vendor.sms365Status).toContain('get');
});

it('track refuses a --store that does not exist, with exit 2', async () => {
  const { journal, flags } = await campaign('nostore', 'sms365', 1);
  const run = await smswire(['track', journal, ...flags, '--store', join(dir, 'missing.jsonl')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('no such file');
});
