import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/test/run.js';
import { root } from '../../scripts/lib/vendors.js';
import { cleanEnv, cliBundle, smswire } from './cli.js';

/** The command's basics, spawned: its version, `--env-file` it cannot read, and `smswire mock`'s port. */
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { version: string }).version;

describe('--version', () => {
  it.each(['--version', '-V'])(
    '%s prints the package version, the same as the libraries it ships with',
    async (flag) => {
      const run = await smswire([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${versionOf('cli')}\n`);
      expect(versionOf('cli')).toBe(versionOf('sms'));
      expect(versionOf('cli')).toBe(versionOf('core'));
    },
  );
});

/**
 * `--env-file` that cannot be read: exit 2 naming the file. In-process, since the command reads the
 * file itself: Node 20's `process.loadEnvFile` ends the whole process (exit 9) on a missing file.
 * A spawned `node bin.js … --env-file missing.env` never gets that far on any Node: Node itself
 * scans the arguments after the script for `--env-file` and exits 9 (nodejs/node#54232; it stops
 * only at `--`), which `node -- bin.js …` avoids, as the bin's shebang does (test/package/install.e2e.test.ts runs it).
 */
const inProcess = (argv: string[]) => runCli(argv);

describe('--env-file', () => {
  it('a missing file is bad usage (exit 2) that names it, and nothing is sent', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'smswire-env-')), 'missing.env');
    const run = await inProcess(['balance', '--vendor', 'dinisoft', '--account', 'x', '--env-file', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--env-file ${missing}: no such file`);
  });

  it('a directory is bad usage too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smswire-env-'));
    const run = await inProcess(['balance', '--vendor', 'dinisoft', '--account', 'x', '--env-file', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--env-file ${dir}: a directory, not a file`);
  });

  it('spawned after `--`, a missing file is the exit 2 of the command, not the exit 9 of Node', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'smswire-env-')), 'missing.env');
    const child = spawn(
      process.execPath,
      ['--', await cliBundle(), 'balance', '--vendor', 'dinisoft', '--account', 'x', '--env-file', missing],
      { cwd: root, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    expect(await new Promise((resolve) => child.once('close', resolve))).toBe(2);
    expect(stderr).toContain(`--env-file ${missing}: no such file`);
  });
});

describe('smswire mock --port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    // Something that answers HTTP on the port, as another server would: readiness must not be fooled by it.
    busy = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it.each(['dinisoft', 'smsleads'])(
    '%s on a port in use says the port is taken and exits 2, never "ready"',
    async (vendor) => {
      const run = await smswire(['mock', vendor, '--port', String(port)], { timeoutMs: 90_000 });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is taken`);
    },
    100_000,
  );

  it('--port 0 serves on a free port, prints it, and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [await cliBundle(), 'mock', 'dinisoft', '--port', '0'], {
      cwd: root,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          const found = /mock on (http:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
          if (found) resolve(found[1]!);
        });
        child.once('close', () => reject(new Error(`exited before it was ready: ${stdout}`)));
      });
      expect(new URL(url).port).not.toBe('0');
      // The balance page, which needs no credentials.
      const reply = await fetch(`${url}/login/sms/smsConfiguration/smsClientBalance.jsp?client=ClientName`);
      expect(reply.status).toBe(200);
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 100_000);

  it('refuses a port that is not one', async () => {
    const run = await smswire(['mock', 'dinisoft', '--port', '70000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port takes a port number, 0 to 65535');
  });
});
