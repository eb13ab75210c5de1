import { createClient } from '../../packages/dreams/src/index.js';

/** Send, calendar invitation, multi-send, sender names and balance through the Dreams client, with OAuth2. */
export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {
  // With clientId and clientSecret every call also carries a bearer token from the mock's /token/generate.
  const client = createClient({
    user: 'smswire',
    secretKey: 'demo-secret-key',
    clientId: 'smswire-client',
    clientSecret: 'demo-client-secret',
    baseUrl,
  });
  log('chkUser', await client.chkUser());
  log('sendsms', await client.sendsms({ to: '966500000000', message: 'Hello from smswire', sender: 'SMSWIRE' }));
  log(
    'sendsms (calendar invitation)',
    await client.sendsms({
      to: '966500000000',
      message: 'Project meeting',
      sender: 'SMSWIRE',
      is_calander: 1,
      calander_date: '2025-06-01',
      calander_time: '14:30',
      reminder: 30,
      reminder_text: 'Meeting in 30 minutes',
      location_url: 'https://maps.google.com/?q=24.7136,46.6753',
    }),
  );
  log(
    'sendsmsMulti',
    await client.sendsmsMulti({
      sender: 'SMSWIRE',
      to: [
        { to: '966500000000', message: 'Hello from smswire' },
        { to: '966500000001', message: 'Second message from smswire' },
      ],
    }),
  );
  log('newsender', await client.newsender({ sendertext: 'SMSWIRE' }));
  log('senderstatus', await client.senderstatus({ sendertext: 'SMSWIRE' }));
  log('usersender', await client.usersender());
  log('chkBalance', await client.chkBalance());
  const refused = await client
    .sendsms(
      { to: '966500000000', message: 'Hi', sender: 'SMSWIRE' },
      { headers: { Prefer: 'example=notEnoughBalance' } },
    )
    .catch((error: unknown) => error);
  log('sendsms (mock asked for code -113)', String(refused));
  await client.revokeToken();
  log('revokeToken', 'refresh and access tokens revoked');
}
