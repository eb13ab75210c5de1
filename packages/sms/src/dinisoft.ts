import { createClient, errorCatalog, type DinisoftOptions } from '@smswire/dinisoft';
import { ValidationError, VendorError } from '@smswire/core/errors';
import type { Adapter, AdapterOptions, OutgoingMessage, SendFields } from './adapter.js';
import { wireNumber } from './numbers.js';
import { type MessageStatus, status, type State } from './states.js';

export interface DinisoftAdapterOptions extends DinisoftOptions, AdapterOptions {
  /** The account name the balance page is read for (`smsClientBalance`'s `client`). */
  account?: string | undefined;
}

/** dinisoft.txt L95–98, getStatus: `0` DELIVRD, `1` REJECTD (final, failed), `2` PENDING, `4` SENT. A Map: the key is the vendor's text. */
const states = new Map<string, State>([
  ['0', 'delivered'],
  ['1', 'rejected'],
  ['2', 'queued'],
  ['4', 'sent'],
]);

/** How many messages' last answers the adapter keeps; the oldest go first. */
const remembered = 100_000;

/** The request fields that carry a message's sender and text. */
export const sendFields: SendFields = { from: 'callerID', text: 'messageContent' };

/**
 * DiniSoft BD through `sendText`. The API has no encoding flag (the text goes as it is), no
 * scheduling and no flash SMS. `getStatus` answers once per message (L92: a repeat is `114`), so
 * the adapter keeps each message's last answer: a final one is the answer to every later read,
 * and a `114` after a non-final one says the state can no longer be read.
 */
export function dinisoft(options: DinisoftAdapterOptions): Adapter {
  const { from, account, ...clientOptions } = options;
  const client = createClient(clientOptions);
  const answers = new Map<string, MessageStatus>();
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
      const last = answers.get(messageId);
      if (last?.final) return last;
      let reply: Awaited<ReturnType<typeof client.getStatus>>;
      try {
        reply = await client.getStatus({ messageid: messageId }, init);
      } catch (error) {
        if (last && error instanceof VendorError && error.code === '114') throw alreadyQueried(error, last);
        throw error;
      }
      const answer = status(
        'dinisoft',
        messageId,
        states.get(reply.Status) ?? 'unknown',
        reply.Text ?? reply.Status,
        reply['Delivery Time'],
      );
      answers.delete(messageId);
      answers.set(messageId, answer);
      if (answers.size > remembered) answers.delete(answers.keys().next().value!);
      return answer;
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

/** L92's `114` for a message this adapter has read before: its state was read once and can no longer be. */
function alreadyQueried(error: VendorError, last: MessageStatus): VendorError {
  // `unreadable`: the contract `track` reads (adapter.ts), so it stops asking and says so.
  const unreadable = new VendorError({
    vendor: 'dinisoft',
    operation: 'getStatus',
    code: error.code,
    description:
      `already queried: DiniSoft answers a message's status once (dinisoft.txt L92), and its last answer ` +
      `here (${last.vendorStatus}, ${last.state}) was not final, so no later state can be read`,
    retryable: false,
  });
  return Object.assign(unreadable, { unreadable: true as const });
}
