import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { dispatchTable, prismSpec, startDispatcher } from './dispatch.js';
import { root, type Vendor } from './vendors.js';

export interface RunningMock {
  vendor: string;
  url: string;
  stop(): Promise<void>;
}

/** A port the OS says is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Starts Prism on one spec and resolves once it answers HTTP. A vendor whose operations share
 * one URL gets Prism behind a dispatcher (see dispatch.ts) on the same public port.
 */
// Generous: five Prisms start at once, and on a busy 2-core machine each can take tens of seconds.
export async function startMock(vendor: Vendor, port?: number, timeoutMs = 120_000): Promise<RunningMock> {
  const table = dispatchTable(vendor);
  if (!table) return startPrism(vendor, vendor.specPath, port, timeoutMs);
  const served = prismSpec(vendor);
  const prism = await startPrism(vendor, served.path, undefined, timeoutMs).catch((error) => {
    served.cleanup();
    throw error;
  });
  const chosen = port ?? (await freePort());
  const dispatcher = await startDispatcher(table, chosen, Number(new URL(prism.url).port));
  return {
    vendor: vendor.id,
    url: `http://127.0.0.1:${chosen}`,
    stop: async () => {
      dispatcher.closeAllConnections();
      await new Promise<void>((done) => dispatcher.close(() => done()));
      await prism.stop();
      served.cleanup();
    },
  };
}

async function startPrism(
  vendor: Vendor,
  specPath: string,
  port: number | undefined,
  timeoutMs: number,
): Promise<RunningMock> {
  const chosen = port ?? (await freePort());
  const url = `http://127.0.0.1:${chosen}`;
  const child = spawn(
    join(root, 'node_modules', '.bin', 'prism'),
    ['mock', '-h', '127.0.0.1', '-p', String(chosen), specPath],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const stop = () => stopChild(child);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism for ${vendor.id} exited (${child.exitCode}):\n${output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return { vendor: vendor.id, url, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stop();
  throw new Error(`prism for ${vendor.id} did not start within ${timeoutMs} ms:\n${output}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
