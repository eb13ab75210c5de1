import { createClient, type DreamsOptions } from '@smswire/dreams';
import type { Adapter, AdapterOptions } from './adapter.js';
import { wireNumber } from './numbers.js';

export interface DreamsAdapterOptions extends DreamsOptions, AdapterOptions {}

/**
 * Dreams through `sendsms`. Its reply is a bare success code with no message ID, and the API
 * has no status read, no scheduling (`is_calander` is a calendar invitation, not a send time)
 * and no encoding or flash flag: the text goes as it is. Balance is `chkBalance`.
 */
export function dreams(options: DreamsAdapterOptions): Adapter {
  const { from, ...clientOptions } = options;
  const client = createClient(clientOptions);
  return {
    vendor: 'dreams',
    capabilities: { schedule: false, flash: false, status: false, balance: true, reports: false, messageId: false },
    async send(message, init) {
      await client.sendsms({ to: wireNumber('dreams', message.to), message: message.text, sender: message.from ?? from ?? '' }, init);
      return {};
    },
    async balance(init) {
      return { vendor: 'dreams', amount: await client.chkBalance({}, init), unit: 'credits' };
    },
  };
}
