import { recordingServer } from './server.js';

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
  const server = await recordingServer(({ path }) => {
    const reply = replies[new URL(path, 'http://replay').pathname];
    return reply ? { body: reply.body, type: reply.type ?? 'text/plain' } : { status: 404, body: '' };
  });
  return {
    url: server.url,
    get received() {
      return server.exchanges.map(({ path }) => new URL(path, 'http://replay'));
    },
    close: server.close,
  };
}
