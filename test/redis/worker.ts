/**
 * One campaign worker for test/redis/workers.e2e.test.ts: sends the same rows as every other worker
 * through `sendMany` and the shared Redis ledger, and prints how each row ended. Bundled by the
 * test; waits for `go` on stdin so all workers start together.
 */
import { createInterface } from 'node:readline';
import { createSms } from '@smswire/sms';
import { redisLedger } from '@smswire/sms/redis-ledger';
import { unified } from '@smswire/sms/unified';
import { campaignRows } from './rows.js';

const [redisUrl, vendorUrl, worker, count, prefix] = process.argv.slice(2);
const ledger = redisLedger(redisUrl!, { prefix: prefix! });
// The worker's name as the Unified username, so the recording server knows who sent each row.
const sms = createSms({
  vendors: [unified({ username: worker!, password: 'p', baseUrl: vendorUrl!, from: 'ACME' })],
  ledger,
});

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) if (line === 'go') break;
lines.close();

const results = await sms.sendMany(campaignRows(Number(count)), { concurrency: 4 });
const tally: Record<string, number> = {};
for (const r of results) {
  const outcome = r.status === 'accepted' ? 'accepted' : `${r.status}:${r.reason}`;
  tally[outcome] = (tally[outcome] ?? 0) + 1;
}
await ledger.close();
process.stdout.write(`${JSON.stringify({ worker, results: results.length, tally })}\n`);
