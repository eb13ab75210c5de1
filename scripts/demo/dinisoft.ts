import { createClient } from '../../packages/dinisoft/src/index.js';

/** Send, status, balance through the DiniSoft client. */
export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {
  const client = createClient({ apiKey: 'demo-api-key', secretKey: 'demo-secret', baseUrl });
  const sent = await client.sendText({
    callerID: 'SMSWIRE',
    toUser: '8801712345678',
    messageContent: 'Hello from smswire',
  });
  log('sendText', sent);
  log('getStatus', await client.getStatus({ messageid: sent.Message_ID ?? '' }));
  log('smsClientBalance', await client.smsClientBalance({ client: 'ClientName' }));
  const refused = await client
    .sendText(
      { callerID: 'SMSWIRE', toUser: '8801712345678', messageContent: 'Hi' },
      { headers: { Prefer: 'example=wrongPassword' } },
    )
    .catch((error: unknown) => error);
  log('sendText (mock asked for code 108)', String(refused));
}
