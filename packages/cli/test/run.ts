import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../src/main.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  /** The run's whole environment (nothing of the test process's is read); a fresh profile and state home by default. */
  env?: Record<string, string | undefined>;
  input?: string;
  now?: number;
}

/** A fresh config and state home, and nothing else: no SMSWIRE_* variable of the machine's. */
export function freshEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'smswire-config-')),
    XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'smswire-state-')),
    ...extra,
  };
}

/** `smswire …argv` in this process: its exit code and what it wrote, with the environment, input and clock given. */
export async function runCli(argv: readonly string[], options: InProcessOptions = {}): Promise<InProcessRun> {
  const text = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    new PassThrough().on('data', (chunk: Buffer) => {
      text[name] += chunk;
    });
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const code = await main(argv, {
    env: options.env ?? freshEnv(),
    stdin,
    stdout: sink('stdout'),
    stderr: sink('stderr'),
    ...(options.now === undefined ? {} : { now: () => options.now! }),
    exit: (code) => {
      throw new Error(`the command asked to exit ${code}`);
    },
  });
  return { code, ...text };
}

/** The JSON lines of a `--json` run. */
export const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });

/** Every command the program registers, in its help's order: the tests sweep each one. */
export const commandNames = [
  'send',
  'bulk',
  'worker',
  'campaign',
  'balance',
  'status',
  'reconcile',
  'track',
  'inbox',
  'login',
  'segments',
  'vendors',
  'report',
  'listen',
  'summary',
  'mock',
];
