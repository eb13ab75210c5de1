import { createClient } from '../../packages/sms365/src/index.js';

/** Send, schedule and cancel, bulk, 2FA, contacts and groups, an XML reply and a refused send through the sms365 client. */
export async function demo(baseUrl: string, log: (label: string, value: unknown) => void) {
  const client = createClient({ key: 'demo-api-key', baseUrl });
  log('mobileCheck', await client.mobileCheck({ mobile: '306971234567' }));
  const sent = await client.smsSend({ to: '306971000000', text: 'Hello from smswire', from: 'ACME' });
  log('smsSend', sent);
  log('statusSms', await client.statusSms({ smsId: sent.smsId ?? '' }));
  const at = new Date(Date.now() + 24 * 3600_000);
  const scheduled = await client.smsSend({
    to: '306971000000',
    text: 'Reminder from smswire',
    from: 'ACME',
    timestamp: at,
  });
  log(`smsSend scheduled at ${at.toISOString()}`, scheduled);
  log('smsCancel', await client.smsCancel({ smsId: scheduled.smsId ?? '' }));
  log(
    'smsBulk (to as an array)',
    await client.smsBulk({ to: ['306971000000', '306980000000'], text: 'Hello from smswire', from: 'ACME' }),
  );
  const twofa = await client.twofaSend({
    to: '306971000000',
    text: 'Your ACME code is %%CODE%%',
    from: 'ACME',
    wait: 0,
  });
  log('twofaSend', twofa);
  log('twofaCheck', await client.twofaCheck({ authId: twofa.authId ?? '', code: '4821' }));
  const contact = await client.contactAdd({ mobile: '44123456789', name: 'Joe', surname: 'Doe' });
  const group = await client.groupAdd({ name: 'Customers' });
  log('contactAdd, groupAdd', { contactId: contact.contactId, groupId: group.groupId });
  log(
    'groupAddContact',
    await client.groupAddContact({ groupId: group.groupId ?? '', contactId: contact.contactId ?? '' }),
  );
  log('contactList', await client.contactList({}));
  log("meBalance (type: 'xml', decoded to the same result)", await client.meBalance({ type: 'xml' }));
  const refused = await client
    .smsSend({ to: '306971000000', text: 'Hi', from: 'ACME' }, { headers: { Prefer: 'example=notEnoughBalance' } })
    .catch((error: unknown) => error);
  log('smsSend (mock asked for code 105)', String(refused));
}
