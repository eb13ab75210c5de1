import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { bundleForNode } from '../../scripts/lib/bundle.js';
import { root } from '../../scripts/lib/vendors.js';

/**
 * The command as the e2e tests run it: `packages/cli/src/bin.ts` bundled by esbuild with the
 * `@smswire/source` condition (the workspace sources, not a build), into `packages/cli/.tmp/`,
 * so that what it resolves at run time (Prism, the shipped `openapi.yaml`s) resolves from the
 * package as installed. One bundle starts in a fraction of tsx's time, which the crash test's
 * restarts need; the install test (test/package) runs the built and packed binary.
 */
let bundled: Promise<string> | undefined;
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = join(root, 'packages', 'cli', '.tmp');
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `smswire-${process.pid}.mjs`);
    await bundleForNode({ path: join(root, 'packages', 'cli', 'src', 'bin.ts') }, outfile);
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  cwd?: string;
  /** Kill the process with SIGKILL after this many milliseconds. */
  killAfterMs?: number;
  timeoutMs?: number;
}

/** Every line any run printed, for the check that no secret was ever among them. */
export const printed: string[] = [];

/** A home for the profile and the state, and no SMSWIRE_* variables from the environment the tests run in. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !name.startsWith('SMSWIRE_')) env[name] = value;
  env.XDG_CONFIG_HOME = mkdtempSync(join(tmpdir(), 'smswire-config-'));
  // `send --idempotency-key` keeps its keys here: each run starts with none, unless a test shares one.
  env.XDG_STATE_HOME = mkdtempSync(join(tmpdir(), 'smswire-state-'));
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export async function smswire(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  return (await startSmswire(args, options)).done;
}

/** A run under way: its process (to signal it) and its end. */
export interface Started {
  child: ChildProcess;
  done: Promise<Run>;
}

export async function startSmswire(args: readonly string[], options: RunOptions = {}): Promise<Started> {
  const bin = await cliBundle();
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    env: options.env ?? cleanEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { child, done: finished(child, options) };
}

async function finished(
  child: ChildProcess & { stdout: Readable; stderr: Readable; stdin: Writable },
  options: RunOptions,
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');
  const timers = [
    options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs),
    setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000),
  ];
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s])),
  );
  for (const timer of timers) clearTimeout(timer);
  printed.push(stdout, stderr);
  return { code, signal, stdout, stderr };
}

/** The JSON lines of a `--json` run. */
export const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string });
