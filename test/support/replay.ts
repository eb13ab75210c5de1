import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReplayServer {
  url: string;
  /** Each received request as a URL (path and query). */
  received: URL[];
  close(): Promise<void>;
}

/**
 * An HTTP server independent of the specs and of Prism: it answers each path with a fixed
 * body, byte for byte, as the vendor document prints it.
 */
export async function replay(replies: Record<string, { body: string; type?: string }>): Promise<ReplayServer> {
  const received: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    received.push(url);
    const reply = replies[url.pathname];
    if (!reply) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': reply.type ?? 'text/plain' }).end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
