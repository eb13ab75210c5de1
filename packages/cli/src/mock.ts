import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { UsageError } from './exit-codes.js';
import { definitionOf, type VendorId } from './vendors.js';

const require = createRequire(import.meta.url);

export interface RunningMock {
  url: string;
  stop(): Promise<void>;
}

/**
 * The vendor package's shipped `openapi.yaml` on Prism, as `pnpm mock` serves the repository's
 * spec: XML request bodies typed as text (Prism reads them as strings), and for a vendor whose
 * operations share one URL (SMS Leads), a dispatcher in front that routes by the XML root element
 * to the path item `/url#command`. The routes come from the generated definition.
 */
export async function startMock(vendor: VendorId, port?: number, timeoutMs = 60_000): Promise<RunningMock> {
  const prism = prismBin();
  const dir = mkdtempSync(join(tmpdir(), `smswire-mock-${vendor}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const specPath = join(dir, `${vendor}.yaml`);
    writeFileSync(specPath, prismSpec(readFileSync(require.resolve(`@smswire/${vendor}/openapi.yaml`), 'utf8')));
    const routes = dispatchRoutes(vendor);
    const prismPort = routes ? await freePort() : (port ?? (await freePort()));
    const child = await startPrism(prism, specPath, prismPort, timeoutMs);
    if (!routes) return { url: `http://127.0.0.1:${prismPort}`, stop: () => stopChild(child).then(cleanup) };
    const publicPort = port ?? (await freePort());
    const dispatcher = await dispatch(routes, publicPort, prismPort);
    return {
      url: `http://127.0.0.1:${publicPort}`,
      stop: async () => {
        dispatcher.closeAllConnections();
        await new Promise<void>((done) => dispatcher.close(() => done()));
        await stopChild(child);
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Prism's entry point, from the optional peer dependency `@stoplight/prism-cli`. */
function prismBin(): string {
  try {
    const manifest = require.resolve('@stoplight/prism-cli/package.json');
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
    return join(dirname(manifest), bin.prism!);
  } catch {
    throw new UsageError(
      '`smswire mock` runs Prism, which is not installed: npm install @stoplight/prism-cli@5.14.2 beside @smswire/cli',
    );
  }
}

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document as parsed from YAML
type Spec = Record<string, any>;

/** The spec with every XML request body typed as a string, which is how Prism reads one. */
export function prismSpec(yaml: string): string {
  const spec = parse(yaml) as Spec;
  const deref = (node: Spec | undefined): Spec | undefined => {
    if (!node?.$ref) return node;
    const path = String(node.$ref).replace(/^#\//, '').split('/');
    return path.reduce<Spec | undefined>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
  };
  for (const item of Object.values<Spec>(spec.paths ?? {})) {
    const xml = deref(item.post?.requestBody)?.content?.['application/xml'];
    if (xml) xml.schema = { type: 'string' };
  }
  return stringify(spec);
}

/** `"/api sms" → "/api%23sms"`: the URL and root element of each operation that shares a URL. */
export function dispatchRoutes(vendor: VendorId): Map<string, string> | undefined {
  const routes = new Map<string, string>();
  for (const op of Object.values(definitionOf(vendor).operations))
    if (op.path.includes('#') && op.xml)
      routes.set(`${op.path.replace(/#.*/, '')} ${op.xml.root}`, op.path.replace('#', '%23'));
  return routes.size ? routes : undefined;
}

const rootElement = (xml: string) => /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)/.exec(xml)?.[1];

function dispatch(routes: Map<string, string>, port: number, target: number): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path = '/', query] = (incoming.url ?? '/').split('?');
      const root = rootElement(body.toString('utf8'));
      const routed = (root && routes.get(`${path} ${root}`)) ?? path;
      const forward = request(
        {
          host: '127.0.0.1',
          port: target,
          method: incoming.method,
          path: query === undefined ? routed : `${routed}?${query}`,
          headers: incoming.headers,
        },
        (reply) => {
          outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function startPrism(bin: string, specPath: string, port: number, timeoutMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [bin, 'mock', '-h', '127.0.0.1', '-p', String(port), specPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prism exited (${child.exitCode}):\n${output}`);
    try {
      await fetch(`http://127.0.0.1:${port}`, { signal: AbortSignal.timeout(1000) });
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await stopChild(child);
  throw new Error(`prism did not start within ${timeoutMs} ms:\n${output}`);
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
