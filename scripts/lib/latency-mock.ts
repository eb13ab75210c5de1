import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { acceptedReply } from './accepting-replies.js';

/**
 * A vendor stand-in that accepts every message and answers after `delayMs`, in each batching
 * vendor's own wire format, single sends and batches alike:
 * - Unified `GET /bulksms/bulksms`: `1701|<destination>|<id>` per destination (unified.yaml SubmitReply);
 * - sms365 `POST /api/sms/send` and `/api/sms/bulk`: JSON with `smsId`, or `sms{ smsId msisdn }` per number;
 * - SMS Leads `POST /api` (`<sms>` and `<bulk>`): `<sms><status>0</status>…` (smsleads.txt L96–101, L143–149);
 * - Dreams `POST /index.php/api/sendsms/` and `sendsms_multi/`: `Result: Success` (dreams.txt L205, L238).
 * It counts the messages it received (`GET /count`), so a bench can check that each was sent once.
 */
export function latencyServer(delayMs: number) {
  let id = 0;
  const nextId = () => ++id;
  let messages = 0;
  const answer = (res: ServerResponse, type: string, body: string) =>
    setTimeout(() => {
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, delayMs);
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://mock');
      const body = Buffer.concat(chunks).toString('utf8');
      if (url.pathname === '/count') {
        res.end(String(messages));
        return;
      }
      if (url.pathname === '/bulksms/bulksms') {
        const destinations = (url.searchParams.get('destination') ?? '').split(',');
        messages += destinations.length;
        answer(res, 'text/plain', acceptedReply.unified(destinations, nextId));
        return;
      }
      if (url.pathname === '/api/sms/send' || url.pathname === '/api/sms/bulk') {
        const to = (new URLSearchParams(body).get('to') ?? '').split(',');
        messages += to.length;
        answer(res, 'application/json', acceptedReply.sms365(url.pathname, to, nextId));
        return;
      }
      if (url.pathname === '/api') {
        messages += body.match(/<phone\b/g)?.length ?? 0;
        answer(res, 'application/xml', acceptedReply.smsleads(nextId));
        return;
      }
      if (url.pathname === '/index.php/api/sendsms/' || url.pathname === '/index.php/api/sendsms_multi/') {
        const to = new URLSearchParams(body).get('to') ?? '';
        messages += url.pathname.endsWith('multi/') ? (JSON.parse(to) as unknown[]).length : 1;
        answer(res, 'text/plain', acceptedReply.dreams);
        return;
      }
      res.writeHead(404).end();
    });
  });
}

/** Starts `latencyServer` in a child process (so the client's own process is measured alone); resolves to its URL. */
export async function startLatencyMock(delayMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [port] = (await once(child.stdout!, 'data')) as [Buffer];
  const url = `http://127.0.0.1:${String(port).trim()}`;
  return {
    url,
    received: async () => Number(await (await fetch(`${url}/count`)).text()),
    stop: () => {
      child.kill();
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = latencyServer(Number(process.argv[2] ?? 20));
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', 4096, () => console.log((server.address() as AddressInfo).port));
}
