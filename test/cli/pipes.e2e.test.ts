import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../support/server.js';
import { cleanEnv, cliBundle } from './cli.js';

/**
 * A closed stdout, through a real pipe: `smswire … | head`. The reader is `true` (it reads
 * nothing and exits at once), so every line the command writes meets a pipe with no reader:
 * the EPIPE `head -1` would cause, every time. `PIPESTATUS` gives the command's own exit code.
 */
async function piped(args: string[], reader = 'true'): Promise<{ code: number; stderr: string; head: string }> {
  const bin = await cliBundle();
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('bash', ['-c', `${quoted} 2>"$ERR" | ${reader} >"$HEAD"; exit "\${PIPESTATUS[0]}"`], {
    env: { ...cleanEnv(), ERR: join(dir, 'stderr'), HEAD: join(dir, 'head') },
    stdio: 'ignore',
  });
  const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)));
  return { code, stderr: readFileSync(join(dir, 'stderr'), 'utf8'), head: readFileSync(join(dir, 'head'), 'utf8') };
}

const dir = mkdtempSync(join(tmpdir(), 'smswire-pipes-'));

describe('a reading command whose reader has gone ends quietly, exit 0', () => {
  it.each([[['--help']], [['vendors', '--json']], [['segments', 'hi']], [['--version']]])(
    'smswire %j | true',
    async (args) => {
      const run = await piped(args);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    },
  );

  it('smswire --help | head -1 prints the first line', async () => {
    const run = await piped(['--help'], 'head -1');
    expect(run.head).toBe('Usage: smswire [options] [command]\n');
    expect(run.code).toBe(0);
  });
});

describe('bulk | head -2', () => {
  const received = new Map<string, number>();
  const server = startServer((req, res) => {
    const destinations = (new URL(req.url ?? '', 'http://x').searchParams.get('destination') ?? '').split(',');
    for (const d of destinations) received.set(d, (received.get(d) ?? 0) + 1);
    // unified.yaml SubmitReply: one `1701|<destination>|<message_id>` per destination.
    setTimeout(() => res.writeHead(200).end(destinations.map((d) => `1701|${d}|m${d}`).join(',')), 5);
  });
  afterAll(async () => (await server).close());

  it('stops as on Ctrl-C: no crash, a consistent journal, and the next run sends only the rest, none twice', async () => {
    const rows = 3000;
    const csv = join(dir, 'campaign.csv');
    writeFileSync(
      csv,
      `to,text\n${Array.from({ length: rows }, (_, i) => `+8801712${String(i).padStart(6, '0')},Hi`).join('\n')}\n`,
    );
    const args = ['bulk', csv, '--vendor', 'unified', '--base-url', (await server).url];
    const credentials = ['--username', 'u-pipe', '--password', 'p-pipe-1', '--from', 'ACME', '--batch-size', '10'];
    const first = await piped([...args, ...credentials], 'head -2');
    expect(first.head.split('\n').filter(Boolean)).toHaveLength(2);
    expect(first.stderr).not.toMatch(/EPIPE|at .*\.js/);
    expect(first.stderr).toContain('stopped: the output was closed');
    expect(first.code).toBe(130);
    const sentFirst = [...received.values()].reduce((a, b) => a + b, 0);
    expect(sentFirst).toBeLessThan(rows);
    // Every line of the journal is whole, and every row it claimed has its outcome.
    const journal = readFileSync(`${csv}.journal.jsonl`, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = new Map<string, { status?: string; state?: string }>();
    for (const line of journal) if (line.key) last.set(line.key, line);
    for (const [key, line] of last) expect(line.state, key).not.toBe('pending');

    const second = await piped([...args, ...credentials], 'cat');
    expect(second.code, second.stderr).toBe(0);
    expect(received.size).toBe(rows);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  });
});
