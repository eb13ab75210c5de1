import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exitCodes, UsageError } from './exit-codes.js';
import type { Output } from './output.js';
import { PortTakenError, prismEntry, type RunningMock, serveMock } from './prism.js';
import { vendorList } from './setup.js';
import { definitionOf, type VendorId } from './vendors.js';

const require = createRequire(import.meta.url);

export type { RunningMock } from './prism.js';

/**
 * The vendor package's shipped `openapi.yaml` on Prism, the one `smswire mock` serves (the
 * repository's `pnpm mock` and contract tests serve `specs/` through `serveMock` the same way).
 */
export async function startMock(vendor: VendorId, port?: number, timeoutMs = 60_000): Promise<RunningMock> {
  const yaml = readFileSync(require.resolve(`@smswire/${vendor}/openapi.yaml`), 'utf8');
  try {
    return await serveMock({ vendor, yaml, definition: definitionOf(vendor), prism: prismBin() }, port, timeoutMs);
  } catch (error) {
    if (error instanceof PortTakenError) throw new UsageError(`--port: ${error.message}`);
    throw error;
  }
}

/**
 * `smswire mock <vendor> [--port <n>]`: serves until Ctrl-C or SIGTERM. `--port 0` or none takes
 * a free port; the line it prints names it. If Prism stops on its own, so does the command, saying so.
 */
export async function mockCommand(vendor: string, flags: { port?: string }, out: Output): Promise<number> {
  const [id] = vendorList(vendor);
  const mock = await startMock(id!, portOf(flags.port));
  out.emit('mock', { vendor: id, url: mock.url }, `${id} mock on ${mock.url}: pass it as --base-url. Ctrl-C stops it.`);
  let stopSignal: (() => void) | undefined;
  const stopped = await Promise.race([
    mock.exited.then(() => 'exited' as const),
    new Promise<'signal'>((resolve) => {
      stopSignal = () => resolve('signal');
      process.once('SIGINT', stopSignal);
      process.once('SIGTERM', stopSignal);
    }),
  ]);
  process.off('SIGINT', stopSignal!);
  process.off('SIGTERM', stopSignal!);
  await mock.stop();
  if (stopped === 'exited') throw new Error(`the ${id} mock (Prism) stopped by itself`);
  return exitCodes.done;
}

/** `--port`: 0 to 65535, 0 (or none) for one the system picks. */
function portOf(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new UsageError(`--port takes a port number, 0 to 65535 (got "${value}")`);
  return port;
}

/** Prism's entry point, from the optional peer dependency `@stoplight/prism-cli`. */
function prismBin(): string {
  const bin = prismEntry();
  if (bin) return bin;
  throw new UsageError(
    '`smswire mock` runs Prism, which is not installed: npm install @stoplight/prism-cli@5.14.2 beside @smswire/cli',
  );
}
