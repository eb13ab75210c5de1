import { createClient, type Sms365Options } from '@smswire/sms365';
import type { Adapter, AdapterOptions } from './adapter.js';
import { wireNumber } from './numbers.js';
import { sms365State } from './reports.js';

export interface Sms365AdapterOptions extends Sms365Options, AdapterOptions {
  /** Your URL sms365 calls with each delivery report (`smsSend`'s `callback`); read it with `parseReport('sms365', request)`. */
  callback?: string | undefined;
}

/**
 * sms365 through `smsSend`: `ucs` for UCS-2 text, `flash`, `timestamp` for `at`, and the
 * delivery-report `callback` when the adapter has one. Status is `statusSms`, balance `meBalance`.
 */
export function sms365(options: Sms365AdapterOptions): Adapter {
  const { from, callback, ...clientOptions } = options;
  const client = createClient(clientOptions);
  return {
    vendor: 'sms365',
    capabilities: { schedule: true, flash: true, status: true, balance: true, reports: true, messageId: true },
    async send(message, init) {
      const sender = message.from ?? from;
      const reply = await client.smsSend(
        {
          to: wireNumber('sms365', message.to),
          text: message.text,
          ...(sender ? { from: sender } : {}),
          ...(message.encoding === 'ucs2' ? { ucs: true } : {}),
          ...(message.flash ? { flash: true } : {}),
          ...(message.at ? { timestamp: message.at } : {}),
          ...(callback ? { callback } : {}),
        },
        init,
      );
      return { messageId: reply.smsId };
    },
    async status(messageId, init) {
      const reply = await client.statusSms({ smsId: messageId }, init);
      return sms365State(messageId, reply.sms?.status ?? '');
    },
    async balance(init) {
      const reply = await client.meBalance({}, init);
      return { vendor: 'sms365', amount: reply.balance ?? 0, unit: 'credits' };
    },
  };
}
