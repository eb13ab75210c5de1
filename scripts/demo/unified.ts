import { createClient } from '../../packages/unified/src/index.js';

/** A send to two destinations, a scheduled send, and a refused submit through the Unified client. */
export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {
  const client = createClient({ username: 'demo-user', password: 'demo-password', baseUrl });
  const message = { type: 0, dlr: 1, source: 'SMSWIRE', message: 'Hello from smswire' } as const;
  // The Unified API has no status or balance endpoint: delivery reports go to the account's DLR URL.
  log('bulksms', await client.bulksms({ ...message, destination: '919812345678' }));
  log(
    'bulksms (mock replies with one accepted, one refused)',
    await client.bulksms(
      { ...message, destination: '919812345678,91981234' },
      { headers: { Prefer: 'example=mixed' } },
    ),
  );
  const at = new Date(Date.now() + 24 * 3600_000);
  log(
    `schedulemsg at ${at.toISOString()} (+05:30)`,
    await client.schedulemsg({ ...message, destination: '919812345678', at, gmt: '+05:30' }),
  );
  const refused = await client
    .bulksms({ ...message, destination: '919812345678' }, { headers: { Prefer: 'example=insufficientCredit' } })
    .catch((error: unknown) => error);
  log('bulksms (mock asked for code 1725)', String(refused));
}
