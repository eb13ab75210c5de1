import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { type Adapter, createSms, type SendInput } from '../../packages/sms/src/index.js';
import { dreams } from '../../packages/sms/src/dreams.js';
import { sms365 } from '../../packages/sms/src/sms365.js';
import { smsleads } from '../../packages/sms/src/smsleads.js';
import { unified } from '../../packages/sms/src/unified.js';

/**
 * One measured run in its own process, so its peak RSS is its own:
 * `send-many-run.ts <vendor> <sendMany|pLimit> <count> <mock url>`. Prints one JSON line:
 * `{ ms, cpuMs, maxRssKiB, accepted }` (CPU time of the run itself). `sendMany` reads a generator (the list is never held);
 * `pLimit` is the loop a user writes around the single send: `p-limit(32)` over the list.
 */
const [vendor, mode, countText, baseUrl] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);

const adapters: Record<string, () => Adapter> = {
  unified: () => unified({ username: 'bench', password: 'bench', baseUrl, from: 'ACME' }),
  sms365: () => sms365({ key: 'bench', baseUrl, from: 'ACME' }),
  smsleads: () => smsleads({ token: 'bench', username: 'bench', baseUrl, from: 'ACME' }),
  dreams: () => dreams({ user: 'bench', secretKey: 'bench', baseUrl, from: 'ACME' }),
};
/** A distinct valid mobile number per message, in the vendor's market. */
const numbers: Record<string, (i: number) => string> = {
  unified: (i) => `+9198${String(i).padStart(8, '0')}`,
  sms365: (i) => `+30697${String(i).padStart(7, '0')}`,
  smsleads: (i) => `+97252${String(i).padStart(7, '0')}`,
  dreams: (i) => `+96650${String(i).padStart(7, '0')}`,
};
const number = numbers[vendor]!;
function* messages(): Generator<SendInput> {
  for (let i = 0; i < count; i++) yield { to: number(i), text: 'Your code is 1234' };
}

const sms = createSms({ vendors: [adapters[vendor]!()] });
const before = process.resourceUsage();
const cpuBefore = (before.userCPUTime + before.systemCPUTime) / 1000;
const start = performance.now();
let accepted = 0;
if (mode === 'sendMany') {
  const results = await sms.sendMany(messages());
  accepted = results.filter((r) => r.status === 'accepted').length;
} else {
  const limit = pLimit(32);
  const results = await Promise.allSettled([...messages()].map((m) => limit(() => sms.send(m))));
  accepted = results.filter((r) => r.status === 'fulfilled').length;
}
const ms = performance.now() - start;
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000 - cpuBefore;
console.log(JSON.stringify({ ms, cpuMs, maxRssKiB: usage.maxRSS, accepted }));
