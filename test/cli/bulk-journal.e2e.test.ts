import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { refusedUrl, startServer, type TestServer } from '../support/server.js';
import { cleanEnv, jsonLines, smswire, startSmswire } from './cli.js';

/**
 * The bulk journal at its edges: never the CSV itself, written whole or not at all on a full
 * disk, rows certainly not sent left sendable, and Ctrl-C without a terminal, all against a
 * Unified stand-in that counts every destination it receives.
 */
const dir = mkdtempSync(join(tmpdir(), 'smswire-journal-e2e-'));
const received = new Map<string, number>();
let delayMs = 5;
let answer: (destination: string) => string = (d) => `1701|${d}|m${d}`;
let unified: TestServer;
beforeAll(async () => {
  unified = await startServer((req, res) => {
    const destinations = (new URL(req.url ?? '', 'http://x').searchParams.get('destination') ?? '').split(',');
    for (const d of destinations) received.set(d, (received.get(d) ?? 0) + 1);
    // unified.yaml SubmitReply: one `<code>|<destination>|<message_id>` entry per destination.
    setTimeout(() => res.writeHead(200).end(destinations.map((d) => answer(d)).join(',')), delayMs);
  });
});
afterAll(() => unified.close());

const number = (i: number) => `8801712${String(i).padStart(6, '0')}`;
const csvOf = (name: string, count: number, first = 0) => {
  const path = join(dir, name);
  writeFileSync(
    path,
    `to,text\n${Array.from({ length: count }, (_, i) => `+${number(first + i)},Hi ${i}`).join('\n')}\n`,
  );
  return path;
};
const uni = (base: string) => [
  '--vendor',
  'unified',
  '--base-url',
  base,
  '--username',
  'journal-user',
  '--password',
  'journal-Password-1',
  '--from',
  'ACME',
];
const twice = () => [...received].filter(([, n]) => n > 1);

it('--journal naming the CSV itself is exit 2, and the CSV is left as it was', async () => {
  const csv = csvOf('self.csv', 3, 100);
  const before = readFileSync(csv, 'utf8');
  const run = await smswire(['bulk', csv, ...uni(unified.url), '--journal', join(dir, '.', 'self.csv')]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('the CSV itself');
  expect(readFileSync(csv, 'utf8')).toBe(before);
  expect(received.has(number(100))).toBe(false);
});

it('a full disk: the journal takes whole lines or none, the run stops listing what it did not record, and a resume sends nothing twice', async () => {
  const disk = mkdtempSync(join(dir, 'disk-'));
  const csv = csvOf('full.csv', 40, 200);
  const journal = join(disk, 'full.journal.jsonl');
  const preload = new URL('./full-disk.mjs', import.meta.url).href;
  // Room for the run line and about a dozen rows' lines: the disk fills mid-run, mid-line.
  const env = cleanEnv({
    NODE_OPTIONS: `--import=${preload}`,
    SMSWIRE_TEST_DISK: disk,
    SMSWIRE_TEST_DISK_BYTES: '1500',
  });
  const args = [
    '--json',
    'bulk',
    csv,
    ...uni(unified.url),
    '--journal',
    journal,
    '--batch-size',
    '2',
    '--concurrency',
    '2',
  ];
  const full = await smswire(args, { env });
  expect(full.stderr).not.toMatch(/at .*\.mjs:\d+/);
  expect(full.code).toBe(4);
  const lines = jsonLines(full.stdout);
  expect(lines.at(-1)).toMatchObject({ type: 'error', name: 'JournalWriteError' });
  // Every line in the file is whole.
  for (const line of readFileSync(journal, 'utf8').split('\n').filter(Boolean))
    expect(() => JSON.parse(line)).not.toThrow();
  // Every accepted row whose outcome the journal lacks is listed with its message ID.
  const unrecorded = lines.filter((l) => l.type === 'unrecorded');
  for (const row of lines.filter((l) => l.type === 'row' && l.status === 'accepted'))
    if (!readFileSync(journal, 'utf8').includes(`"messageId":"${row.messageId}"`))
      expect(unrecorded.map((u) => u.key)).toContain(row.key);

  // Space freed: the resume sends what was certainly not sent, and nothing twice.
  const resumed = await smswire(args);
  const summary = jsonLines(resumed.stdout).at(-1)!;
  expect(summary).toMatchObject({ type: 'summary', rows: 40, rejected: 0 });
  expect(twice()).toEqual([]);
  const unknown = jsonLines(resumed.stdout).filter((l) => l.type === 'row' && l.status === 'unknown');
  for (let i = 200; i < 240; i++) {
    const listed = unknown.some((l) => l.to === `+${number(i)}`);
    expect(received.get(number(i)) === 1 || listed, `row ${i}`).toBe(true);
  }
});

it('a resumed run refuses a key the CSV repeats, whether the journal names it or not, and sends nothing twice', async () => {
  const csv = join(dir, 'repeats.csv');
  writeFileSync(csv, `to,text,id\n+${number(600)},Hi,a\n+${number(601)},Hi,b\n`);
  expect((await smswire(['--json', 'bulk', csv, ...uni(unified.url)])).code).toBe(0);
  // a: sent before, and repeated; c: new, and repeated.
  writeFileSync(
    csv,
    `to,text,id\n+${number(600)},Hi,a\n+${number(601)},Hi,b\n+${number(600)},Hi,a\n+${number(602)},Hi,c\n+${number(602)},Hi,c\n`,
  );
  const again = await smswire(['--json', 'bulk', csv, ...uni(unified.url)]);
  // Printed as they settle: a refusal before a send under way.
  const rows = jsonLines(again.stdout)
    .filter((l) => l.type === 'row')
    .sort((a, b) => Number(a.row) - Number(b.row));
  expect(rows.map((l) => [l.row, l.status, l.previous ?? false])).toEqual([
    [1, 'accepted', true],
    [2, 'accepted', true],
    [3, 'rejected', false],
    [4, 'accepted', false],
    [5, 'rejected', false],
  ]);
  expect(rows.filter((l) => l.status === 'rejected').map((l) => l.message)).toEqual([
    'duplicate key a: not sent twice',
    'duplicate key c: not sent twice',
  ]);
  expect([600, 601, 602].map((i) => received.get(number(i)))).toEqual([1, 1, 1]);
});

it('rows certainly not sent (vendor unreachable, 429, a bad number) stay sendable: the next run sends them', async () => {
  const csv = join(dir, 'later.csv');
  writeFileSync(csv, `to,text,id\n+${number(300)},Hi,a\n+${number(301)},Hi,b\n12,Hi,c\n`);
  const down = await smswire(['--json', 'bulk', csv, ...uni(await refusedUrl())]);
  expect(down.code).toBe(5);
  expect(jsonLines(down.stdout).at(-1)).toMatchObject({ rejected: 3, retry: 3, unknown: 0 });
  expect(received.has(number(300))).toBe(false);

  answer = (d) => (d === number(301) ? 'x' : `1701|${d}|m${d}`);
  const throttled = await startServer((_req, res) => void res.writeHead(429, { 'retry-after': '1' }).end('slow down'));
  const busy = await smswire(['--json', 'bulk', csv, ...uni(throttled.url)]);
  await throttled.close();
  expect(jsonLines(busy.stdout).at(-1)).toMatchObject({ rejected: 3, unknown: 0 });

  // The bad number fixed in the CSV under the same id: sent with the others.
  answer = (d) => `1701|${d}|m${d}`;
  writeFileSync(csv, `to,text,id\n+${number(300)},Hi,a\n+${number(301)},Hi,b\n+${number(302)},Hi,c\n`);
  const up = await smswire(['--json', 'bulk', csv, ...uni(unified.url)]);
  expect(up.code).toBe(0);
  expect(jsonLines(up.stdout).at(-1)).toMatchObject({ rows: 3, accepted: 3, resumed: 0 });
  expect([300, 301, 302].map((i) => received.get(number(i)))).toEqual([1, 1, 1]);
});

it('SIGINT without a terminal: no more rows, the requests under way finish, every outcome written, summary, exit 130; a resume sends the rest once', async () => {
  delayMs = 150;
  const csv = csvOf('interrupted.csv', 40, 400);
  const args = ['--json', 'bulk', csv, ...uni(unified.url), '--batch-size', '1', '--concurrency', '2'];
  const run = await startSmswire(args);
  const first = () => [...received.keys()].filter((k) => k >= number(400) && k < number(440)).length;
  while (first() < 3) await new Promise((r) => setTimeout(r, 20));
  run.child.kill('SIGINT');
  const stopped = await run.done;
  expect(stopped.code).toBe(130);
  const lines = jsonLines(stopped.stdout);
  const summary = lines.at(-1)!;
  expect(summary).toMatchObject({ type: 'summary', stopped: 'interrupted', unknown: 0 });
  const rows = lines.filter((l) => l.type === 'row');
  // What reached the vendor is accepted (not unknown); the rest is canceled, sendable.
  const sent = first();
  expect(sent).toBeLessThan(40);
  expect(rows.filter((r) => r.status === 'accepted').length).toBe(sent);
  expect(rows.filter((r) => r.status !== 'accepted').every((r) => r.reason === 'canceled')).toBe(true);

  delayMs = 5;
  const resumed = await smswire(args);
  expect(resumed.code).toBe(0);
  expect(jsonLines(resumed.stdout).at(-1)).toMatchObject({ rows: 40, accepted: 40, resumed: sent });
  expect(first()).toBe(40);
  expect(twice()).toEqual([]);
});

it('a second SIGINT exits at once, even with a request that never ends', async () => {
  delayMs = 60_000;
  const csv = csvOf('stuck.csv', 5, 500);
  const run = await startSmswire(['bulk', csv, ...uni(unified.url), '--batch-size', '1', '--concurrency', '1']);
  while (!received.has(number(500))) await new Promise((r) => setTimeout(r, 20));
  run.child.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 200));
  const at = Date.now();
  run.child.kill('SIGINT');
  const ended = await run.done;
  expect(ended.code).toBe(130);
  expect(Date.now() - at).toBeLessThan(3000);
  expect(received.has(number(501))).toBe(false);
  delayMs = 5;
});
