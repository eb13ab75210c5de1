import { createClient, errorCatalog, type DinisoftOptions } from '@smswire/dinisoft';
import { ValidationError } from '@smswire/core/errors';
import type { Adapter, AdapterOptions, OutgoingMessage } from './adapter.js';
import { wireNumber } from './numbers.js';
import { status, type State } from './states.js';

export interface DinisoftAdapterOptions extends DinisoftOptions, AdapterOptions {
  /** The account name the balance page is read for (`smsClientBalance`'s `client`). */
  account?: string | undefined;
}

/** dinisoft.yaml getStatus: `0` DELIVRD, `2` PENDING, `4` SENT. A Map: the key is the vendor's text. */
const states = new Map<string, State>([
  ['0', 'delivered'],
  ['2', 'queued'],
  ['4', 'sent'],
]);

/**
 * DiniSoft BD through `sendText`. The API has no encoding flag (the text goes as it is), no
 * scheduling and no flash SMS. `getStatus` answers once per message (a repeat is `114`), so
 * `createSms` keeps the first final answer.
 */
export function dinisoft(options: DinisoftAdapterOptions): Adapter {
  const { from, account, ...clientOptions } = options;
  const client = createClient(clientOptions);
  const params = (message: OutgoingMessage) => ({
    callerID: message.from ?? from ?? '',
    toUser: wireNumber('dinisoft', message.to),
    messageContent: message.text,
  });
  return {
    vendor: 'dinisoft',
    codes: errorCatalog,
    capabilities: {
      schedule: false,
      flash: false,
      status: true,
      balance: true,
      reports: false,
      pollReports: false,
      messageId: true,
    },
    async send(message, init) {
      const reply = await client.sendText(params(message), init);
      return { messageId: reply.Message_ID || undefined };
    },
    prepare: async (message, init) => ({
      operation: 'sendText',
      request: await client.prepare.sendText(params(message), init),
    }),
    async status(messageId, init) {
      const reply = await client.getStatus({ messageid: messageId }, init);
      return status(
        'dinisoft',
        messageId,
        states.get(reply.Status) ?? 'unknown',
        reply.Text ?? reply.Status,
        reply['Delivery Time'],
      );
    },
    async balance(init) {
      if (!account)
        throw new ValidationError({
          vendor: 'dinisoft',
          operation: 'smsClientBalance',
          issues: [
            { path: 'account', message: 'the dinisoft adapter needs `account` (the client name) to read the balance' },
          ],
        });
      return { vendor: 'dinisoft', amount: await client.smsClientBalance({ client: account }, init), unit: 'credits' };
    },
  };
}
