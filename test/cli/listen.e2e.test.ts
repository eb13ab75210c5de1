import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appliedStatus, fileReportStore, signCallbackUrl } from '@smswire/sms/report-endpoint';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { readForm, startServer, type TestServer } from '../support/server.js';
import { cleanEnv, jsonLines, type Started, smswire, startSmswire } from './cli.js';

/**
 * Issue 33, "The command": `smswire listen` receives real sms365-shaped callbacks over HTTP
 * (GET, `msgid status cost to mcc mnc` appended to each message's signed URL, sms365.txt
 * L562–566), records each change before answering 200, prints it, forwards it signed by
 * Standard Webhooks, and survives SIGKILL.
 */
const secret = 'listen-test-secret-0123456789abcdefghij';
const whsec = `whsec_${Buffer.from('forward-key-0123456789abcdef').toString('base64')}`;
const env = () => cleanEnv({ SMSWIRE_REPORT_SECRET: secret, SMSWIRE_FORWARD_SECRET: whsec });
const servers: TestServer[] = [];
const running: Started[] = [];
afterAll(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  await Promise.all(servers.map((s) => s.close()));
});

type Line = Record<string, unknown> & { type: string };

/** Starts `listen` and waits for its `listening` line; `lines` collects every line it prints. */
async function startListen(args: string[]) {
  const run = await startSmswire(['--json', 'listen', ...args], { env: env(), timeoutMs: 60_000 });
  running.push(run);
  const lines: Line[] = [];
  let buffer = '';
  const waiters: (() => void)[] = [];
  run.child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const part of parts) if (part) lines.push(JSON.parse(part) as Line);
    for (const wake of waiters.splice(0)) wake();
  });
  const waitFor = async (predicate: (lines: Line[]) => boolean) => {
    while (!predicate(lines)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  await waitFor((l) => l.some((line) => line.type === 'listening'));
  const callbackUrl = lines.find((l) => l.type === 'listening')!.callbackUrl as string;
  const base = new URL(callbackUrl).origin;
  const sign = (key: string, now?: number) => signCallbackUrl({ url: callbackUrl, keyId: 'k1', secret }, key, now);
  const report = (url: string, msgid: string, status = 'd') =>
    fetch(`${url}&msgid=${msgid}&status=${status}&cost=0.0350&to=306971234567&mcc=202&mnc=01`);
  return { run, lines, waitFor, callbackUrl, base, sign, report };
}

const changes = (lines: Line[]) => lines.filter((l) => l.type === 'report');

describe('smswire listen', () => {
  it('records a signed report, prints the change, refuses forged and expired ones, answers /healthz, stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smswire-listen-'));
    const journal = join(dir, 'campaign.csv.journal.jsonl');
    const listen = await startListen(['--journal', journal]);
    expect(listen.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/report$/);

    const url = listen.sign('row-1');
    expect((await listen.report(url, '731621', 'd')).status).toBe(200);
    // The same report again is applied once; a replayed URL turned into another final state is refused.
    expect((await listen.report(url, '731621', 'd')).status).toBe(200);
    expect((await listen.report(url, '731621', 'f')).status).toBe(403);
    expect((await listen.report(listen.sign('row-5'), '731625', 'f')).status).toBe(200);
    // Forged (another secret), expired, and another message's URL carrying this msgid.
    const forged = signCallbackUrl({ url: listen.callbackUrl, keyId: 'k1', secret: 'x'.repeat(40) }, 'row-2');
    expect((await listen.report(forged, '731622')).status).toBe(403);
    expect((await listen.report(listen.sign('row-3', Date.now() - 8 * 24 * 3600_000), '731623')).status).toBe(403);
    expect((await listen.report(listen.sign('row-4'), '731621')).status).toBe(403);

    const health = await fetch(`${listen.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, applied: 2 });
    expect((await fetch(`${listen.base}/elsewhere`)).status).toBe(404);

    await listen.waitFor((l) => changes(l).length === 2);
    expect(changes(listen.lines).map((l) => [l.vendor, l.messageId, l.state])).toEqual([
      ['sms365', '731621', 'delivered'],
      ['sms365', '731625', 'undelivered'],
    ]);
    listen.run.child.kill('SIGTERM');
    const done = await listen.run.done;
    expect(done.code).toBe(0);
    expect(jsonLines(done.stdout).at(-1)).toEqual({ type: 'stopped', applied: 2 });
    expect(done.stdout + done.stderr).not.toContain(secret);
    // Beside the journal, as documented.
    const store = fileReportStore(`${journal}.reports.jsonl`);
    expect((await appliedStatus(store, 'sms365', '731621'))?.state).toBe('delivered');
    await store.close();
  });

  it('loses no report it answered 200 when SIGKILLed: restarted on the same journal, every state is there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smswire-listen-kill-'));
    const journal = join(dir, 'j.jsonl');
    const first = await startListen(['--journal', journal]);
    const answered: string[] = [];
    // Twenty answers reached this side before the kill: a change printed is not yet an answer
    // (the group commit answers after its write), so waiting on printed lines alone can kill first.
    let twentyAnswered!: () => void;
    const enoughAnswered = new Promise<void>((resolve) => (twentyAnswered = resolve));
    // Reports in flight when the kill comes: only those answered 200 are promised.
    const sending = Array.from({ length: 200 }, async (_, i) => {
      const id = String(900000 + i);
      try {
        const reply = await first.report(first.sign(`row-${i}`), id, i % 2 ? 'd' : 'f');
        if (reply.status === 200 && answered.push(id) === 20) twentyAnswered();
      } catch {
        // Cut off by the kill: never answered.
      }
    });
    await enoughAnswered;
    first.run.child.kill('SIGKILL');
    await Promise.all(sending);
    expect((await first.run.done).signal).toBe('SIGKILL');
    expect(answered.length).toBeGreaterThanOrEqual(20);

    const second = await startListen(['--journal', journal]);
    for (const id of answered) {
      const i = Number(id) - 900000;
      // The vendor repeats a report it got no answer to; one it got 200 for is already applied.
      expect((await second.report(second.sign(`row-${i}`), id, i % 2 ? 'd' : 'f')).status).toBe(200);
    }
    expect(await (await fetch(`${second.base}/healthz`)).json()).toEqual({ ok: true, applied: 0 });
    second.run.child.kill('SIGINT');
    expect((await second.run.done).code).toBe(0);
    const store = fileReportStore(`${journal}.reports.jsonl`);
    for (const id of answered) {
      const i = Number(id) - 900000;
      expect((await appliedStatus(store, 'sms365', id))?.state, id).toBe(i % 2 ? 'delivered' : 'undelivered');
    }
    await store.close();
  });

  it('--forward: each change posted as a Standard Webhooks event that Webhook.verify accepts', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const service = await startServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers as Record<string, string>, body });
        // The first delivery fails: it is retried.
        res.writeHead(received.length === 1 ? 503 : 204).end();
      });
    });
    servers.push(service);
    const dir = mkdtempSync(join(tmpdir(), 'smswire-forward-'));
    const listen = await startListen([
      '--store',
      join(dir, 'reports.jsonl'),
      '--forward',
      `${service.url}/hooks`,
      '--forward-backoff',
      '20',
    ]);
    expect((await listen.report(listen.sign('order-7'), '5550001', 'd')).status).toBe(200);
    while (received.length < 2) await new Promise((r) => setTimeout(r, 20));
    listen.run.child.kill('SIGTERM');
    expect((await listen.run.done).code).toBe(0);
    const webhook = new Webhook(whsec);
    const events = received.map(({ headers, body }) => webhook.verify(body, headers));
    expect(events[1]).toEqual({
      type: 'message.status',
      timestamp: expect.any(String),
      data: {
        vendor: 'sms365',
        messageId: '5550001',
        state: 'delivered',
        final: true,
        vendorStatus: 'd',
        at: expect.any(String),
      },
    });
    // The retry is the same event: one webhook-id, which the receiver deduplicates on.
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
    // A body changed in transit is refused by the receiver's library.
    expect(() => webhook.verify(received[1]!.body.replace('delivered', 'undelivered'), received[1]!.headers)).toThrow();
  });

  it('--forward to a service that stays down: the event goes to the dead-letter file', async () => {
    const service = await startServer((_req, res) => res.writeHead(500).end());
    servers.push(service);
    const dir = mkdtempSync(join(tmpdir(), 'smswire-dead-'));
    const deadLetter = join(dir, 'dead.jsonl');
    const listen = await startListen([
      '--store',
      join(dir, 'reports.jsonl'),
      '--forward',
      service.url,
      '--dead-letter',
      deadLetter,
      '--forward-attempts',
      '3',
      '--forward-backoff',
      '10',
    ]);
    expect((await listen.report(listen.sign('order-8'), '5550002', 'f')).status).toBe(200);
    await listen.waitFor((l) => l.some((line) => line.type === 'warning' && line.kind === 'deadLetter'));
    expect(service.requests.length).toBe(3);
    const [dead] = readFileSync(deadLetter, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(dead).toMatchObject({
      attempts: 3,
      error: 'HTTP 500',
      event: { type: 'message.status', data: { messageId: '5550002', state: 'undelivered' } },
    });
    listen.run.child.kill('SIGTERM');
    expect((await listen.run.done).code).toBe(0);
  });

  it('send --callback-url signs each sms365 message’s URL, and listen accepts it', async () => {
    const callbacks: string[] = [];
    const vendor = await startServer(async (req, res) => {
      const { form } = await readForm(req);
      callbacks.push(form.callback ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 1, error: 0, remarks: 'Success', smsId: '7316401' }));
    });
    servers.push(vendor);
    const dir = mkdtempSync(join(tmpdir(), 'smswire-send-cb-'));
    const listen = await startListen(['--store', join(dir, 'r.jsonl')]);
    // One sms365 send whose callback comes to `listen`.
    const send = (key: string) => [
      'send',
      '--vendor',
      'sms365',
      '--base-url',
      vendor.url,
      '--key',
      key,
      '--to',
      '+306971234567',
      '--text',
      'hi',
      '--callback-url',
      listen.callbackUrl,
    ];
    const sent = await smswire(['--json', ...send('sms365-key-1')], { env: env() });
    expect(sent.code, sent.stderr).toBe(0);
    expect(callbacks[0]).toMatch(/[?&]sw_sig=/);
    expect(sent.stdout + sent.stderr).not.toContain(secret);
    expect((await listen.report(callbacks[0]!, '7316401', 'd')).status).toBe(200);
    await listen.waitFor((l) => changes(l).length === 1);
    // Without the secret, a callback URL is refused before anything is sent.
    const unsigned = await smswire(send('k'), { env: cleanEnv() });
    expect(unsigned.code).toBe(2);
    expect(callbacks).toHaveLength(1);
    listen.run.child.kill('SIGTERM');
    await listen.run.done;
  });

  it('refuses to start without the signing secret or a place to record reports', async () => {
    const noSecret = await smswire(['listen', '--store', join(tmpdir(), 'x.jsonl')], { env: cleanEnv() });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/SMSWIRE_REPORT_SECRET/);
    const noStore = await smswire(['listen'], { env: env() });
    expect(noStore.code).toBe(2);
  });
});
