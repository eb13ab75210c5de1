import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/mock.js';

// redis-server has no `--port 0`: it is given a loopback port that was free a moment ago.
export { freePort };

export interface TestRedis {
  /** `redis://127.0.0.1:<port>`, with the password when one was asked for. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Debian's `redis-server` on a free loopback port, in the foreground, keeping nothing on disk.
 * The port can be taken between `freePort` and the bind, so a failed start is tried again; a
 * given `port` (a restart on the same address) likewise, while the old one lets it go.
 */
export async function startRedis(
  options: {
    password?: string;
    port?: number;
    /** Keep an append-only file here, fsynced at every write, for a restart that finds the data. */
    dir?: string;
  } = {},
): Promise<TestRedis> {
  let lastOutput = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = options.port ?? (await freePort());
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'smswire-redis-'));
    const persistence = options.dir ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', dir];
    if (options.password) args.push('--requirepass', options.password);
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const ready = await new Promise<boolean>((resolve) => {
      let output = '';
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve(true);
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.on('error', (error) => {
        output += String(error);
        resolve(false);
      });
      child.on('exit', () => {
        lastOutput = output;
        resolve(false);
      });
    });
    if (ready) {
      const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
      return { url: `redis://${auth}127.0.0.1:${port}`, port, stop: () => stop(child, options.dir ? undefined : dir) };
    }
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server did not start (scripts/ensure-tools.sh installs it): ${lastOutput}`);
}

async function stop(child: ChildProcess, dir: string | undefined) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
