import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  bodyFollows,
  type ReportAnswer,
  type ReportHandler,
  type ReportInput,
  type ReportLogEntry,
} from './report-handler.js';

/** A Fetch-standard handler: a `Request` in, a `Response` out. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A handler that answers from a request's method, URL and whether a body follows (`ReportHandler.answer`). */
export interface DirectHandler {
  answer(input: ReportInput): Promise<ReportAnswer>;
}

/**
 * A handler as a `node:http` listener (also Express's and Fastify's raw `req, res`). A report is
 * a GET without a body, so none is ever read. A handler with `answer` (the report endpoint's own,
 * or a router over it) gets the request's method, URL and whether a body follows straight from
 * the `IncomingMessage` and its answer is written as is: no Fetch `Request` or `Response` is
 * built, which cost more than the rest of a report. Any other Fetch handler (a Hono app's
 * `fetch`) gets a `Request` with the method, the path and query, and the two headers that say a
 * body follows.
 */
export function toNodeListener(
  handler: FetchHandler | DirectHandler,
): (req: IncomingMessage, res: ServerResponse) => void {
  const direct =
    typeof (handler as Partial<DirectHandler>).answer === 'function' ? (handler as DirectHandler) : undefined;
  return (req, res) => {
    res.on('error', () => undefined);
    const hasBody = bodyFollows(req.headers['transfer-encoding'], req.headers['content-length']);
    // An unread body stays in the socket: the connection cannot carry another request.
    if (hasBody) res.shouldKeepAlive = false;
    const served = direct
      ? direct.answer({ method: req.method ?? 'GET', url: req.url ?? '/', hasBody }).then((reply) => {
          res.writeHead(reply.status, reply.headers).end(reply.body);
        })
      : serveFetch(handler as FetchHandler, req, res);
    served.catch(() => {
      if (!res.headersSent) res.writeHead(500, { connection: 'close' }).end();
      else res.destroy();
    });
  };
}

async function serveFetch(handler: FetchHandler, req: IncomingMessage, res: ServerResponse) {
  const headers = new Headers();
  for (const name of ['content-length', 'transfer-encoding'] as const) {
    const value = req.headers[name];
    if (value !== undefined) headers.set(name, value);
  }
  let request: Request;
  try {
    // The host header is the client's to write; the handler needs only the path and query.
    request = new Request(new URL(req.url ?? '/', 'http://report.invalid'), { method: req.method ?? 'GET', headers });
  } catch {
    // A request line no URL parser takes (`GET //[?msgid=1`), or a method Fetch forbids (CONNECT).
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('malformed request');
    return;
  }
  const response = await handler(request);
  response.headers.forEach((value, name) => {
    res.setHeader(name, value);
  });
  res.writeHead(response.status);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface ReportServerOptions {
  /** The endpoint (`createReportHandler`), a router with `answer` in front of it, or any Fetch handler. */
  handler: ReportHandler | DirectHandler | FetchHandler;
  /** A client must send its request line and headers within this (default 10 s) … */
  headersTimeout?: number | undefined;
  /** … and the whole request within this (default 20 s); then it is answered 408 and cut off. */
  requestTimeout?: number | undefined;
  /** An idle kept-alive connection is closed after this (default 5 s). */
  keepAliveTimeout?: number | undefined;
  /** The most bytes of request line and headers (default 8 KiB); more is answered 431. */
  maxHeaderSize?: number | undefined;
  /** Hears of requests cut off before they reach the handler (slow, malformed, oversized). */
  log?: ((entry: ReportLogEntry) => void) | undefined;
}

/**
 * A `node:http` server for the handler, with timeouts that cut off slow clients: call
 * `listen` on it. Requests Node itself refuses (a slow or malformed request line, headers past
 * `maxHeaderSize`) are answered 408, 400 or 431 and closed.
 */
export function createReportServer(options: ReportServerOptions): Server {
  const headersTimeout = options.headersTimeout ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeout ?? 20_000, headersTimeout);
  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      maxHeaderSize: options.maxHeaderSize ?? 8192,
      // Node checks the timeouts on this interval (30 s by default), which would let a slow client far past them.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
    },
    toNodeListener(options.handler),
  );
  server.keepAliveTimeout = options.keepAliveTimeout ?? 5000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    try {
      options.log?.({ status, outcome: 'malformed', reason: error.code ?? 'clientError' });
    } catch {
      // The logger's failure is not the client's.
    }
    // As Node's own handler does: an answer only if nothing of another was written yet.
    if (socket.writable && (socket as Socket).bytesWritten === 0)
      socket.write(
        `HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
      );
    socket.destroy();
  });
  return server;
}
