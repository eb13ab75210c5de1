import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

const require = createRequire(import.meta.url);

/** Prism's entry point (`@stoplight/prism-cli`, resolved from here), or undefined when it is not installed. */
export function prismEntry(): string | undefined {
  try {
    const manifest = require.resolve('@stoplight/prism-cli/package.json');
    const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
    return join(dirname(manifest), bin.prism!);
  } catch {
    return undefined;
  }
}

/** The operations' paths and XML roots: all a mock needs of a vendor's generated tables. */
export interface MockDefinition {
  operations: Readonly<Record<string, { path: string; xml?: { root: string } | undefined }>>;
}

export interface RunningMock {
  url: string;
  /** Settles when the mock stops serving without being asked to (Prism exited). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** The port asked for is in use: nothing was started. */
export class PortTakenError extends Error {
  override name = 'PortTakenError';
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is taken: give another with --port, or --port 0 for a free one`);
  }
}

/** What a mock serves: an OpenAPI document, its vendor's generated tables, and Prism's entry point. */
export interface MockSource {
  vendor: string;
  yaml: string;
  definition: MockDefinition;
  prism: string;
}

/**
 * A spec on Prism: XML request bodies typed as text (Prism reads them as strings), and for a
 * vendor whose operations share one URL (SMS Leads), a dispatcher in front that routes by the XML
 * root element to the path item `/url#command`. The routes come from the generated definition.
 * `port` 0 or none: the system picks a free one, and `url` says which. A port in use is a
 * `PortTakenError`: the readiness check must not mistake whatever holds it for the mock.
 */
export async function serveMock(source: MockSource, port = 0, timeoutMs = 60_000): Promise<RunningMock> {
  const dir = mkdtempSync(join(tmpdir(), `smswire-mock-${source.vendor}-`));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const specPath = join(dir, `${source.vendor}.yaml`);
    writeFileSync(specPath, prismSpec(source.yaml));
    const routes = dispatchRoutes(source.definition);
    const prism = await startPrism(source, specPath, routes ? 0 : port, timeoutMs);
    const exited = new Promise<void>((resolve) => prism.child.once('exit', () => resolve()));
    if (!routes) return { url: prism.url, exited, stop: () => stopChild(prism.child).then(cleanup) };
    const dispatcher = await dispatch(routes, port, Number(new URL(prism.url).port)).catch(async (error) => {
      await stopChild(prism.child);
      throw error;
    });
    const address = dispatcher.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${address.port}`,
      exited,
      stop: async () => {
        dispatcher.closeAllConnections();
        await new Promise<void>((done) => dispatcher.close(() => done()));
        await stopChild(prism.child);
        cleanup();
      },
    };
  } catch (error) {
    cleanup();
    throw error;
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
export function dispatchRoutes(definition: MockDefinition): Map<string, string> | undefined {
  const routes = new Map<string, string>();
  for (const op of Object.values(definition.operations))
    if (op.path.includes('#') && op.xml)
      routes.set(`${op.path.replace(/#.*/, '')} ${op.xml.root}`, op.path.replace('#', '%23'));
  return routes.size ? routes : undefined;
}

/** The name of an XML document's first element, after any XML declaration. */
export const rootElement = (xml: string) => /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)/.exec(xml)?.[1];

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
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? new PortTakenError(port) : error),
    );
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

/** A port the OS says is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
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

/**
 * Prism on `port` (0: one the system picks), ready when it logs the address it listens on: a
 * request to the port could be answered by whatever else holds it.
 */
async function startPrism(
  source: MockSource,
  specPath: string,
  port: number,
  timeoutMs: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [source.prism, 'mock', '-h', '127.0.0.1', '-p', String(port), specPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const url = /Prism is listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) return { child, url };
    if (child.exitCode !== null) {
      if (/EADDRINUSE/.test(output)) throw new PortTakenError(port);
      throw new Error(`prism for ${source.vendor} exited (${child.exitCode}):\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopChild(child);
  throw new Error(`prism for ${source.vendor} did not start within ${timeoutMs} ms:\n${output}`);
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
