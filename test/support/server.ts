import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  /** Every request URL (path and query) in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

/** A loopback server whose handler decides each reply; records what it receives. */
export async function startServer(
  handler: (req: IncomingMessage, res: ServerResponse, attempt: number) => void,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    requests.push(req.url ?? '');
    handler(req, res, requests.length);
  });
  // A deep backlog: the load tests open a thousand connections at once.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', 2048, resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a loopback port nobody listens on any more: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}
