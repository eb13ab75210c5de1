import { startServer } from './server.js';

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
  const server = await startServer((req, res) => {
    const reply = replies[new URL(req.url ?? '/', 'http://replay').pathname];
    if (!reply) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': reply.type ?? 'text/plain' }).end(reply.body);
  });
  return {
    url: server.url,
    get received() {
      return server.requests.map((path) => new URL(path, 'http://replay'));
    },
    close: server.close,
  };
}
