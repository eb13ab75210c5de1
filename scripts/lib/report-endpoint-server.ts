import { createServer } from 'node:http';
import {
  createReportHandler,
  createReportServer,
  fileReportStore,
  memoryReportStore,
} from '../../packages/sms/src/report-endpoint.js';

/**
 * One side of the report-endpoint bench, in a process of its own (one core): `smswire` is the
 * endpoint as `smswire listen` runs it (signature checked, each change written and flushed to a
 * file store before 200); `memory` the same endpoint over the memory store (what it costs apart
 * from the disk); `bare` is a node:http handler that parses the same query and answers 200.
 */
const [mode, storePath] = process.argv.slice(2);
const secret = process.env.BENCH_REPORT_SECRET ?? '';
let applied = 0;
const server =
  mode === 'smswire' || mode === 'memory'
    ? createReportServer({
        handler: createReportHandler({
          secrets: { k1: secret },
          store: mode === 'smswire' ? fileReportStore(storePath!) : memoryReportStore(),
          onReport: () => void applied++,
          log: () => undefined,
        }),
      })
    : createServer((req, res) => {
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        const fields = ['msgid', 'status', 'cost', 'to', 'mcc', 'mnc', 'sw_kid', 'sw_ref', 'sw_exp', 'sw_sig'].map(
          (n) => query.get(n),
        );
        if (fields.some((f) => f === null)) res.writeHead(400).end();
        else res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('OK');
      });
let requests = 0;
server.on('request', () => void requests++);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : 0);
});
// The CPU time this process spent, per request it served: unlike a rate, not set by what else the machine runs.
process.on('SIGTERM', () => {
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ requests, applied, cpuMicros: user + system })}\n`, () => process.exit(0));
});
