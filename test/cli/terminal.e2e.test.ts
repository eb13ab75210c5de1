import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server.js';
import { cliBundle } from './cli.js';

/**
 * The command on a real terminal: tmux (a pseudo-terminal; `.ci/run` installs it) runs it, and
 * `capture-pane` shows what a person sees. The progress bar renders with rate and time left, the
 * credential prompt hides what is typed, and the same run piped prints no escape codes.
 */
const socket = `smswire-test-${process.pid}`;
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'smswire-tty-'));
let server: TestServer;
let bin: string;
/** Destinations the stand-in has received, over all tests. */
let received = 0;

beforeAll(async () => {
  if (!existsSync('/usr/bin/tmux')) throw new Error('the terminal test needs tmux: apt-get install -y tmux');
  bin = await cliBundle();
  // A slow Unified stand-in, so the bar is seen moving (unified.yaml: `1701|<destination>|<id>` per destination).
  server = await startServer((req, res) => {
    const destinations = (new URL(req.url ?? '', 'http://x').searchParams.get('destination') ?? '').split(',');
    received += destinations.length;
    setTimeout(() => res.writeHead(200).end(destinations.map((d) => `1701|${d}|m${d}`).join(',')), 40);
  });
});
afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  await server?.close();
});

/** Runs `command` in a new 110×30 tmux window. */
function open(name: string, command: string, env: Record<string, string> = {}) {
  const vars = Object.entries({ TERM: 'xterm-256color', ...env }).map(([k, v]) => `${k}='${v}'`);
  tmux('new-session', '-d', '-s', name, '-x', '110', '-y', '30', `env ${vars.join(' ')} ${command}; sleep 60`);
}
const screen = (name: string) => tmux('capture-pane', '-p', '-t', name);
async function waitFor(name: string, test: (text: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(name);
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out; the screen shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const csv = () => {
  const path = join(dir, `rows-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(
    path,
    `to,text\n${Array.from({ length: 2000 }, (_, i) => `+8801712${String(i).padStart(6, '0')},Hi`).join('\n')}\n`,
  );
  return path;
};
const bulk = (file: string) =>
  `${process.execPath} ${bin} bulk ${file} --vendor unified --base-url ${server.url} --username tty-user --password tty-Password-1 --from ACME --batch-size 20 --concurrency 2`;

it('bulk on a terminal shows a progress bar with the rate and time left, then the summary', async () => {
  open('bar', bulk(csv()));
  const moving = await waitFor('bar', (t) => /\d+\/2000 rows · \d+\/s · \S+ left/.test(t));
  expect(moving).toMatch(/━/);
  expect(moving).not.toMatch(/^row \d+/m);
  const done = await waitFor('bar', (t) => t.includes('2000 rows: 2000 accepted'));
  expect(done).toContain('2000/2000 rows');
  expect(done).not.toContain('tty-Password-1');
});

it('Ctrl-C on a terminal stops the run: nothing more is sent, the summary is printed, exit 130', async () => {
  const start = received;
  open('ctrlc', `${bulk(csv())}; echo EXIT=$?`);
  await waitFor('ctrlc', (t) => /[1-9]\d*\/2000 rows/.test(t));
  const before = received;
  tmux('send-keys', '-t', 'ctrlc', 'C-c');
  const done = await waitFor('ctrlc', (t) => t.includes('EXIT='));
  expect(done).toContain('EXIT=130');
  expect(done).toMatch(/\d+ rows: \d+ accepted/);
  expect(done).not.toContain('Canceled');
  const atExit = received;
  await new Promise((r) => setTimeout(r, 500));
  expect(received).toBe(atExit);
  // At most the two requests under way (20 rows each) went out after the keypress.
  expect(atExit - before).toBeLessThanOrEqual(2 * 20 + 20);
  expect(atExit - start).toBeLessThan(2000);
});

it('the same run piped prints only result lines, no escape codes', async () => {
  const out = join(dir, 'piped.txt');
  open('piped', `${bulk(csv())} | cat > ${out}`);
  await waitFor('piped', () => existsSync(out) && readFileSync(out, 'utf8').includes('2000 rows: 2000 accepted'));
  const text = readFileSync(out, 'utf8');
  expect(text).not.toContain(String.fromCharCode(27));
  const lines = text.split('\n').filter(Boolean);
  expect(lines).toHaveLength(2001);
  expect(lines.slice(0, -1).every((l) => /^row \d+ \+8801712\d{6}: accepted by unified as m\d+$/.test(l))).toBe(true);
});

it('login asks for the credential with hidden input and saves it with mode 0600', async () => {
  const home = mkdtempSync(join(tmpdir(), 'smswire-home-'));
  open('login', `${process.execPath} ${bin} login sms365`, { XDG_CONFIG_HOME: home });
  await waitFor('login', (t) => t.includes('sms365 key'));
  tmux('send-keys', '-t', 'login', '-l', 'Typed-Secret-4242');
  const typing = await waitFor('login', (t) => /[▪•*]{10,}/.test(t));
  expect(typing).not.toContain('Typed-Secret-4242');
  tmux('send-keys', '-t', 'login', 'Enter');
  const saved = await waitFor('login', (t) => t.includes('saved sms365'));
  expect(saved).not.toContain('Typed-Secret-4242');
  const profile = join(home, 'smswire', 'config.json');
  expect(JSON.parse(readFileSync(profile, 'utf8')).vendors.sms365.key).toBe('Typed-Secret-4242');
  expect(execFileSync('stat', ['-c', '%a', profile], { encoding: 'utf8' }).trim()).toBe('600');
});
