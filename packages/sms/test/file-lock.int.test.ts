import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundleForNode } from '../../../scripts/lib/bundle.js';
import { fileLedger } from '../src/file-ledger.js';
import { LockedError, lockFile } from '../src/file-lock.js';

// Issue 29, "Two workers with --ledger file:<path>": a file that decides whether a message goes
// out is held by one process at a time, by a lock whose holder (PID and host) is checked.

const dir = mkdtempSync(join(tmpdir(), 'smswire-lock-'));
let holder: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Another process, from the same sources: it locks the path it is given, says so, and waits
  // (or, told `exit`, exits at once); one that cannot lock says `refused` and exits.
  holder = join(dir, 'holder.mjs');
  await bundleForNode(
    {
      code: `import { lockFile } from './packages/sms/src/file-lock.ts';
        try {
          lockFile(process.argv[2]);
        } catch (error) {
          process.stdout.write(error.name === 'LockedError' ? 'refused\\n' : String(error));
          process.exit(0);
        }
        process.stdout.write('locked\\n');
        if (process.argv[3] === 'exit') process.exit(0);
        setInterval(() => {}, 1000);`,
    },
    holder,
  );
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A second process holding `path`'s lock. */
async function otherProcess(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [holder, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

let files = 0;
const freshPath = () => join(dir, `file-${++files}.jsonl`);

describe('lockFile', () => {
  it('refuses while another process holds the lock, naming the path and the holder, and takes it over once that process is gone', async () => {
    const path = freshPath();
    const child = await otherProcess(path);
    let error: unknown;
    try {
      lockFile(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockedError);
    expect(error).toMatchObject({ path, holder: { pid: child.pid, host: hostname(), since: expect.any(Number) } });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain(`process ${child.pid} on ${hostname()}`);

    // kill -9: no exit handler ran, the lock file stays, and its holder's PID no longer runs.
    await killed(child);
    expect(existsSync(`${path}.lock`)).toBe(true);
    const lock = lockFile(path);
    expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    lock.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a second lock in the same process until the first is released', () => {
    const path = freshPath();
    const first = lockFile(path);
    expect(() => lockFile(path)).toThrow(LockedError);
    first.release();
    lockFile(path).release();
  });

  it('never takes over a lock held on another machine: its PID cannot be checked here', () => {
    const path = freshPath();
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, host: `not-${hostname()}`, since: 1 }));
    expect(() => lockFile(path)).toThrow(/locked by process 1 on not-/);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it('a release does not remove a lock that is no longer its own', () => {
    const path = freshPath();
    const lock = lockFile(path);
    const theirs = JSON.stringify({ pid: 1, host: 'elsewhere', since: 2 });
    writeFileSync(`${path}.lock`, theirs);
    lock.release();
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(theirs);
  });
});

describe('lockFile between processes', () => {
  /** Starts a process that tries to lock `path`: what it says, `locked` or `refused`. */
  const attempt = (path: string, ...args: string[]) => {
    const child = spawn(process.execPath, [holder, path, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    return new Promise<string>((resolve) => {
      let said = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('\n')) resolve(said.trim());
      });
      child.on('exit', () => resolve(said.trim()));
    });
  };

  it('of several processes taking over one stale lock at once, exactly one gets it', async () => {
    const path = freshPath();
    // A lock left by a process of this machine that no longer runs.
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.once('exit', resolve));
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), since: 1 }));
    const said = await Promise.all(Array.from({ length: 4 }, () => attempt(path)));
    expect(said.sort()).toEqual(['locked', 'refused', 'refused', 'refused']);
    expect(existsSync(`${path}.lock.takeover`)).toBe(false);
  });

  it('a process that exits releases its lock', async () => {
    const path = freshPath();
    expect(await attempt(path, 'exit')).toBe('locked');
    await vi.waitFor(() => expect(existsSync(`${path}.lock`)).toBe(false));
    lockFile(path).release();
  });
});

describe('fileLedger holds its file', () => {
  it('a second process cannot open the ledger while the first holds it', async () => {
    const path = freshPath();
    const child = await otherProcess(path);
    expect(() => fileLedger(path)).toThrow(LockedError);
    await killed(child);
    fileLedger(path).close();
  });

  it('a second ledger on the file is refused until the first is closed', () => {
    const path = freshPath();
    const first = fileLedger(path);
    expect(() => fileLedger(path)).toThrow(LockedError);
    first.close();
    fileLedger(path).close();
  });
});
