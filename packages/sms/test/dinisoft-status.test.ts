import { VendorError } from '@smswire/core/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingServer, type RecordingServer } from '../../../test/support/server.js';
import { dinisoft } from '../src/dinisoft.js';
import { createSms } from '../src/index.js';

const servers: RecordingServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A DiniSoft delivery API that answers each message ID once with `first`, and `114` after (L92). */
async function deliveryApi(first: Record<string, string>) {
  const asked = new Set<string>();
  const server = await recordingServer((exchange) => {
    const id = new URL(exchange.path, 'http://x').searchParams.get('messageid')!;
    const reply = asked.has(id) ? { Status: '114', Text: 'REJECTD' } : { ...first, Message_ID: id };
    asked.add(id);
    return { type: 'application/json', body: JSON.stringify(reply) };
  });
  servers.push(server);
  return { server, sms: createSms({ vendors: [dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: server.url })] }) };
}

describe('dinisoft status through getstatus', () => {
  it('dinisoft L95: code 1 REJECTD is a final, failed delivery state, not a VendorError', async () => {
    const { sms } = await deliveryApi({ Status: '1', Text: 'REJECTD' });
    expect(await sms.status('194234')).toEqual({
      vendor: 'dinisoft',
      messageId: '194234',
      state: 'rejected',
      final: true,
      vendorStatus: 'REJECTD',
    });
  });

  it('dinisoft L92: a final state read once answers every later read, without asking again', async () => {
    const { sms, server } = await deliveryApi({ Status: '0', Text: 'DELIVRD' });
    const first = await sms.status('194234');
    expect(first).toMatchObject({ state: 'delivered', final: true });
    expect(await sms.status('194234')).toEqual(first);
    // The adapter alone, as another createSms would use it, remembers it too.
    const adapter = dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: server.url });
    const fresh = await adapter.status!('777');
    expect(await adapter.status!('777')).toEqual(fresh);
    expect(server.exchanges.map((e) => new URL(e.path, 'http://x').searchParams.get('messageid'))).toEqual([
      '194234',
      '777',
    ]);
  });

  it('dinisoft L92: 114 after a non-final answer says the message was already queried', async () => {
    const { sms } = await deliveryApi({ Status: '2', Text: 'PENDING' });
    expect(await sms.status('194234')).toMatchObject({ state: 'queued', final: false });
    const error = await sms.status('194234').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VendorError);
    expect(error).toMatchObject({ code: '114' });
    expect(String(error)).toMatch(/already queried.*PENDING.*not final/);
    // A 114 for a message never read here is the vendor's own answer (not valid, or read elsewhere).
    const { sms: other } = await deliveryApi({ Status: '114', Text: 'REJECTD' });
    const unknownId = await other.status('999').catch((e: unknown) => e);
    expect(unknownId).toMatchObject({
      code: '114',
      description: 'Message ID not provided, not valid, or already queried.',
    });
  });
});
