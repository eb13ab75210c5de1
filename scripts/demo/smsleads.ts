import { createClient } from '../../packages/smsleads/src/index.js';

/** A send, a bulk send, reports, the blacklist and contact lists through the SMS Leads client. */
export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {
  const client = createClient({ token: 'demo-api-token', username: 'JohnDoe', baseUrl });
  log(
    'sms',
    await client.sms({
      source: 'DemoAPI',
      destinations: { phone: [{ number: '0501234567', id: 'order-1' }, { number: '521234567' }] },
      message: 'שלום from smswire',
      timing: new Date(Date.now() + 3_600_000),
    }),
  );
  log(
    'bulk',
    await client.bulk({
      messages: [
        { source: 'DemoAPI', destinations: { phone: [{ number: '0501234567' }] }, message: 'First' },
        { source: 'DemoAPI', destinations: { phone: [{ number: '0521234567' }] }, message: 'Second' },
      ],
    }),
  );
  log('balance', await client.balance());
  log('dlr', await client.dlr({ transactions: ['order-1'], from: '01/02/21 00:00', to: '03/02/21 23:59' }));
  log(
    'rmNumBL (rootless reply)',
    await client.rmNumBL({ phones: ['0501234567'], reason: 'Asked to be contacted again' }),
  );
  log('removeCL (partial failure)', await client.removeCL({ cl: ['21518', '21500'] }));
  const refused = await client.balance({}, { headers: { Prefer: 'example=status3' } }).catch((error: unknown) => error);
  log('balance (mock asked for status 3)', String(refused));
}
