import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
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
  // Node closes an idle kept-alive socket after 5 s; on a loaded machine fetch can reuse one just
  // as it closes, which resets a send the client may not repeat. Vendors keep them longer.
  server.keepAliveTimeout = 60_000;
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

/** What a stand-in answers: a reply, or `'reset'` to cut the connection once the request arrived. */
export type Answer = { status?: number; type?: string; body: string | Buffer } | 'reset';

export interface RecordingServer extends TestServer {
  /** Every request, its whole body read, in arrival order. */
  exchanges: FormRequest[];
}

/**
 * A vendor stand-in independent of the specs: it reads each request whole, records it, and
 * answers what `answer` returns for it (`attempt` counts from 1).
 */
export async function recordingServer(
  answer: (exchange: FormRequest, attempt: number) => Answer,
): Promise<RecordingServer> {
  const exchanges: FormRequest[] = [];
  const server = await startServer(async (req, res) => {
    const exchange = await readForm(req);
    exchanges.push(exchange);
    const reply = answer(exchange, exchanges.length);
    if (reply === 'reset') return void req.socket.destroy();
    res.writeHead(reply.status ?? 200, reply.type === undefined ? {} : { 'content-type': reply.type }).end(reply.body);
  });
  return { ...server, exchanges };
}

/** The URL of a loopback port nobody listens on any more: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = await startServer(() => undefined);
  await server.close();
  return server.url;
}

/** One request with its whole body read, as a form-posting client sent it. */
export interface FormRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body text. */
  body: string;
  /** The form fields, decoded, as name/value pairs sorted by name (duplicates kept). */
  fields: [string, string][];
  form: Record<string, string>;
}

export async function readForm(req: IncomingMessage): Promise<FormRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const params = new URLSearchParams(body);
  return {
    method: req.method ?? '',
    path: req.url ?? '',
    headers: req.headers,
    body,
    fields: sortedPairs(params),
    form: Object.fromEntries(params),
  };
}

/** Name/value pairs sorted by name, then value: a stable order to compare wire bodies with. */
export const sortedPairs = (pairs: Iterable<[string, string]>): [string, string][] =>
  [...pairs].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
