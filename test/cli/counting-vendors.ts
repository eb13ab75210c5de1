import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptedReply } from '../../scripts/lib/accepting-replies.js';
import { startServer, type TestServer } from '../support/server.js';

/** How the stand-in treats the next request: answer it, answer late, or read it and cut the connection (a lost reply). */
export type Mode = 'ok' | 'slow' | 'lost';

export interface CountingVendor extends TestServer {
  /** Each destination (its `lastDigits`), and how many messages to it arrived. */
  received: Map<string, number>;
  /** Numbers received more than once. */
  twice(): string[];
  mode: Mode;
  slowMs: number;
  /** How many IDs each SMS Leads `dlr` request asked for, in order. */
  dlrRequests: number[];
  /** Each sms365 status read, in order: `get` for a `status/get` poll, the smsId for a `status/sms`. */
  sms365Status: string[];
  /** The replies SMS Leads `incoming` answers with (every read, all of them; `date` as it writes it). */
  incoming: { source: string; destination: string; message: string; date: string }[];
}

/**
 * One stand-in for every vendor, each on its own wire format (as scripts/lib/latency-mock.ts),
 * counting every message on arrival, so a reply lost on the way still counts as received:
 * - DiniSoft `GET /sendtext?toUser=`: `{"Status":"0","Text":"ACCEPTD","Message_ID":…}` (dinisoft.yaml sendText);
 * - Dreams `POST /index.php/api/sendsms/` and `sendsms_multi/`: `Result: Success` (dreams.txt L205, L238);
 * - sms365 `POST /api/sms/send` and `/api/sms/bulk`: JSON with `smsId`, or `sms{ smsId msisdn }` per number;
 *   `status/get` hands no change over, `status/sms` answers `d` (each read counted in `sms365Status`);
 * - SMS Leads `POST /api` (`<sms>`, `<bulk>`): `<sms><status>0</status>…` (smsleads.txt L96–101, L143–149);
 * - Unified `GET /bulksms/bulksms`: `1701|<destination>|<id>` per destination (unified.yaml SubmitReply).
 */
export async function countingVendor(): Promise<CountingVendor> {
  let id = 0;
  const nextId = () => ++id;
  const received = new Map<string, number>();
  /** The message IDs SMS Leads requests carried (its `<phone id>`), for its `dlr`. */
  const messageIds = new Set<string>();
  const count = (numbers: unknown[]) => {
    for (const n of numbers) {
      const digits = lastDigits(String(n));
      received.set(digits, (received.get(digits) ?? 0) + 1);
    }
  };
  // The returned object, read by the handler: a test sets its mode between runs.
  const state = {
    mode: 'ok' as Mode,
    slowMs: 200,
    dlrRequests: [] as number[],
    sms365Status: [] as string[],
    incoming: [] as CountingVendor['incoming'],
  };
  const server = await startServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://vendor');
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (type: string, text: string) => {
        if (state.mode === 'lost') return void req.socket.destroy();
        const send = () => res.writeHead(200, { 'content-type': type }).end(text);
        if (state.mode === 'slow') setTimeout(send, state.slowMs);
        else send();
      };
      switch (url.pathname) {
        case '/sendtext': {
          count([url.searchParams.get('toUser') ?? '']);
          return reply('application/json', JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: `d${++id}` }));
        }
        case '/index.php/api/sendsms/':
        case '/index.php/api/sendsms_multi/': {
          const to = new URLSearchParams(body).get('to') ?? '';
          // dreams.yaml sendsms_multi: `to` is JSON text, each recipient wrapped in its own array.
          count(
            url.pathname.endsWith('multi/')
              ? (JSON.parse(to) as unknown[]).flat(2).map((pair) => (pair as { to: string }).to)
              : [to],
          );
          return reply('text/plain', acceptedReply.dreams);
        }
        case '/api/sms/send':
        case '/api/sms/bulk': {
          const to = (new URLSearchParams(body).get('to') ?? '').split(',');
          count(to);
          return reply('application/json', acceptedReply.sms365(url.pathname, to, nextId));
        }
        case '/api/status/get': {
          // sms365.yaml statusGet: the changes since the last poll; with a callback URL given, the
          // stand-in hands none over this way, so a message is final only by its callback or `status/sms`.
          state.sms365Status.push('get');
          return reply('application/json', JSON.stringify({ status: 1, error: 0, remarks: 'Success', sms: [] }));
        }
        case '/api/status/sms': {
          const smsId = new URLSearchParams(body).get('smsId') ?? '';
          state.sms365Status.push(smsId);
          return reply(
            'application/json',
            JSON.stringify({ status: 1, error: 0, remarks: 'Success', sms: { smsId, status: 'd' } }),
          );
        }
        case '/api': {
          if (body.includes('<incoming>')) {
            // smsleads.yaml incoming: a transaction per reply, its date `dd/mm/yy hh:mm` Israel time.
            const rows = state.incoming.map(
              (r) =>
                `<transaction><source>${r.source}</source><destination>${r.destination}</destination><message>${r.message}</message><date>${r.date}</date></transaction>`,
            );
            return void res
              .writeHead(200, { 'content-type': 'application/xml' })
              .end(
                `<incoming><status>0</status><message></message><transactions>${rows.join('')}</transactions></incoming>`,
              );
          }
          if (body.includes('<dlr>')) {
            // smsleads.yaml dlr: each transaction asked for by its `external_id`; 102 "Delivered".
            const asked = [...body.matchAll(/<external_id>([^<]*)<\/external_id>/g)].map((m) => m[1]!);
            state.dlrRequests.push(asked.length);
            const known = asked.filter((id) => messageIds.has(id));
            return void res
              .writeHead(200, { 'content-type': 'application/xml' })
              .end(
                `<?xml version="1.0" encoding="UTF-8"?><dlr><status>0</status><message></message><transactions>${known
                  .map(
                    (id) =>
                      `<transaction><external_id>${id}</external_id><status>102</status><en_message>Delivered</en_message></transaction>`,
                  )
                  .join('')}</transactions></dlr>`,
              );
          }
          const phones = [...body.matchAll(/<phone\b[^>]*?\bid="([^"]*)"[^>]*>([^<]*)<\/phone>/g)];
          for (const [, messageId] of phones) messageIds.add(messageId!);
          count(phones.map((m) => m[2]!));
          return reply('application/xml', acceptedReply.smsleads(nextId));
        }
        case '/bulksms/bulksms': {
          const destinations = (url.searchParams.get('destination') ?? '').split(',');
          count(destinations);
          return reply('text/plain', acceptedReply.unified(destinations, nextId));
        }
        default:
          res.writeHead(404).end();
      }
    });
  });
  return Object.assign(state, server, {
    received,
    twice: () => [...received].filter(([, n]) => n > 1).map(([number]) => number),
  });
}

/** A number's last nine digits: the same whichever way a vendor writes it (SMS Leads: `050…`, Dreams: `9665…`). */
export const lastDigits = (number: string) => number.replace(/\D/g, '').slice(-9);

/** Each vendor's command-line credentials, and a number it carries (SMS Leads sends to Israel only). */
export const vendorArgs: Record<string, { args: string[]; number: (i: number) => string }> = {
  dinisoft: {
    args: ['--api-key', 'Fault-ApiKey-1', '--secret-key', 'Fault-Secret-2'],
    number: (i) => `+8801712${String(i).padStart(6, '0')}`,
  },
  dreams: {
    args: ['--user', 'fault-user', '--secret-key', 'Fault-Secret-3'],
    number: (i) => `+96650${String(i).padStart(7, '0')}`,
  },
  sms365: { args: ['--key', 'Fault-Key-4'], number: (i) => `+8801712${String(i).padStart(6, '0')}` },
  smsleads: {
    args: ['--token', 'Fault-Token-5', '--username', 'fault-leads'],
    number: (i) => `+97250${String(i).padStart(7, '0')}`,
  },
  unified: {
    args: ['--username', 'fault-unified', '--password', 'Fault-Password-6'],
    number: (i) => `+8801712${String(i).padStart(6, '0')}`,
  },
};
